package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.range.RangeStats;

/**
 * kill -9 of a node during a bulk load with disk ranges (marker snapshots): every acknowledged row
 * is back after the restart, and the restart replays only the journal's tail (the store kept what
 * it had applied), not the load.
 */
class KillDuringLoadTest {

  @TempDir
  Path dir;

  @Test
  void aKillDuringABulkLoadLosesNothingAcknowledgedAndReplaysOnlyTheTail() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        BulkLoadWriter.class.getName(), dir.toString()).redirectErrorStream(true).start();
    TreeSet<Integer> acked = new TreeSet<>();
    List<String> tail = new ArrayList<>();
    int killAt = 400; // 20,000 rows
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(Integer.parseInt(line.substring(4)));
          if (acked.size() >= killAt) {
            p.destroyForcibly(); // SIGKILL while the writers are still loading
            break;
          }
        } else if (tail.size() < 50) {
          tail.add(line);
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acked).as("child output: %s", tail).hasSizeGreaterThanOrEqualTo(killAt);

    org.troupedb.hlc.HybridClock later = new org.troupedb.hlc.HybridClock(
        () -> org.troupedb.hlc.HybridClock.SYSTEM_CLOCK.getAsLong() + Duration.ofMinutes(1).toNanos(),
        Duration.ofMillis(500));
    long started = System.nanoTime();
    try (TestNode node = TestNode.start(dir, later, CrashWriter.storage(dir, "disk"))) {
      Txn t = node.service.begin(TxnOptions.readWrite());
      for (int i : acked) {
        for (int j = 0; j < BulkLoadWriter.ROWS; j++) {
          assertThat(await(t.get(BulkLoadWriter.key(i, j)))).as("load %d/%d", i, j)
              .isEqualTo(BulkLoadWriter.value(i, j));
        }
      }
      // A transaction in flight at the kill is all or nothing.
      for (int i = 0; i <= acked.last() + 8; i++) {
        byte[] first = await(t.get(BulkLoadWriter.key(i, 0)));
        byte[] last = await(t.get(BulkLoadWriter.key(i, BulkLoadWriter.ROWS - 1)));
        assertThat(first == null).as("txn %d: first and last row", i).isEqualTo(last == null);
      }
      RangeStats stats = RangeStats.get(node.system);
      System.out.printf("KillDuringLoadTest: %d transactions acknowledged (%d rows); restart and reads %d ms;"
          + " %d events replayed, %d skipped%n", acked.size(), acked.size() * BulkLoadWriter.ROWS,
          (System.nanoTime() - started) / 1_000_000, stats.eventsReplayed(), stats.eventsSkipped());
      assertThat(stats.eventsSkipped()).as("events the store had applied").isGreaterThanOrEqualTo(killAt);
      assertThat(stats.eventsReplayed()).as("events replayed (the tail)").isLessThan(killAt / 4);
    }
  }
}
