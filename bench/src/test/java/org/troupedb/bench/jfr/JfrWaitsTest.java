package org.troupedb.bench.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrWaitsTest {
  @TempDir Path tmp;

  /** A blocker class of our own, so the report can name what the thread parked on. */
  static final class Gate {}

  @Test
  void sumsParkTimePerThreadGroupAndWaitingSite() throws Exception {
    Path file = tmp.resolve("waits.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withStackTrace();
      r.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(100));
      r.start();
      Thread a = new Thread(JfrWaitsTest::parkThreeTimes, "probe-waiter-1");
      Thread b = new Thread(JfrWaitsTest::parkThreeTimes, "probe-waiter-2");
      a.start();
      b.start();
      a.join();
      b.join();
      r.stop();
      r.dump(file);
    }

    String report = JfrWaits.summary(file, 50);

    // Two threads × 3 parks × 40 ms = 0.24 s at least, both in one group with digits dropped.
    String line = report.lines().filter(l -> l.contains("probe-waiter-# (ThreadPark)")).findFirst().orElseThrow();
    double seconds = Double.parseDouble(line.trim().split("\\s+")[0]);
    assertThat(seconds).isBetween(0.2, 5.0);
    assertThat(report).doesNotContain("probe-waiter-1").doesNotContain("probe-waiter-2");
    // The waiting site is our frame (troupedb prefix dropped) and what it parked on.
    assertThat(report).contains("probe-waiter-#: bench.jfr.JfrWaitsTest.parkThreeTimes")
        .contains("[org.troupedb.bench.jfr.JfrWaitsTest$Gate]");
    assertThat(report).contains("CPU (jdk.CPULoad, share of all cores)");
  }

  private static void parkThreeTimes() {
    Gate gate = new Gate();
    for (int i = 0; i < 3; i++) {
      long until = System.nanoTime() + Duration.ofMillis(40).toNanos();
      while (System.nanoTime() < until) { // parkNanos may return early
        LockSupport.parkNanos(gate, until - System.nanoTime());
      }
    }
  }
}
