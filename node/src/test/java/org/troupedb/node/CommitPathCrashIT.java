package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the node process under the bank workload, on the commit path of issue 16:
 * statements' puts pipelined (not awaited), commits and intent resolutions group-committed with
 * the range's writes (one journal write for many). The node is killed twice mid-run and
 * restarted on the same store; afterwards the sum invariant holds, no balance is negative, and
 * the history holds every acknowledged transfer and no failed one ({@link BankWorkload#verify}).
 * The last incarnation's counters show the path was taken: intents resolved by commits, and
 * fewer journal writes than writes and transaction ends.
 */
class CommitPathCrashIT {
  private static final Logger log = LoggerFactory.getLogger(CommitPathCrashIT.class);

  @TempDir Path tmp;

  @Test
  void acknowledgedTransfersSurviveKillNinesOnThePipelinedGroupCommittedPath() throws Exception {
    Map<String, Double> counters = killNinesUnderTheBank(List.of("-Xmx1g"));
    assertThat(counters.getOrDefault("troupe_range_journal_writes_total", 0.0))
        .as("group commit: writes and transaction ends shared journal writes")
        .isLessThan(counters.getOrDefault("troupe_range_write_commands_total", 0.0)
            + counters.getOrDefault("troupe_range_txn_ends_total", 0.0));
  }

  /**
   * The same with the remote intents of committed transfers resolved in batches per range
   * ({@code troupedb.kv.resolve-batching}): a kill may take batches in flight, or queued behind
   * one, with it; the records stay COMMITTED until their intents are resolved, so readers after
   * the restart resolve what the lost batches did not.
   */
  @Test
  void acknowledgedTransfersSurviveKillNinesWithBatchedIntentResolution() throws Exception {
    Map<String, Double> counters = killNinesUnderTheBank(List.of("-Xmx1g", "-Dtroupedb.kv.resolve-batching=on"));
    assertThat(counters.getOrDefault("troupe_range_resolve_batch_txns_total", 0.0))
        .as("commits after the last restart resolved their remote intents through batches").isPositive();
  }

  /** Two kill -9 under the bank workload, then its checks; returns the last incarnation's counters. */
  private Map<String, Double> killNinesUnderTheBank(List<String> jvmOptions) throws Exception {
    Path store = tmp.resolve("store");
    Files.createDirectories(store);
    int port = NodeProcess.freePort();
    Duration duration = Duration.ofSeconds(Long.getLong("bank.seconds", 40));
    AtomicReference<NodeProcess> node = new AtomicReference<>(NodeProcess.startWithJvm(jvmOptions, store, port));
    try {
      node.get().awaitReady();
      // 1,000 accounts in 4 tables plus the history table: every transfer spans 2-3 ranges.
      BankWorkload bank = new BankWorkload(new BankWorkload.Config(() -> node.get().jdbcUrl(), 1_000, 4, 8,
          duration, 50, 10));
      bank.load();
      long start = System.nanoTime();
      BankWorkload.Outcome out = bank.run(() -> {
        try {
          for (int kill = 1; kill <= 2; kill++) {
            // Kills at 1/4 and 1/2 of the run (the schedule of the chaos, not a wait for an event),
            // so the second restart has half the run (plus the workload's slack) to come up.
            long at = start + duration.toNanos() * kill / 4;
            Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
            node.get().kill9();
            NodeProcess next = NodeProcess.startWithJvm(jvmOptions, store, port);
            node.set(next);
            next.awaitReady();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      log.info("bank workload with two kill -9 on the pipelined commit path: {}", out);
      assertThat(bank.verify(out)).isEmpty();
      assertThat(out.committed.get()).isPositive();
      assertThat(out.reconnects.get()).as("clients reconnected after the kills").isGreaterThan(8);
      Map<String, Double> counters = NodeCounters.scrape(new InetSocketAddress("127.0.0.1", node.get().httpPort()));
      assertThat(counters.getOrDefault("troupe_range_intents_resolved_total", 0.0))
          .as("commits after the last restart resolved intents").isPositive();
      return counters;
    } finally {
      node.get().close();
    }
  }
}
