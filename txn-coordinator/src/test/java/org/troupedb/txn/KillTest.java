package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a node process loses no acknowledged commit (H2 journal with WRITE_DELAY=0). */
class KillTest {

  @TempDir
  Path dir;

  /** Where ranges keep their data: the child's argument and the restarted node's settings (heap here). */
  String rangeStorage() {
    return "heap";
  }

  @Test
  void acknowledgedCommitsSurviveKillDashNine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashWriter.class.getName(), dir.toString(), rangeStorage())
        .redirectErrorStream(true).start();
    java.util.Set<Integer> acked = new java.util.TreeSet<>();
    List<String> tail = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(Integer.parseInt(line.substring(4)));
          if (acked.size() >= 120) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
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
    assertThat(acked).as("child output: %s", tail).hasSizeGreaterThanOrEqualTo(120);
    int max = ((java.util.TreeSet<Integer>) acked).last();

    // Restart "a minute later" so the killed process's in-flight transactions count as abandoned
    // (their records' heartbeats expired) instead of live conflicts.
    org.troupedb.hlc.HybridClock later = new org.troupedb.hlc.HybridClock(
        () -> org.troupedb.hlc.HybridClock.SYSTEM_CLOCK.getAsLong() + Duration.ofMinutes(1).toNanos(),
        Duration.ofMillis(500));
    try (TestNode node = TestNode.start(dir, later, CrashWriter.storage(dir, rangeStorage()))) {
      Txn t = node.service.begin(TxnOptions.readWrite());
      for (int i : acked) {
        String n = Integer.toString(i);
        assertThat(await(t.get(k("crash/" + n)))).as("crash/" + n).isEqualTo(v(n));
        assertThat(await(t.get(k("crash-idx/" + n)))).as("crash-idx/" + n).isEqualTo(v(n));
      }
      // Whatever was in flight at the kill is all-or-nothing: row and index agree.
      for (int i = 0; i <= max + 8; i++) {
        String n = Integer.toString(i);
        assertThat(await(t.get(k("crash/" + n)))).as("row/index " + n).isEqualTo(await(t.get(k("crash-idx/" + n))));
      }
    }
  }
}
