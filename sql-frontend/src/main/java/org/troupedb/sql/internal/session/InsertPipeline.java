package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.session.Session.PreparedImpl;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * The autocommit {@code INSERT … VALUES} statements a client sent before its next Sync (a pgjdbc
 * {@code executeBatch}, with or without {@code reWriteBatchedInserts}; the INSERTs of one simple
 * Query): one implicit transaction, as in PostgreSQL, whose writes the transaction buffers and
 * sends at Sync as one write per range — not one commit per row.
 *
 * <pre>
 *   Execute INSERT ─▶ add: run in the open transaction (begun by the first), remember (statement, values)
 *   Execute INSERT ─▶ add …
 *   Sync / any other statement ─▶ commit; on 40001 run every INSERT again in a new transaction
 *   an error ─▶ abort: nothing of the batch stays
 * </pre>
 *
 * Running them again is invisible to the client: an INSERT of VALUES without RETURNING or ON
 * CONFLICT answers its row count whatever the snapshot (a sequence may skip values, as it may in
 * PostgreSQL).
 *
 * <p>NB: every row of the batch stays buffered until Sync, as its values do in the client.
 */
final class InsertPipeline {
  /** Runs one statement in a transaction (the session's {@code run}). */
  interface Runner {
    StatementResult run(Txn txn, PreparedImpl p, List<Object> params) throws SqlException;
  }

  private record Entry(PreparedImpl prepared, List<Object> params) {}

  private final Engine engine;
  private Txn txn;
  private final List<Entry> entries = new ArrayList<>();

  InsertPipeline(Engine engine) {
    this.engine = engine;
  }

  boolean open() {
    return txn != null;
  }

  /** Runs an INSERT in the pipeline's transaction, beginning it for the first. */
  StatementResult add(PreparedImpl p, List<Object> params, Runner runner) throws SqlException {
    if (txn == null) {
      txn = engine.kv.begin(TxnOptions.implicitStatement());
    }
    StatementResult r = runner.run(txn, p, params);
    entries.add(new Entry(p, params));
    return r;
  }

  /**
   * Commits the batch; a serialization failure runs it again in a new transaction, up to {@code
   * maxRetries} times. A duplicate key is the {@link KeyExistsException} for the caller to name.
   */
  void commit(Runner runner, CancelFlag cancel, int maxRetries) throws SqlException {
    if (txn == null) {
      return;
    }
    Txn t = txn;
    List<Entry> batch = List.copyOf(entries);
    txn = null;
    entries.clear();
    for (int attempt = 0; ; attempt++) {
      try {
        Kv.await(t.commit(), cancel);
        return;
      } catch (SqlException | RuntimeException e) {
        t.rollback();
        boolean retry = e instanceof SqlException se && SqlState.SERIALIZATION_FAILURE.equals(se.sqlState())
            || e instanceof RuntimeException re && !(re instanceof KeyExistsException)
                && SqlState.SERIALIZATION_FAILURE.equals(Errors.fromRuntime(re).sqlState());
        if (!retry || attempt >= maxRetries) {
          throw e;
        }
      }
      t = engine.kv.begin(TxnOptions.implicitStatement());
      try {
        for (Entry e : batch) {
          runner.run(t, e.prepared(), e.params());
        }
      } catch (SqlException | RuntimeException e) {
        t.rollback();
        throw e;
      }
    }
  }

  /** Rolls the batch back (an error in it, the session closing). */
  void abort() {
    if (txn != null) {
      txn.rollback();
    }
    txn = null;
    entries.clear();
  }
}
