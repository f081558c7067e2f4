package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/** {@link CommitWait#until} on a manual physical clock: no wait at or below it, a wait above it. */
class CommitWaitUntilTest {
  private final AtomicLong physical = new AtomicLong(1_000_000_000_000L);
  private final HybridClock clock = new HybridClock(physical::get, Duration.ofMillis(500));

  @Test
  void aCommitAtOrBelowThePhysicalClockIsAcknowledgedAtOnce() {
    assertThat(CommitWait.until(new Timestamp(physical.get(), 5), clock).toCompletableFuture()).isDone();
    assertThat(CommitWait.until(new Timestamp(physical.get() - 1, 0), clock).toCompletableFuture()).isDone();
  }

  @Test
  void aCommitAboveThePhysicalClockWaitsForIt() throws Exception {
    long ahead = TimeUnit.SECONDS.toNanos(2);
    long start = System.nanoTime();
    CompletableFuture<Void> acked = CommitWait.until(new Timestamp(physical.get() + ahead, 0), clock)
        .toCompletableFuture();
    assertThat(acked).isNotDone();
    acked.get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start).as("waited out the gap").isGreaterThanOrEqualTo(ahead);
  }
}
