package org.troupedb.sql.internal.session;

import org.troupedb.sql.internal.plan.StatementContext;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.TimeoutSetting;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.exec.MaterializedResult;
import org.troupedb.sql.internal.exec.StreamedResult;
import org.troupedb.sql.internal.exec.Copy;
import org.troupedb.sql.internal.exec.Ddl;
import org.troupedb.sql.internal.exec.Dml;
import org.troupedb.sql.internal.exec.DmlPlan;
import org.troupedb.sql.internal.exec.DmlPlanner;
import org.troupedb.sql.parser.Query;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.ast.SqlAsOfSystemTime;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlCommit;
import org.troupedb.sql.parser.ast.SqlCopy;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlDeclareCursor;
import org.troupedb.sql.parser.ast.SqlExecute;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlPgExplain;
import org.troupedb.sql.parser.ast.SqlReleaseSavepoint;
import org.troupedb.sql.parser.ast.SqlResetVariable;
import org.troupedb.sql.parser.ast.SqlRollback;
import org.troupedb.sql.parser.ast.SqlSavepoint;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.sql.parser.ast.SqlSetVariable;
import org.troupedb.sql.parser.ast.SqlShowVariable;
import org.troupedb.sql.parser.ast.SqlVacuum;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * Routes an executed statement, the one place that decides where it runs:
 *
 * <pre>
 *   COMMIT / ROLLBACK [TO] ───────────────────────────▶ SessionTxn (transaction control)
 *   block FAILED or RELEASED ─────────────────────────▶ 25P02 / 25000
 *   BEGIN, SET, SHOW, SAVEPOINT, RELEASE ──────────────▶ SessionTxn / Vars (no transaction)
 *   EXECUTE, DECLARE, FETCH, CLOSE, PREPARE, COPY (q) ─▶ SessionStatements (EXECUTE and DECLARE back here)
 *   COPY ─────────────────────────────────────────────▶ Copy (the block's or its own transaction)
 *   inside a block ───────────────────────────────────▶ run in the block's transaction (error: block FAILED)
 *   autocommit INSERT … VALUES before Sync ───────────▶ InsertPipeline
 *   anything else ────────────────────────────────────▶ an implicit transaction, retried on 40001
 * </pre>
 *
 * A query's {@link StreamedResult} (more rows than its buffer) leaves here still reading: an
 * implicit transaction commits when its last row has been read and rolls back if it fails or is
 * closed first; in a block, a failure while it is read fails the block.
 *
 * {@link #run} then hands the statement to EXPLAIN, the DML executor, VACUUM or DDL.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class StatementRouter {
  private static final int MAX_RETRIES = 10;
  /** {@code -Dtroupedb.sql.insert-pipeline=off}: every autocommit INSERT commits at its Execute (for measuring). */
  private static final boolean PIPELINING = !"off".equals(System.getProperty("troupedb.sql.insert-pipeline"));

  private final Session session;
  private final Engine engine;
  private final CancelFlag cancel;
  private final SessionTxn block;
  private final Vars vars;
  private final DuplicateKeys duplicates;
  private final TxnCatalog catalogs;
  /** Autocommit INSERTs of VALUES since the client's last Sync. */
  private final InsertPipeline pipeline;
  /** PREPARE / EXECUTE / DEALLOCATE, the cursor statements and COPY (query). */
  private final SessionStatements sessionStatements;

  StatementRouter(Session session, SessionTxn block, Vars vars, DuplicateKeys duplicates, TxnCatalog catalogs,
      InsertPipeline pipeline) {
    this.session = session;
    this.engine = session.engine;
    this.cancel = session.cancel;
    this.block = block;
    this.vars = vars;
    this.duplicates = duplicates;
    this.catalogs = catalogs;
    this.pipeline = pipeline;
    this.sessionStatements = new SessionStatements(session, block, this);
  }

  /** Executes {@code p}; {@code untilSync}: an autocommit INSERT may join the pipeline until Sync. */
  StatementResult route(Session.PreparedImpl p, List<Object> params, boolean untilSync) throws SqlException {
    if (untilSync && PIPELINING && pipelinable(p)) {
      return pipelined(p, params);
    }
    commitPipeline();
    return executeStatement(p, params);
  }

  /** Runs {@code p} as a statement of its own (EXECUTE's prepared statement, DECLARE's query). */
  StatementResult executeStatement(Session.PreparedImpl p, List<Object> params) throws SqlException {
    SqlNode node = p.statement().node();
    if (node instanceof SqlCommit || node instanceof SqlRollback) {
      session.openResults.closeAll(); // a block's portals end with it, as in PostgreSQL
    }
    if (node instanceof SqlCommit) {
      boolean committed = false;
      try {
        String tag = block.commit();
        committed = tag.equals("COMMIT");
        return MaterializedResult.of(tag);
      } finally {
        if (block.state() == TxnBlock.State.IDLE) {
          session.cursors.transactionEnded(committed);
        }
      }
    }
    if (node instanceof SqlRollback r) {
      if (r.savepoint() == null) {
        block.rollback();
        session.cursors.transactionEnded(false);
      } else {
        block.rollbackTo(r.savepoint().getSimple());
        session.cursors.rolledBackTo(r.savepoint().getSimple());
        catalogs.forget(); // DDL after the savepoint is undone too
      }
      return MaterializedResult.of("ROLLBACK");
    }
    block.block().checkRunnable();
    if (node instanceof SqlExecute || node instanceof SqlDeclareCursor) {
      return sessionStatements.execute(p, params);
    }
    try {
      StatementResult r = session(p);
      if (r != null) {
        return r;
      }
    } catch (SqlException e) {
      if (block.txn() != null) {
        block.fail();
      }
      throw e;
    }
    Txn txn = block.txn();
    if (block.readOnly() && !p.statement().commandTag().equals("SELECT")
        && !(node instanceof SqlPgExplain) && !(node instanceof SqlVacuum) && !(node instanceof SqlCopy c && !c.from())) {
      SqlException e = new SqlException(SqlState.READ_ONLY_SQL_TRANSACTION,
          "cannot execute " + p.statement().commandTag() + " in a read-only transaction");
      if (txn != null) {
        block.fail();
      }
      throw e;
    }
    if (node instanceof SqlCopy copy && copy.query() != null) {
      return sessionStatements.copyQuery(copy, p);
    }
    if (node instanceof SqlCopy copy) {
      return Copy.start(session.context(txn, null), copy, block::fail);
    }
    Timestamp asOf = node instanceof SqlAsOfSystemTime a
        ? AsOfSystemTime.resolve(a.timestamp(), HybridClock.SYSTEM_CLOCK.getAsLong()) : null;
    if (txn != null && asOf != null) {
      block.fail();
      throw SqlException.unsupported("AS OF SYSTEM TIME inside a transaction block");
    }
    if (txn != null) {
      block.statementStarted();
      try {
        StatementResult r = run(txn, p, params);
        if (r instanceof StreamedResult streamed) {
          streamed.onEnd(end -> {
            if (end == StreamedResult.End.FAILED && block.txn() == txn) {
              block.fail();
            }
          });
        }
        return r;
      } catch (KeyExistsException e) {
        block.fail();
        throw duplicates.error(e);
      } catch (SqlException | RuntimeException e) {
        block.fail();
        throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
      }
    }
    boolean streamed = false;
    try {
      StatementResult r = implicitTransaction(p, params, asOf);
      streamed = r instanceof StreamedResult;
      return r;
    } finally {
      if (!streamed) {
        session.advisoryLocks.endTransaction(); // pg_advisory_xact_lock in an implicit transaction
      }
    }
  }

  /** Runs {@code p} in a transaction of its own, retried on 40001. */
  private StatementResult implicitTransaction(Session.PreparedImpl p, List<Object> params, Timestamp asOf) throws SqlException {
    for (int attempt = 0; ; attempt++) {
      Txn t = engine.kv.begin(asOf == null ? TxnOptions.implicitStatement() : new TxnOptions(true, asOf, true));
      duplicates.clear();
      try {
        StatementResult r = run(t, p, params);
        if (r instanceof StreamedResult streamed) {
          return streamed.onEnd(end -> endStreamed(t, end));
        }
        Kv.await(t.commit(), cancel);
        engine.catalog.afterCommit(t);
        return r;
      } catch (SqlException | RuntimeException e) {
        t.rollback();
        SqlException se = e instanceof KeyExistsException k ? duplicates.error(k)
            : e instanceof SqlException x ? x : Errors.fromRuntime(e);
        if (SqlState.SERIALIZATION_FAILURE.equals(se.sqlState()) && attempt < MAX_RETRIES) {
          continue;
        }
        throw se;
      }
    }
  }

  /**
   * The end of a result streamed out of implicit transaction {@code t}: commit it once every row
   * was read (no retry now: rows went to the client), else roll it back.
   */
  private void endStreamed(Txn t, StreamedResult.End end) throws SqlException {
    try {
      if (end == StreamedResult.End.COMPLETED) {
        Kv.await(t.commit(), cancel);
        engine.catalog.afterCommit(t);
      } else {
        t.rollback();
      }
    } catch (SqlException | RuntimeException e) {
      t.rollback();
      throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
    } finally {
      session.advisoryLocks.endTransaction();
    }
  }

  /**
   * An INSERT of VALUES (no RETURNING, ON CONFLICT or AS OF) outside a transaction block, whose
   * result does not depend on what it reads: it may join the {@link InsertPipeline}.
   */
  private boolean pipelinable(Session.PreparedImpl p) {
    Query q = p.statement().query();
    return block.txn() == null && block.state() == TxnBlock.State.IDLE && q != null && p.statement().node() == q.node()
        && q.node() instanceof org.apache.calcite.sql.SqlInsert ins
        && ins.getSource().getKind() == org.apache.calcite.sql.SqlKind.VALUES
        && !q.handlesConflicts() && q.returning() == null && !block.readOnly();
  }

  private StatementResult pipelined(Session.PreparedImpl p, List<Object> params) throws SqlException {
    if (!pipeline.open()) {
      duplicates.clear();
    }
    try {
      return pipeline.add(p, params, this::run);
    } catch (SqlException | RuntimeException e) {
      pipeline.abort();
      throw e instanceof KeyExistsException k ? duplicates.error(k)
          : e instanceof SqlException x ? x : Errors.fromRuntime((RuntimeException) e);
    }
  }

  /** Commits the open {@link InsertPipeline}, if any; its failure is this statement's error. */
  void commitPipeline() throws SqlException {
    if (!pipeline.open()) {
      return;
    }
    try {
      pipeline.commit(this::run, cancel, MAX_RETRIES);
    } catch (KeyExistsException e) {
      throw duplicates.error(e);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    }
  }

  /**
   * Runs a statement that needs no transaction of its own (BEGIN, SET, SHOW, SAVEPOINT, the
   * transaction-block checks); null for one that does.
   */
  private StatementResult session(Session.PreparedImpl p) throws SqlException {
    SqlNode node = p.statement().node();
    String tag = p.statement().commandTag();
    if (node instanceof SqlBeginTransaction b) {
      block.begin(b);
      return MaterializedResult.of(tag);
    }
    if (node instanceof SqlSetVariable set) {
      vars.set(set);
      return MaterializedResult.of(tag);
    }
    if (node instanceof SqlResetVariable reset) {
      vars.reset(reset.name());
      return MaterializedResult.of(tag);
    }
    if (node instanceof SqlSetTransaction set) {
      block.setTransaction(set);
      return MaterializedResult.of(tag);
    }
    if (node instanceof SqlShowVariable show) {
      return show(show, p);
    }
    if (node instanceof SqlSavepoint sp) {
      block.savepoint(sp.name().getSimple());
      session.cursors.savepoint(sp.name().getSimple());
      return MaterializedResult.of(tag);
    }
    if (node instanceof SqlReleaseSavepoint r) {
      block.release(r.name().getSimple());
      return MaterializedResult.of(tag);
    }
    StatementResult r = sessionStatements.withoutTransaction(p);
    if (r != null) {
      return r;
    }
    boolean database = node instanceof SqlCreateDatabase || node instanceof SqlDropDatabase;
    if (block.txn() != null && (database || node instanceof SqlVacuum v && v.vacuum())) {
      throw new SqlException(SqlState.ACTIVE_SQL_TRANSACTION, tag + " cannot run inside a transaction block");
    }
    return null;
  }

  private StatementResult run(Txn t, Session.PreparedImpl p, List<Object> params) throws SqlException {
    t.setLockTimeout(TimeoutSetting.millisOrOff(vars.get(TimeoutSetting.LOCK)));
    Stmt st = p.statement();
    Catalog cat = catalogs.of(t);
    if (st.node() instanceof SqlPgExplain) {
      if (st.query() == null) {
        throw SqlException.unsupported("EXPLAIN of " + StatementParser.tag(((SqlPgExplain) st.node()).statement()));
      }
      DmlPlan planned = DmlPlanner.plan(session.context(t, cat).declaring(p.declaredTypes()), st.query());
      List<Object[]> rows = new ArrayList<>();
      for (String line : planned.plan().explain().split("\n")) {
        rows.add(new Object[] {line});
      }
      return new MaterializedResult(p.columns(), rows, "EXPLAIN", false);
    }
    if (st.query() != null) {
      return Dml.execute(session.context(t, cat).declaring(p.declaredTypes()), st.query(), p.plan(),
          params == null ? List.of() : params);
    }
    if (st.node() instanceof SqlVacuum v) {
      for (org.apache.calcite.sql.SqlIdentifier id : v.tables()) {
        Names.table(session.database, cat, id);
      }
      return MaterializedResult.of(st.commandTag());
    }
    catalogs.forget(); // DDL changes what this transaction sees
    StatementContext cx = session.context(t, cat);
    String tag = Privileges.executeOrCheck(cx, st.node());
    return MaterializedResult.of(tag != null ? tag : Ddl.execute(cx, st.node(), st.sql()));
  }

  private StatementResult show(SqlShowVariable show, Session.PreparedImpl p) throws SqlException {
    if (show.all()) {
      return new MaterializedResult(p.columns(), vars.all(), "SHOW", false);
    }
    String v = vars.get(show.name());
    if (v == null) {
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + show.name() + "\"");
    }
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {v});
    return new MaterializedResult(p.columns(), rows, "SHOW", false);
  }

}
