package org.troupedb.sql;

import java.util.List;
import java.util.Map;

/**
 * One client session: its variables, its open transaction and its prepared statements' plans.
 *
 * <pre>
 *   parse(sql) ──▶ [Statement…] ──prepare──▶ Prepared ──execute(params)──▶ StatementResult
 * </pre>
 *
 * Transaction status follows PostgreSQL: IDLE outside a transaction block, IN_TRANSACTION inside
 * BEGIN…COMMIT, FAILED after an error inside a block (every statement but COMMIT/ROLLBACK then
 * fails with 25P02 until the block ends).
 *
 * <p>NB: not thread-safe, except {@link #cancel()}: the pgwire connection runs one statement at a
 * time on a worker thread, never on the event loop. An {@link SqlException} from any method leaves
 * the session usable.
 */
public interface SqlSession extends AutoCloseable {

  /** Splits and parses a (possibly multi-statement) string. Empty list for an empty query. */
  List<Statement> parse(String sql) throws SqlException;

  /**
   * As {@link #parse}, for a simple-protocol Query: the session may treat literals of the text as
   * values of a statement it has prepared before (the statements take no client parameters).
   */
  default List<Statement> parseSimple(String sql) throws SqlException {
    return parse(sql);
  }

  /**
   * Validates and plans a statement. {@code paramTypeHints} are the types the client declared for
   * {@code $1…$n} (null entries or a short list: infer). The result describes parameters and rows.
   */
  Prepared prepare(Statement statement, List<PgType> paramTypeHints) throws SqlException;

  /**
   * Executes a prepared statement with parameter values (Java objects as in {@link PgType}; null
   * for SQL NULL). Runs inside the session's transaction, or an implicit one that commits before
   * this returns.
   */
  StatementResult execute(Prepared prepared, List<Object> params) throws SqlException;

  /**
   * As {@link #execute}, from a client that ends its batch with Sync (the extended protocol, or
   * the end of a simple Query): outside a transaction block the statement may stay in an implicit
   * transaction that {@link #sync()} commits (its errors then come from {@code sync}).
   */
  default StatementResult executeUntilSync(Prepared prepared, List<Object> params) throws SqlException {
    return execute(prepared, params);
  }

  /**
   * An error in the client's batch before its Sync (any message failed): what {@link
   * #executeUntilSync} left for {@link #sync()} to commit is rolled back instead.
   */
  default void batchFailed() {}

  /** I, T or E for ReadyForQuery. */
  TransactionStatus transactionStatus();

  /**
   * The parameters reported to the client with ParameterStatus (server_version, client_encoding,
   * DateStyle, TimeZone, …) and their current values.
   */
  Map<String, String> reportedParameters();

  /**
   * Reported parameters changed since the last call (by SET), to be sent as ParameterStatus.
   * Empty if none.
   */
  Map<String, String> takeChangedParameters();

  /**
   * Implicit-transaction boundary for the extended protocol: the client sent Sync. In an implicit
   * transaction spanning several Execute messages, this commits it. Outside a block, a no-op.
   */
  void sync() throws SqlException;

  /**
   * Asks the running statement (if any) to stop; it fails with 57014. Thread-safe; may be called
   * from any thread.
   */
  void cancel();

  /**
   * The current value of a run-time parameter as SHOW prints it (e.g. {@code statement_timeout}:
   * {@code 200ms}), or null if the session does not know it.
   */
  default String setting(String name) {
    return null;
  }

  /** Rolls back any open transaction and frees resources. */
  @Override
  void close();

  /** PostgreSQL transaction status as reported in ReadyForQuery. */
  enum TransactionStatus {
    IDLE('I'),
    IN_TRANSACTION('T'),
    FAILED('E');

    private final char code;

    TransactionStatus(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }
  }
}
