package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a node process loses no acknowledged commit (H2 journal with WRITE_DELAY=0). */
class KillTest {

  @TempDir
  Path dir;

  @Test
  void acknowledgedCommitsSurviveKillDashNine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashWriter.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    int lastAck = -1;
    List<String> tail = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          lastAck = Integer.parseInt(line.substring(4));
          if (lastAck >= 60) {
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
    assertThat(lastAck).as("child output: %s", tail).isGreaterThanOrEqualTo(60);

    try (TestNode node = TestNode.start(dir)) {
      Txn t = node.service.begin(TxnOptions.readWrite());
      for (int i = 0; i <= lastAck; i++) {
        String n = Integer.toString(i);
        assertThat(await(t.get(k("crash/" + n)))).as("crash/" + n).isEqualTo(v(n));
        assertThat(await(t.get(k("crash-idx/" + n)))).as("crash-idx/" + n).isEqualTo(v(n));
      }
      // Whatever was in flight at the kill is all-or-nothing.
      String n = Integer.toString(lastAck + 1);
      assertThat(await(t.get(k("crash/" + n)))).isEqualTo(await(t.get(k("crash-idx/" + n))));
    }
  }
}
