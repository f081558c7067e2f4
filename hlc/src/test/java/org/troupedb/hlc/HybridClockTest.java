package org.troupedb.hlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {

  private final AtomicLong physical = new AtomicLong(1_000_000_000L);
  private final HybridClock clock = new HybridClock(physical::get, Duration.ofMillis(500));

  @Test
  void nowFollowsPhysicalClock() {
    Timestamp a = clock.now();
    assertThat(a).isEqualTo(new Timestamp(1_000_000_000L, 0));
    physical.addAndGet(10);
    assertThat(clock.now()).isEqualTo(new Timestamp(1_000_000_010L, 0));
  }

  @Test
  void sameWallTimeIncrementsLogical() {
    Timestamp a = clock.now();
    Timestamp b = clock.now();
    assertThat(b).isEqualTo(new Timestamp(a.wallTime(), 1));
    assertThat(b).isGreaterThan(a);
  }

  @Test
  void physicalClockJumpingBackwardsNeverMovesHlcBackwards() {
    physical.set(5_000_000_000L);
    Timestamp before = clock.now();
    physical.set(4_000_000_000L); // NTP step backwards by one second
    Timestamp after1 = clock.now();
    Timestamp after2 = clock.now();
    assertThat(after1).isGreaterThan(before);
    assertThat(after2).isGreaterThan(after1);
    assertThat(after1.wallTime()).isEqualTo(before.wallTime());
    physical.set(6_000_000_000L);
    assertThat(clock.now()).isEqualTo(new Timestamp(6_000_000_000L, 0));
  }

  @Test
  void updateWithRemoteAheadWithinOffsetAdvancesClock() {
    Timestamp remote = new Timestamp(physical.get() + Duration.ofMillis(400).toNanos(), 7);
    clock.update(remote);
    assertThat(clock.now()).isEqualTo(new Timestamp(remote.wallTime(), 8));
  }

  @Test
  void updateWithRemoteBehindIsNoOp() {
    Timestamp local = clock.now();
    clock.update(new Timestamp(local.wallTime() - 100, 3));
    assertThat(clock.now()).isEqualTo(local.next());
  }

  @Test
  void updateBeyondMaxOffsetIsRefusedAndLeavesClockUntouched() {
    Timestamp local = clock.now();
    Timestamp remote = new Timestamp(physical.get() + Duration.ofMillis(501).toNanos(), 0);
    assertThatThrownBy(() -> clock.update(remote))
        .isInstanceOf(ClockOffsetException.class)
        .hasMessageContaining("ahead of the local clock");
    assertThat(clock.peek()).isEqualTo(local);
  }

  @Test
  void encodingPreservesOrder() {
    Timestamp[] ts = {
      new Timestamp(1, 0), new Timestamp(1, 1), new Timestamp(2, 0), new Timestamp(256, 0),
      new Timestamp(Long.MAX_VALUE / 2, Integer.MAX_VALUE)
    };
    for (int i = 0; i + 1 < ts.length; i++) {
      assertThat(Arrays.compareUnsigned(ts[i].encode(), ts[i + 1].encode())).isNegative();
      assertThat(Timestamp.decode(ts[i].encode())).isEqualTo(ts[i]);
    }
  }

  @Test
  void concurrentNowIsStrictlyIncreasingPerCallerAndUnique() throws Exception {
    HybridClock fixed = new HybridClock(() -> 42L, Duration.ZERO);
    int threads = 4, perThread = 10_000;
    Timestamp[][] seen = new Timestamp[threads][perThread];
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          seen[id][i] = fixed.now();
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertThat(Arrays.stream(seen).flatMap(Arrays::stream).distinct().count())
        .isEqualTo((long) threads * perThread);
  }

  @Test
  void forwardToSetsAFloorBeyondTheMaxOffsetAndNeverMovesBack() {
    Timestamp floor = new Timestamp(physical.get() + Duration.ofHours(1).toNanos(), 0); // far beyond 500 ms
    clock.forwardTo(floor);
    assertThat(clock.now()).isGreaterThan(floor);
    clock.forwardTo(new Timestamp(1, 0));
    assertThat(clock.peek()).isGreaterThan(floor);
  }
}
