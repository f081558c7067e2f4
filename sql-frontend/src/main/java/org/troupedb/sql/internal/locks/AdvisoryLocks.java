package org.troupedb.sql.internal.locks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.CancelFlag;

/**
 * The node's advisory lock table, as PostgreSQL's lock manager keeps advisory locks: a lock is
 * named by a {@link Key} and held in exclusive or shared mode by sessions, each holding a count
 * (locks are re-entrant). A session never conflicts with itself; an exclusive request conflicts
 * with any other session's hold, a shared request with another session's exclusive hold.
 *
 * <pre>
 *   acquire(wait) ──conflict──▶ wait on the table's condition ──released──▶ check again
 *         │                        │ cancel flag / lock_timeout
 *         ▼ no conflict            ▼
 *       granted                 57014 / 55P03
 * </pre>
 *
 * NB: the table is per node: in a cluster two nodes' sessions do not see each other's advisory
 * locks (see docs/sql.md). Deadlocks among advisory locks are not detected; lock_timeout,
 * statement_timeout and a cancel end a wait.
 */
public final class AdvisoryLocks {
  /** How often a waiter looks at its cancel flag (a release wakes it at once). */
  private static final long POLL_MILLIS = 20;

  /** The lock's name: {@code space} 1 for one bigint key, 2 for two integer keys (PostgreSQL's objsubid). */
  public record Key(int space, long value) {
    public static Key of(long key) {
      return new Key(1, key);
    }

    public static Key of(int high, int low) {
      return new Key(2, ((long) high << 32) | (low & 0xffffffffL));
    }
  }

  /** Who holds: counts by session, in each mode. Guarded by {@link #mu}. */
  private static final class Holders {
    final Map<Object, Integer> exclusive = new HashMap<>();
    final Map<Object, Integer> shared = new HashMap<>();

    boolean conflicts(Object owner, boolean sharedMode) {
      for (Object o : exclusive.keySet()) {
        if (o != owner) {
          return true;
        }
      }
      if (!sharedMode) {
        for (Object o : shared.keySet()) {
          if (o != owner) {
            return true;
          }
        }
      }
      return false;
    }

    boolean isEmpty() {
      return exclusive.isEmpty() && shared.isEmpty();
    }
  }

  private final ReentrantLock mu = new ReentrantLock();
  private final Condition released = mu.newCondition();
  /** Held locks by key; guarded by {@link #mu}. */
  private final Map<Key, Holders> locks = new HashMap<>();

  /**
   * Takes one hold of {@code key} for {@code owner}. With {@code wait} false, answers whether it
   * was granted at once; with {@code wait} true, waits until granted (true) or fails with 57014
   * when {@code cancel} is set or 55P03 after {@code lockTimeoutMillis} (0: no limit).
   */
  public boolean acquire(Object owner, Key key, boolean shared, boolean wait, AtomicBoolean cancel,
      long lockTimeoutMillis) throws SqlException {
    long deadline = lockTimeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockTimeoutMillis) : 0;
    mu.lock();
    try {
      while (true) {
        Holders h = locks.computeIfAbsent(key, k -> new Holders());
        if (!h.conflicts(owner, shared)) {
          (shared ? h.shared : h.exclusive).merge(owner, 1, Integer::sum);
          return true;
        }
        if (h.isEmpty()) {
          locks.remove(key);
        }
        if (!wait) {
          return false;
        }
        if (cancel != null && cancel.get()) {
          throw CancelFlag.error(cancel);
        }
        long waitMillis = POLL_MILLIS;
        if (deadline != 0) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            throw new SqlException(SqlState.LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout");
          }
          waitMillis = Math.min(waitMillis, left);
        }
        try {
          released.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CancelFlag.error(cancel);
        }
      }
    } finally {
      mu.unlock();
    }
  }

  /** Drops {@code count} holds of {@code key} in the mode by {@code owner} (all it has if fewer). */
  public void release(Object owner, Key key, boolean shared, int count) {
    mu.lock();
    try {
      Holders h = locks.get(key);
      if (h == null) {
        return;
      }
      Map<Object, Integer> m = shared ? h.shared : h.exclusive;
      Integer held = m.get(owner);
      if (held != null) {
        if (held <= count) {
          m.remove(owner);
        } else {
          m.put(owner, held - count);
        }
      }
      if (h.isEmpty()) {
        locks.remove(key);
      }
      released.signalAll();
    } finally {
      mu.unlock();
    }
  }

  /** How many keys are held by anyone (for tests and metrics). */
  public int heldKeys() {
    mu.lock();
    try {
      return locks.size();
    } finally {
      mu.unlock();
    }
  }
}
