package org.troupedb.txn;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.troupedb.range.Intent;

/**
 * What a request does when it meets other transactions' intents or locks: push their owners
 * ({@link IntentResolver}, which resolves finished or abandoned ones), then, while an owner is
 * alive, fail at once (NOWAIT), skip (SKIP LOCKED) or wait for it round after round, woken by the
 * range when the intent is resolved, and retry the request.
 *
 * <p>Between rounds the transaction says it waits (through its {@link TxnHeartbeat}) and pushes
 * the owner with its priority, which aborts the owner only if the owner waits too: a deadlock
 * cycle loses one member within a round or two, and nothing ever deadlocks.
 *
 * <p>Why here: every request (read, write, lock, one-phase commit) ends in a conflict the same
 * way, so the waiter sits under all of them and above the resolver; it needs the heartbeat to
 * announce waiting and to learn of an abort.
 *
 * <p>Threads: {@link #setLockTimeout} runs on the caller's thread between statements; waits
 * continue on reply and timer threads, so the timeout is volatile. Nothing else is mutable.
 */
final class ConflictWaiter {
  /** Conflicts met in a row by one request (each after a wait that ended) before WRITE_CONFLICT. */
  static final int MAX_CONFLICT_ATTEMPTS = 25;

  private final IntentResolver resolver;
  private final TxnHeartbeat heartbeat;
  private final int priority;
  private final Duration conflictWait;
  private final int maxWaitRounds;
  private final Supplier<Txn.ReadLock> readLock;
  private final Supplier<TxnState> state;

  /** {@link Txn#setLockTimeout}, in ms; 0: none. */
  private volatile long lockTimeoutMillis;

  /**
   * @param conflictWait  how long one round waits before pushing again
   * @param maxWaitRounds rounds before a live owner fails the request with WRITE_CONFLICT
   * @param readLock      the transaction's current read-lock mode (its NOWAIT / SKIP LOCKED policy)
   * @param state         the transaction's state (a wait ends when it was rolled back)
   */
  ConflictWaiter(IntentResolver resolver, TxnHeartbeat heartbeat, int priority, Duration conflictWait,
      int maxWaitRounds, Supplier<Txn.ReadLock> readLock, Supplier<TxnState> state) {
    this.resolver = resolver;
    this.heartbeat = heartbeat;
    this.priority = priority;
    this.conflictWait = conflictWait;
    this.maxWaitRounds = maxWaitRounds;
    this.readLock = readLock;
    this.state = state;
  }

  void setLockTimeout(long millis) {
    lockTimeoutMillis = Math.max(0, millis);
  }

  long lockTimeoutMillis() {
    return lockTimeoutMillis;
  }

  /** Clears {@code intents} out of the way (pushing, then waiting for live owners) and runs {@code retry}. */
  <T> CompletionStage<T> afterConflict(List<Intent> intents, int attempt, Supplier<CompletionStage<T>> retry) {
    return afterConflict(intents, attempt, retry, null);
  }

  /** As above; {@code skip} (non-null): what a SKIP LOCKED read returns when a live holder is in the way. */
  <T> CompletionStage<T> afterConflict(List<Intent> intents, int attempt, Supplier<CompletionStage<T>> retry,
      Supplier<CompletionStage<T>> skip) {
    if (attempt >= MAX_CONFLICT_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.WRITE_CONFLICT, "intents still in the way");
    }
    // Push first (the owner may be finished or abandoned); if it is alive, wait for it, then retry.
    return resolver.clear(intents, 0).thenCompose(pending -> {
      if (pending.isEmpty()) {
        return retry.get();
      }
      Txn.ReadLock mode = readLock.get();
      if (mode.nowait()) {
        throw new LockNotAvailableException(pending.get(0).key());
      }
      if (skip != null && mode.skipLocked()) {
        return skip.get();
      }
      return waitOut(pending, 0, System.nanoTime()).thenCompose(v -> retry.get());
    });
  }

  /**
   * SKIP LOCKED: pushes the holders of the rows a scan left out; true if any holder was finished
   * or abandoned (its intents are then resolved, and the rows worth reading again).
   */
  CompletionStage<Boolean> clearsAny(List<Intent> skipped) {
    return resolver.clear(skipped, 0).thenApply(pending -> pending.size() < skipped.size());
  }

  /**
   * Waits until the owner of {@code pending.get(0)} lets go: each round waits (woken by the range
   * when the intent is resolved) for at most conflict-wait, then pushes the owners with this
   * transaction's priority. Meanwhile this transaction's record knows it is waiting, so in a
   * deadlock cycle (everyone waiting) the highest-priority member aborts the one it waits for;
   * a member that learns it was aborted stops with 40001. Bounded by lock-wait-timeout, and by
   * the lock timeout if one is set (rounds then end no later than it, and it fails with
   * {@link LockTimeoutException}); {@code since} is when the wait began (System.nanoTime()).
   */
  CompletionStage<Void> waitOut(List<Intent> pending, int round, long since) {
    Intent blocker = pending.get(0);
    heartbeat.announceWaiting(true);
    long timeout = lockTimeoutMillis;
    Duration wait = conflictWait;
    if (timeout > 0) {
      long leftMillis = timeout - (System.nanoTime() - since) / 1_000_000;
      wait = Duration.ofMillis(Math.max(1, Math.min(wait.toMillis(), leftMillis)));
    }
    CompletionStage<Void> done = resolver.waitFor(blocker, wait).thenCompose(woken -> {
      if (woken) {
        return CompletableFuture.completedFuture(null);
      }
      return resolver.clear(pending, priority).thenCompose(still -> {
        if (still.isEmpty()) {
          return CompletableFuture.completedFuture(null);
        }
        if (heartbeat.abortedByPush()) {
          throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH,
              "aborted to break a deadlock while waiting for " + blocker.txn().id());
        }
        if (state.get() == TxnState.ABORTED) { // rolled back while a pipelined write waited
          throw new TxnAbortedException("transaction is aborted");
        }
        if (timeout > 0 && System.nanoTime() - since >= timeout * 1_000_000) {
          throw new LockTimeoutException(blocker.key());
        }
        if (round + 1 >= maxWaitRounds) {
          throw new TxnRetryException(TxnRetryException.Reason.WRITE_CONFLICT,
              "conflicting transaction " + blocker.txn().id() + " is still pending after lock-wait-timeout");
        }
        return waitOut(still, round + 1, since);
      });
    });
    return done.whenComplete((v, err) -> {
      if (round == 0) {
        heartbeat.announceWaiting(false);
      }
    });
  }
}
