package org.troupedb.txn;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;

/**
 * One serializable transaction over the ordered key space. Keys are compared as unsigned bytes.
 *
 * <p>Reads see the transaction's own writes. Every operation returns a stage that fails with a
 * {@link TxnException} subclass: {@link TxnRetryException} (SQLSTATE 40001) when the transaction
 * must be retried, {@link KeyExistsException} for an {@link Mutation.Insert} on a live key,
 * {@link TxnAbortedException} when it was aborted. After a failure the transaction is finished.
 *
 * <p>NB: a transaction is used by one caller at a time (one SQL session); operations must not
 * overlap (wait for each stage before issuing the next).
 */
public interface Txn {

  UUID id();

  /** The timestamp reads are served at. */
  Timestamp readTimestamp();

  TxnState state();

  /** The value of {@code key}, or null if absent. */
  CompletionStage<byte[]> get(byte[] key);

  /**
   * Up to {@code limit} live key/value pairs with {@code start <= key < end}, in key order
   * ({@code limit <= 0}: no limit). To page, call again with start = last key + 0x00.
   */
  CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit);

  /** Applies the mutations in order as one batch (writes go to ranges grouped by range). */
  CompletionStage<Void> write(List<Mutation> mutations);

  /**
   * How reads lock what they return (SELECT … FOR UPDATE / FOR SHARE [NOWAIT | SKIP LOCKED]):
   * exclusively (one holder; FOR UPDATE, FOR NO KEY UPDATE) or shared (any number of sharers keep
   * writers and exclusive lockers out; FOR SHARE, FOR KEY SHARE); a held row is waited for, fails
   * with {@link LockNotAvailableException} (NOWAIT), or is left out of the result (SKIP LOCKED).
   */
  enum ReadLock {
    /** Plain reads: no locks (serializability comes from the timestamp cache and refresh). */
    NONE,
    EXCLUSIVE,
    EXCLUSIVE_NOWAIT,
    EXCLUSIVE_SKIP_LOCKED,
    SHARED,
    SHARED_NOWAIT,
    SHARED_SKIP_LOCKED;

    /** The lock of the given strength and wait policy ({@code nowait} and {@code skipLocked} exclude each other). */
    public static ReadLock of(boolean shared, boolean nowait, boolean skipLocked) {
      if (shared) {
        return nowait ? SHARED_NOWAIT : skipLocked ? SHARED_SKIP_LOCKED : SHARED;
      }
      return nowait ? EXCLUSIVE_NOWAIT : skipLocked ? EXCLUSIVE_SKIP_LOCKED : EXCLUSIVE;
    }

    public boolean shared() {
      return this == SHARED || this == SHARED_NOWAIT || this == SHARED_SKIP_LOCKED;
    }

    public boolean nowait() {
      return this == EXCLUSIVE_NOWAIT || this == SHARED_NOWAIT;
    }

    public boolean skipLocked() {
      return this == EXCLUSIVE_SKIP_LOCKED || this == SHARED_SKIP_LOCKED;
    }
  }

  /**
   * Makes the following reads locking reads (until set back to NONE): each row returned by
   * {@link #get} or {@link #scan} is locked for this transaction until it ends; plain readers are
   * not blocked, writers and other locking readers wait. Implementations without concurrent
   * transactions may ignore it.
   */
  default void setReadLock(ReadLock mode) {
  }

  /**
   * Bounds each following wait for another live transaction's lock or intent (PostgreSQL's
   * lock_timeout, set per statement): a longer wait fails with {@link LockTimeoutException}.
   * 0: no bound but the node's lock-wait-timeout. Implementations without concurrent
   * transactions may ignore it.
   */
  default void setLockTimeout(long millis) {
  }

  /**
   * A savepoint: a mark in the transaction's sequence of writes (SAVEPOINT). Opaque to callers;
   * {@code seq} orders savepoints of one transaction.
   */
  record Savepoint(int seq, int intentMark) {}

  /**
   * SAVEPOINT: marks the writes so far. While a savepoint is active, an operation failing with a
   * statement error ({@link KeyExistsException}, {@link LockNotAvailableException}) leaves the
   * transaction open, so that {@link #rollbackTo} can undo what the failed statement wrote; a
   * retry error (40001) still aborts it.
   *
   * @throws UnsupportedOperationException if this implementation has no savepoints
   */
  default Savepoint savepoint() {
    throw new UnsupportedOperationException("SAVEPOINT");
  }

  /**
   * ROLLBACK TO SAVEPOINT: undoes every write made after {@code sp} (restoring values the
   * transaction wrote before it) and releases the row locks taken after it; {@code sp} stays
   * active, later savepoints are released. Reads made after {@code sp} stay part of the
   * transaction (their results were seen).
   */
  default CompletionStage<Void> rollbackTo(Savepoint sp) {
    throw new UnsupportedOperationException("ROLLBACK TO SAVEPOINT");
  }

  /** RELEASE SAVEPOINT: forgets {@code sp} and every later savepoint; the writes stay. */
  default void release(Savepoint sp) {
  }

  /**
   * The retry of this transaction after a retry error (CockroachDB's restart savepoint): this one
   * is rolled back if still open, and a new one with the same options and priority begins at a
   * new (later) timestamp.
   */
  default Txn restart() {
    throw new UnsupportedOperationException("transaction restart");
  }

  /** Commits; the stage completes once the commit is durable. */
  CompletionStage<Void> commit();

  /** Aborts and removes this transaction's provisional writes. Idempotent. */
  CompletionStage<Void> rollback();
}
