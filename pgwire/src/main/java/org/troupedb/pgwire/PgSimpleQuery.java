package org.troupedb.pgwire;

import java.util.Iterator;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/**
 * The simple query protocol of one session: a query string's statements, run one after the other
 * with their results streamed. Errors are thrown; ReadyForQuery and what an error ends are {@link
 * PgQueryProtocol}'s.
 *
 * <pre>
 *   Query ─▶ per statement: [RowDescription] DataRow* CommandComplete [ParameterStatus*]
 *                           (rows written as the result yields them: a large one streams)
 *                           | EmptyQueryResponse | COPY TO STDOUT ({@link PgCopyOut})
 *                           | COPY FROM STDIN: the run stops here; the rest runs after CopyDone
 * </pre>
 *
 * <p>NB: confined to the connection's serial executor; waits while the client does not read.
 */
final class PgSimpleQuery {
  private final SqlSession session;
  private final PgReplies replies;

  PgSimpleQuery(SqlSession session, PgReplies replies) {
    this.session = session;
    this.replies = replies;
  }

  /** The statements of a query string; an empty one answers EmptyQueryResponse. */
  Iterator<Statement> parse(String sql) throws SqlException {
    List<Statement> parsed = PgErrors.guard(() -> session.parseSimple(sql));
    if (parsed.isEmpty()) {
      PgBackendMessages.emptyQueryResponse(replies.out());
    }
    return parsed.iterator();
  }

  /**
   * Runs the statements left in {@code it}, then {@code session.sync()}. Returns the COPY FROM
   * STDIN that suspends the run (the rest stays in {@code it}), or null when all ran.
   */
  CopyIn run(Iterator<Statement> it) throws SqlException {
    try {
      while (it.hasNext()) {
        Prepared prepared = session.prepare(it.next(), List.of());
        StatementResult result = session.execute(prepared, List.of());
        if (result instanceof CopyIn in) {
          return in;
        }
        try {
          if (result instanceof CopyOut out) {
            PgCopyOut.send(out, replies);
          } else if (result.isEmptyQuery()) {
            PgBackendMessages.emptyQueryResponse(replies.out());
          } else {
            send(result);
          }
        } finally {
          result.close(); // a result still being read stops (the client went, or a write failed)
        }
      }
      session.sync();
      return null;
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      throw PgErrors.unwrap(e);
    }
  }

  private void send(StatementResult result) {
    List<ColumnInfo> columns = result.columns();
    if (!columns.isEmpty()) {
      PgBackendMessages.rowDescription(replies.out(), columns, null);
    }
    Iterator<Object[]> rows = result.rows();
    while (rows.hasNext()) {
      PgBackendMessages.dataRow(replies.out(), rows.next(), columns, null, replies.zone());
      replies.flushIfFull();
    }
    PgBackendMessages.commandComplete(replies.out(), result.commandTag());
    replies.parameterStatus(session.takeChangedParameters());
  }
}
