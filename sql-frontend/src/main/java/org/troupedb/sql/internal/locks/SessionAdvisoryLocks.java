package org.troupedb.sql.internal.locks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.troupedb.sql.SqlException;

/**
 * One session's advisory locks, counted by key, mode and scope, as PostgreSQL keeps them:
 * session-scoped holds last until unlocked or the session ends (a rollback keeps them),
 * transaction-scoped holds until the transaction ends and cannot be unlocked before. The session
 * calls {@link #endTransaction()} when its transaction (block or implicit) ends and {@link #close()}
 * when it ends.
 */
public final class SessionAdvisoryLocks {
  private record Hold(AdvisoryLocks.Key key, boolean shared) {}

  private final AdvisoryLocks table;
  private final AtomicBoolean cancel;
  private final LongSupplier lockTimeoutMillis;
  /** Counts per hold; guarded by {@code this} (statements run on the session's thread, close may not). */
  private final Map<Hold, Integer> sessionHolds = new HashMap<>();
  private final Map<Hold, Integer> xactHolds = new HashMap<>();
  private boolean closed;

  /** {@code lockTimeoutMillis}: the session's lock_timeout now (0: none). */
  public SessionAdvisoryLocks(AdvisoryLocks table, AtomicBoolean cancel, LongSupplier lockTimeoutMillis) {
    this.table = table;
    this.cancel = cancel;
    this.lockTimeoutMillis = lockTimeoutMillis;
  }

  /**
   * {@code pg_[try_]advisory_[xact_]lock[_shared]}: takes one hold; with {@code wait} waits for it
   * (57014 on cancel or statement_timeout, 55P03 on lock_timeout), else answers whether it got it.
   */
  public boolean lock(AdvisoryLocks.Key key, boolean shared, boolean xact, boolean wait) throws SqlException {
    if (!table.acquire(this, key, shared, wait, cancel, wait ? lockTimeoutMillis.getAsLong() : 0)) {
      return false;
    }
    synchronized (this) {
      if (closed) {
        table.release(this, key, shared, 1);
        return false;
      }
      (xact ? xactHolds : sessionHolds).merge(new Hold(key, shared), 1, Integer::sum);
    }
    return true;
  }

  /**
   * {@code pg_advisory_unlock[_shared]}: drops one session-scoped hold; false when there is none
   * (PostgreSQL also warns "you don't own a lock of type ExclusiveLock").
   */
  public synchronized boolean unlock(AdvisoryLocks.Key key, boolean shared) {
    Hold h = new Hold(key, shared);
    Integer n = sessionHolds.get(h);
    if (n == null) {
      return false;
    }
    if (n == 1) {
      sessionHolds.remove(h);
    } else {
      sessionHolds.put(h, n - 1);
    }
    table.release(this, key, shared, 1);
    return true;
  }

  /** {@code pg_advisory_unlock_all()}: drops every session-scoped hold. */
  public synchronized void unlockAll() {
    releaseAll(sessionHolds);
  }

  /** The session's transaction ended (committed or rolled back): drops its transaction-scoped holds. */
  public synchronized void endTransaction() {
    releaseAll(xactHolds);
  }

  /** The session ended: drops everything, and any lock granted later is given back at once. */
  public synchronized void close() {
    closed = true;
    releaseAll(xactHolds);
    releaseAll(sessionHolds);
  }

  private void releaseAll(Map<Hold, Integer> holds) {
    for (Map.Entry<Hold, Integer> e : holds.entrySet()) {
      table.release(this, e.getKey().key(), e.getKey().shared(), e.getValue());
    }
    holds.clear();
  }
}
