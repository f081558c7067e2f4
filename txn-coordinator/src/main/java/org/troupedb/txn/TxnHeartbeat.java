package org.troupedb.txn;

import java.util.UUID;

/**
 * The heartbeat of one transaction's record (CockroachDB's txnHeartbeater): started by the first
 * write or lock, so that pushers do not take the live transaction for abandoned; stopped at commit
 * or rollback. Its replies are how the coordinator learns that a pusher aborted the transaction
 * ({@link #abortedByPush()}), and the conflict waiter uses it to tell the record that the
 * transaction waits ({@link #announceWaiting}), which is what lets a deadlock cycle lose a member.
 *
 * <p>Why first in the chain: it knows nothing of reads or writes, only of the record's anchor key,
 * and every other part may need it (the waiter announces through it, every operation checks
 * whether a push aborted the transaction).
 *
 * <pre>
 *   idle ──start (first write)──▶ running ──stop (commit / rollback)──▶ stopped
 *                                (a stopped heartbeat never starts again)
 * </pre>
 *
 * <p>Threads: {@link #anchorIfUnset} runs on the caller's thread; the node's heartbeat timer reads
 * the anchor and marks a push; pipelined writes' replies may start it. Hence the fields below are
 * grouped by who guards them.
 */
final class TxnHeartbeat {

  /** Where heartbeats go: the node's timer ({@link TxnCoordinator}), or a recorder in tests. */
  interface Registry {
    /** Heartbeats {@code hb}'s record periodically from now on. */
    void start(TxnHeartbeat hb);

    /** Stops heartbeating {@code hb}'s record. */
    void stop(TxnHeartbeat hb);

    /** Heartbeats {@code hb}'s record once, now, saying whether it waits. */
    void beat(TxnHeartbeat hb, boolean waiting);
  }

  private final UUID txnId;
  private final Registry registry;

  // Guarded by this: pipelined writes' replies may start the heartbeat while the caller stops it.
  private boolean started;
  private boolean stopped;

  // Volatile: written on the caller's thread, read by the heartbeat timer (anchor, waiting), and
  // set by heartbeat replies on any thread (abortedByPush).
  private volatile byte[] anchorKey;
  private volatile boolean waiting;
  private volatile boolean abortedByPush;

  TxnHeartbeat(UUID txnId, Registry registry) {
    this.txnId = txnId;
    this.registry = registry;
  }

  UUID txnId() {
    return txnId;
  }

  /** The key locating the transaction's record: its first key written or locked (null: none yet). */
  byte[] anchorKey() {
    return anchorKey;
  }

  /** Anchors the record at {@code key} unless it is anchored already. */
  void anchorIfUnset(byte[] key) {
    if (anchorKey == null) {
      anchorKey = key;
    }
  }

  /** Starts heartbeating, once: the transaction now has intents whose record must stay alive. */
  synchronized void start() {
    if (!started) {
      started = true;
      registry.start(this);
    }
  }

  /** Stops heartbeating (commit or rollback); idempotent. */
  synchronized void stop() {
    if (started && !stopped) {
      stopped = true;
      registry.stop(this);
    }
  }

  /** Whether the heartbeat is running (started, not stopped). */
  synchronized boolean running() {
    return started && !stopped;
  }

  /** Whether this transaction is blocked on another one (told to its record by heartbeats). */
  boolean waiting() {
    return waiting;
  }

  /**
   * Tells this transaction's record whether it is waiting (a heartbeat); the reply tells whether
   * a pusher aborted it meanwhile. Only a transaction with intents has a record worth telling.
   */
  void announceWaiting(boolean now) {
    waiting = now;
    boolean alive;
    synchronized (this) {
      alive = started;
    }
    if (alive && anchorKey != null) {
      registry.beat(this, now);
    }
  }

  /** A heartbeat's reply said the record was ABORTED: a pusher aborted this transaction. */
  void markAbortedByPush() {
    abortedByPush = true;
  }

  boolean abortedByPush() {
    return abortedByPush;
  }
}
