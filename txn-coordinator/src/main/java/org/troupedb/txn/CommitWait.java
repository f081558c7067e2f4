package org.troupedb.txn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * Commit-wait (CockroachDB's, for commits above the present): a transaction pushed above the
 * gateway's physical clock (by a recovered range, whose timestamp cache starts at now + max
 * offset) is acknowledged only once that clock has passed its commit timestamp, so a transaction
 * that starts after the acknowledgement, on this node or within the uncertainty window of
 * another, reads above it. Nearly always no wait at all.
 *
 * <p>Why here: last in the chain, after the commit point and before the acknowledgement; it
 * holds no state and needs only the clock.
 */
final class CommitWait {
  private CommitWait() {
  }

  /** Completes once {@code clock}'s physical time has passed {@code commitTs} (at once if it has). */
  static CompletionStage<Void> until(Timestamp commitTs, HybridClock clock) {
    long ahead = commitTs.wallTime() - clock.physicalNow();
    if (ahead <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(ahead + 1, TimeUnit.NANOSECONDS));
  }
}
