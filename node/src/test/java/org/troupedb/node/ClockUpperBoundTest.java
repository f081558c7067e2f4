package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

class ClockUpperBoundTest {
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration LEAD = Duration.ofSeconds(2);

  @TempDir Path store;
  private final AtomicLong physical = new AtomicLong(Duration.ofDays(20_000).toNanos());

  private HybridClock clock() {
    return new HybridClock(physical::get, Duration.ofMillis(500));
  }

  @Test
  void aRestartWithThePhysicalClockSteppedBackWaitsAndContinuesAboveEveryEarlierTimestamp() throws Exception {
    Timestamp last = runAndStop();
    physical.addAndGet(-Duration.ofMinutes(10).toNanos()); // NTP steps the clock back while the node is down
    HybridClock second = clock();
    CompletableFuture<ClockUpperBound> start = startAsync(second);
    Thread.sleep(200);
    assertThat(start).as("the start waits while the physical clock is behind the bound").isNotDone();
    physical.addAndGet(Duration.ofMinutes(10).plus(LEAD).toNanos());
    try (ClockUpperBound b = start.get(10, TimeUnit.SECONDS)) {
      assertThat(second.now()).isGreaterThan(last);
      assertThat(b.persisted()).isGreaterThan(second.peek().wallTime());
    }
  }

  @Test
  void aQuickRestartWaitsOutTheLeadInsteadOfStampingAheadOfPhysicalTime() throws Exception {
    Timestamp last = runAndStop();
    HybridClock second = clock();
    CompletableFuture<ClockUpperBound> start = startAsync(second);
    Thread.sleep(200);
    assertThat(start).as("the start waits while the bound is ahead of the physical clock").isNotDone();
    physical.addAndGet(LEAD.toNanos());
    try (ClockUpperBound b = start.get(10, TimeUnit.SECONDS)) {
      Timestamp t = second.now();
      assertThat(t).isGreaterThan(last);
      // What a range checks: a timestamp within the max offset of its physical clock is accepted.
      assertThat(t.wallTime() - physical.get()).isLessThanOrEqualTo(Duration.ofMillis(500).toNanos());
      clock().update(t);
    }
  }

  /** Starts a bound on a first clock, stamps for 100 ms of its time, stops; the last timestamp. */
  private Timestamp runAndStop() throws Exception {
    HybridClock first = clock();
    try (ClockUpperBound b = ClockUpperBound.start(first, store, INTERVAL, LEAD)) {
      for (int i = 0; i < 100; i++) {
        physical.addAndGet(1_000_000);
        first.now();
      }
      Timestamp last = first.now();
      assertThat(ClockUpperBound.read(store.resolve(ClockUpperBound.FILE))).isGreaterThan(last.wallTime());
      return last;
    }
  }

  private CompletableFuture<ClockUpperBound> startAsync(HybridClock clock) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return ClockUpperBound.start(clock, store, INTERVAL, LEAD);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void theBoundIsRenewedAsTheClockAdvances() throws Exception {
    HybridClock c = clock();
    try (ClockUpperBound b = ClockUpperBound.start(c, store, INTERVAL, LEAD)) {
      long first = b.persisted();
      physical.addAndGet(Duration.ofSeconds(30).toNanos());
      c.now();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (b.persisted() == first && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(b.persisted()).isGreaterThan(c.peek().wallTime());
      assertThat(ClockUpperBound.read(store.resolve(ClockUpperBound.FILE))).isEqualTo(b.persisted());
    }
  }

  @Test
  void aLeadThatCannotCoverTheIntervalAndTheOffsetIsRefused() {
    assertThatThrownBy(() -> ClockUpperBound.start(clock(), store, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lead");
  }

  @Test
  void anUnreadableBoundStopsTheStart() throws Exception {
    Files.writeString(store.resolve(ClockUpperBound.FILE), "garbage");
    assertThatThrownBy(() -> ClockUpperBound.start(clock(), store, INTERVAL, LEAD))
        .hasMessageContaining("unreadable clock bound");
  }
}
