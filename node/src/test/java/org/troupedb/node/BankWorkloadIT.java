package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank workload ({@link BankWorkload}) against TroupeDB: every full-sum read sees the initial
 * total, no balance goes negative, the history matches the acknowledged transfers exactly, also
 * when the node is {@code kill -9}-ed and restarted twice during the run.
 *
 * <p>The 60 s runs are tagged {@code slow}: {@code mvn -B -pl node -am verify -DexcludedGroups=none
 * -Dit.test=BankWorkloadIT -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dbank.seconds=N} for another length).
 */
class BankWorkloadIT {
  private static final Logger log = LoggerFactory.getLogger(BankWorkloadIT.class);

  @TempDir Path tmp;

  private static Duration seconds(long dflt) {
    return Duration.ofSeconds(Long.getLong("bank.seconds", dflt));
  }

  @Test
  void shortBankRunKeepsItsInvariants() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      runInProcess(node, 4, Duration.ofSeconds(10));
    }
  }

  @Test
  @Tag("slow")
  void bankWorkloadOf100AccountsAnd8ClientsKeepsItsInvariants() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      runInProcess(node, 8, seconds(60));
    }
  }

  private void runInProcess(TroupeNode node, int clients, Duration duration) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root";
    BankWorkload bank = new BankWorkload(new BankWorkload.Config(() -> url, 100, 4, clients, duration, 50, 10));
    bank.load();
    BankWorkload.Outcome out = bank.run(() -> { });
    log.info("bank workload ({} clients, {}): {}", clients, duration, out);
    assertThat(bank.verify(out)).isEmpty();
    assertThat(out.ambiguousIds).isEmpty();
    assertThat(out.committed.get()).isPositive();
    assertThat(out.sumReads.get()).isPositive();
  }

  @Test
  @Tag("slow")
  void bankWorkloadSurvivesTwoKillNinesOfTheNode() throws Exception {
    Path store = tmp.resolve("killed-store");
    Files.createDirectories(store);
    int port = NodeProcess.freePort();
    Duration duration = seconds(60);
    AtomicReference<NodeProcess> node = new AtomicReference<>(NodeProcess.start(store, port));
    try {
      node.get().awaitReady();
      BankWorkload bank = new BankWorkload(new BankWorkload.Config(() -> node.get().jdbcUrl(), 100, 4, 8, duration,
          50, 10));
      bank.load();
      BankWorkload.Outcome out = bank.run(() -> {
        try {
          for (int kill = 1; kill <= 2; kill++) {
            Thread.sleep(duration.toMillis() / 3); // the schedule of the chaos, not a wait for an event
            node.get().kill9();
            NodeProcess next = NodeProcess.start(store, port);
            node.set(next);
            next.awaitReady();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      log.info("bank workload with two kill -9: {}", out);
      assertThat(bank.verify(out)).isEmpty();
      assertThat(out.committed.get()).isPositive();
      assertThat(out.reconnects.get()).as("clients reconnected after the kills").isGreaterThan(8);
    } finally {
      node.get().close();
    }
  }
}
