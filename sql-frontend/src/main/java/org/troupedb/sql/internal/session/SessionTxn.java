package org.troupedb.sql.internal.session;

import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.locks.SessionAdvisoryLocks;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnState;

/**
 * A session's explicit transaction block: its {@link TxnBlock} state, the open transaction, its
 * savepoints and READ ONLY mode, and the transaction-control statements that change them (BEGIN,
 * SET TRANSACTION, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT, ROLLBACK). Statements that run inside
 * the block are routed by {@link Session}.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class SessionTxn {
  private final Engine engine;
  private final Vars vars;
  private final CancelFlag cancel;
  private final SessionAdvisoryLocks advisoryLocks;
  private final DuplicateKeys duplicates;
  private final TxnBlock block = new TxnBlock();
  /** The open block's transaction; null in IDLE. */
  private Txn txn;
  /** The open block was begun (or SET TRANSACTION made it) READ ONLY. */
  private boolean readOnly;
  /** The open block's savepoints (innermost last). */
  private final Savepoints savepoints = new Savepoints();

  SessionTxn(Engine engine, Vars vars, CancelFlag cancel, SessionAdvisoryLocks advisoryLocks,
      DuplicateKeys duplicates) {
    this.engine = engine;
    this.vars = vars;
    this.cancel = cancel;
    this.advisoryLocks = advisoryLocks;
    this.duplicates = duplicates;
  }

  /** The open block's transaction, or null outside a block. */
  Txn txn() {
    return txn;
  }

  TxnBlock.State state() {
    return block.state();
  }

  TxnBlock block() {
    return block;
  }

  /** Whether a statement now would run read-only: the block's mode, else the session default. */
  boolean readOnly() {
    return txn != null ? readOnly : "on".equals(vars.get("default_transaction_read_only"));
  }

  /** A statement other than transaction control runs in the block: later savepoints are not at its start. */
  void statementStarted() {
    savepoints.started();
  }

  /**
   * An error inside the block: the block is aborted until ROLLBACK — or ROLLBACK TO SAVEPOINT,
   * so under a savepoint the transaction stays open (its writes since the savepoint are undone
   * then); without one it is rolled back now, releasing its locks early.
   */
  void fail() {
    block.on(TxnBlock.Event.ERROR);
    if (txn != null && savepoints.isEmpty()) {
      txn.rollback();
    }
  }

  void begin(SqlBeginTransaction b) throws SqlException {
    if (txn != null) {
      return; // PostgreSQL: WARNING, there is already a transaction in progress
    }
    Timestamp asOf = null;
    if (b.asOf() != null) {
      if (Boolean.FALSE.equals(b.readOnly())) {
        throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
            "AS OF SYSTEM TIME specified with READ WRITE mode: a transaction in the past is read-only");
      }
      asOf = AsOfSystemTime.resolve(b.asOf(), HybridClock.SYSTEM_CLOCK.getAsLong());
    }
    duplicates.clear();
    txn = engine.kv.begin(asOf == null ? TxnOptions.readWrite() : new TxnOptions(true, asOf, false));
    block.on(TxnBlock.Event.BEGIN);
    vars.beginBlock();
    readOnly = asOf != null
        || (b.readOnly() != null ? b.readOnly() : "on".equals(vars.get("default_transaction_read_only")));
    vars.internal("transaction_read_only", readOnly ? "on" : "off");
  }

  /** SET TRANSACTION (this block) or SET SESSION CHARACTERISTICS AS TRANSACTION (later ones). */
  void setTransaction(SqlSetTransaction set) {
    if (set.readOnly() == null) {
      return; // isolation levels: every transaction is serializable
    }
    String value = set.readOnly() ? "on" : "off";
    if (set.session()) {
      vars.internal("default_transaction_read_only", value);
    } else if (txn != null) {
      readOnly = set.readOnly();
      vars.internal("transaction_read_only", value);
    }
  }

  void savepoint(String name) throws SqlException {
    if (txn == null) {
      throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "SAVEPOINT can only be used in transaction blocks");
    }
    savepoints.push(name, kvSavepoint(txn));
  }

  private static SqlException noSuchSavepoint(String name) {
    return new SqlException(SqlState.INVALID_SAVEPOINT_SPECIFICATION, "savepoint \"" + name + "\" does not exist");
  }

  private static Txn.Savepoint kvSavepoint(Txn t) throws SqlException {
    try {
      return t.savepoint();
    } catch (UnsupportedOperationException e) {
      throw SqlException.unsupported("SAVEPOINT");
    }
  }

  /**
   * RELEASE [SAVEPOINT] name: forgets the savepoint and the later ones. Releasing the retry
   * savepoint {@code cockroach_restart} commits the transaction (CockroachDB's protocol): on
   * 40001 the block fails and ROLLBACK TO SAVEPOINT cockroach_restart retries it; on success
   * only COMMIT or ROLLBACK may follow.
   */
  void release(String name) throws SqlException {
    if (txn == null) {
      throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "RELEASE SAVEPOINT can only be used in transaction blocks");
    }
    Savepoints.Named sp = savepoints.find(name);
    if (sp == null) {
      throw noSuchSavepoint(name);
    }
    if (!Savepoints.RESTART.equals(name)) {
      savepoints.release(sp);
      txn.release(sp.kv());
      return;
    }
    try {
      Kv.await(txn.commit(), cancel);
    } catch (KeyExistsException e) {
      throw duplicates.error(e);
    }
    engine.catalog.afterCommit(txn);
    block.on(TxnBlock.Event.RELEASE_RESTART);
  }

  /**
   * ROLLBACK TO [SAVEPOINT] name. The transaction open: its writes and row locks since the
   * savepoint are undone and the block leaves the failed state. The transaction aborted by a
   * retry error (40001): only a savepoint taken before the block's first statement (such as
   * {@code cockroach_restart}) can be rolled back to — that restarts the transaction at a new
   * timestamp with the same priority; any other savepoint fails with 40001 (the writes before
   * it are lost with the aborted transaction), as in CockroachDB.
   */
  void rollbackTo(String name) throws SqlException {
    if (txn == null) {
      throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
          "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
    }
    if (block.state() == TxnBlock.State.RELEASED) {
      throw TxnBlock.released();
    }
    Savepoints.Named sp = savepoints.find(name);
    if (sp == null) {
      fail();
      throw noSuchSavepoint(name);
    }
    if (txn.state() != TxnState.PENDING) {
      if (!sp.atStart()) {
        fail();
        throw new SqlException(SqlState.SERIALIZATION_FAILURE, "restart transaction: cannot roll back to savepoint \""
            + name + "\" after the transaction was aborted by a retry error; only a savepoint taken at the start of"
            + " the transaction (SAVEPOINT cockroach_restart) restarts it", null, "ROLLBACK and retry the transaction",
            null);
      }
      txn = txn.restart();
      duplicates.clear();
      savepoints.restarted(sp, kvSavepoint(txn));
    } else {
      try {
        Kv.await(txn.rollbackTo(sp.kv()), cancel);
      } catch (SqlException | RuntimeException e) {
        fail();
        throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
      }
      savepoints.rolledBackTo(sp);
    }
    block.on(TxnBlock.Event.ROLLED_BACK_TO);
  }

  /** COMMIT: the command tag ({@code ROLLBACK} for a failed block). */
  String commit() throws SqlException {
    if (block.state() == TxnBlock.State.FAILED) {
      rollback();
      return "ROLLBACK";
    }
    if (block.state() == TxnBlock.State.RELEASED) { // RELEASE SAVEPOINT cockroach_restart committed it
      end(true);
      return "COMMIT";
    }
    if (txn != null) {
      Txn t = txn;
      end(true);
      try {
        Kv.await(t.commit(), cancel);
      } catch (KeyExistsException e) {
        t.rollback();
        throw duplicates.error(e);
      } catch (SqlException e) {
        t.rollback();
        throw e;
      }
      engine.catalog.afterCommit(t);
    }
    return "COMMIT";
  }

  /** ROLLBACK (of the whole block), also when the session closes. */
  void rollback() {
    if (txn != null) {
      txn.rollback();
    }
    end(false);
  }

  private void end(boolean committed) {
    advisoryLocks.endTransaction();
    txn = null;
    savepoints.clear();
    block.on(TxnBlock.Event.END);
    duplicates.clear();
    vars.endBlock(committed);
    readOnly = false;
    vars.internal("transaction_read_only", "off");
  }
}
