package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.node.ClusterTestSupport.balances;
import static org.troupedb.node.ClusterTestSupport.busiestAt;
import static org.troupedb.node.ClusterTestSupport.memberStatus;
import static org.troupedb.node.ClusterTestSupport.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.testkit.LocalCassandra;
import org.troupedb.testkit.NetNamespaces;

/**
 * A network partition between one node and the rest (issue 13's third "must show"), on network
 * namespaces ({@link NetNamespaces}: needs root and iproute2): Cassandra and three node
 * processes, each in a namespace of its own on one bridge; the test reaches every node over a
 * link of its own, which the partition leaves up, so it can keep asking the isolated node.
 *
 * <pre>
 *   0 s           bank workload (clients on the two majority nodes) + the probe writer (majority)
 *   isolateAt     the busiest node's link to the bridge goes down: it reaches no node and no
 *                 Cassandra (the simplest honest case), the others not it; its clients start
 *   + partition   heal: the link comes back; the isolated node's clients stop
 *   end           the isolated node (downed, so it must restart to rejoin) is restarted
 * </pre>
 *
 * Asserts: the isolated node commits no write, serves no stale read and no statement started
 * after the majority downed it, and every error it gives has a SQLSTATE (not XX000); the majority
 * commits transfers again within {@link #SERVING_AGAIN_BOUND} of the downing; after the restart
 * every transfer a client saw commit is there and none it saw fail, the total is unchanged, the
 * counters and balances are the same through all three nodes, and all three are Up.
 * Tagged {@code slow} (not in CI): {@code mvn -B -o -pl node -am verify -DexcludedGroups=none
 * -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterPartitionIT
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class ClusterPartitionIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPartitionIT.class);
  private static final int ACCOUNTS = 100;
  private static final int TABLES = 4;
  private static final int PG = 26257;
  private static final int HTTP = 8080;
  private static final int CLUSTER = 27100;
  /** The majority's transfers all succeed again within this long after it downed the isolated node. */
  private static final Duration SERVING_AGAIN_BOUND = Duration.ofSeconds(20);

  @TempDir Path tmp;

  @Test
  @Timeout(900)
  void theIsolatedNodeStopsServingTheMajorityGoesOnAndNoAcknowledgedCommitIsLost() throws Exception {
    List<NodeProcess> nodes = new ArrayList<>();
    List<NodeProcess> started = new ArrayList<>(); // every process, the isolated node's first incarnation too
    try (NetNamespaces net = NetNamespaces.create(4);
         LocalCassandra cassandra = LocalCassandra.startIn(tmp.resolve("cassandra"), net.fabricAddress(3),
             net.exec(3))) {
      try {
        partitionAndHeal(net, cassandra, nodes, started);
      } finally {
        for (NodeProcess n : started) {
          n.close(); // before Cassandra and the namespaces go
        }
        ClusterTestSupport.keepLogs(started, "partition-logs"); // 4: the isolated node restarted
      }
    }
  }

  private void partitionAndHeal(NetNamespaces net, LocalCassandra cassandra, List<NodeProcess> nodes,
      List<NodeProcess> started) throws Exception {
    Duration isolateAt = Duration.ofSeconds(10);
    Duration partition = Duration.ofSeconds(Long.getLong("partition.seconds", 30));
    Duration afterHeal = Duration.ofSeconds(10);
    Duration run = isolateAt.plus(partition).plus(afterHeal);
    List<String> join = List.of(0, 1, 2).stream().map(i -> net.fabricAddress(i) + ":" + CLUSTER).toList();
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeProcess.startMember(tmp.resolve("store" + i),
          new NodeProcess.Placement(net.exec(i), net.fabricAddress(i), net.clientAddress(i), join), PG, HTTP,
          CLUSTER, "--journal", "cassandra", "--cassandra", cassandra.contactPoint(),
          "--insecure")); // root over the test's private link, which is not a loopback address
      started.add(nodes.get(i));
    }
    for (NodeProcess n : nodes) {
      n.awaitStarted();
    }
    ClusterTestSupport.init(nodes.get(0));
    for (NodeProcess n : nodes) {
      n.awaitReady();
    }
    try (Connection c = DriverManager.getConnection(nodes.get(0).jdbcUrl())) {
      PartitionProbes.create(c);
    }
    AtomicInteger next = new AtomicInteger();
    List<String> urls = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(nodes.get(0).jdbcUrl()));
    BankWorkload bank = new BankWorkload(new BankWorkload.Config(
        () -> urls.get(Math.floorMod(next.getAndIncrement(), urls.size())), ACCOUNTS, TABLES, 6, run, 50, 10,
        Set.of("58000", "40003")));
    bank.load();

    JsonNode before = status(nodes.get(0), "");
    LOG.info("cluster before the partition: {}", before);
    int victim = busiestAt(before, List.of(0, 1, 2).stream().map(i -> net.fabricAddress(i) + ":" + CLUSTER).toList());
    List<Integer> majority = new ArrayList<>(List.of(0, 1, 2));
    majority.remove(Integer.valueOf(victim));
    urls.clear();
    majority.forEach(i -> urls.add(nodes.get(i).jdbcUrl()));
    LOG.info("isolating node {} ({}) under the workload through nodes {}", victim + 1, net.fabricAddress(victim),
        majority.stream().map(i -> i + 1).toList());

    PartitionProbes probes = new PartitionProbes();
    long[] at = new long[4]; // isolated (nanos, wall millis), healed (nanos, wall millis)
    long start = System.nanoTime();
    String minorityUrl = nodes.get(victim).jdbcUrl() + "&socketTimeout=40&connectTimeout=10";
    BankWorkload.Outcome out = bank.run(() -> schedule(net, victim, probes, urls, minorityUrl, start, isolateAt,
        partition, run, at));
    assertThat(at[2]).as("the partition was healed").isGreaterThan(at[0]).isGreaterThan(start);

    long downedMillis = majority.stream()
        .mapToLong(i -> ClusterTestSupport.loggedAfterMillis(nodes.get(i), "SBR took decision", at[1]))
        .filter(ms -> ms >= 0).min().orElse(-1);
    long selfDownMillis = ClusterTestSupport.loggedAfterMillis(nodes.get(victim), "SBR took decision", at[1]);
    Unavailability u = Unavailability.of(out.attempts, at[0]);
    String measured = "partition of node " + (victim + 1) + " at " + isolateAt.toSeconds() + " s for "
        + partition.toSeconds() + " s: the majority downed it " + downedMillis + " ms after the partition, it"
        + " downed itself after " + selfDownMillis + " ms; majority: " + u + "; isolated node's statements: "
        + probes.outcomes() + "; probe writer errors: " + probes.writerErrors.size() + "; workload " + out;
    System.out.println("PARTITION " + measured);
    LOG.info("PARTITION {}", measured);

    assertThat(downedMillis).as("the majority downed the isolated node: " + measured).isGreaterThanOrEqualTo(0);
    long downedNanos = at[0] + TimeUnit.MILLISECONDS.toNanos(downedMillis);
    assertThat(probes.violations(downedNanos)).as(measured).isEmpty();
    assertThat(probes.minority).as("the isolated node was asked").isNotEmpty();
    assertThat(out.committed.get()).as("transfers committed: " + out).isPositive();
    long servingAgainAfterDown = u.servingAgainAfterKillMillis() - downedMillis;
    assertThat(u.servingAgainAfterKillMillis()).as("the majority's transfers succeed again: " + u)
        .isGreaterThanOrEqualTo(0);
    assertThat(servingAgainAfterDown).as("all transfers succeed again after the downing: " + measured)
        .isLessThan(SERVING_AGAIN_BOUND.toMillis());
    long committedAfterPartition = out.attempts.stream()
        .filter(a -> a.ok() && a.startNanos() > at[0] + TimeUnit.MILLISECONDS.toNanos(downedMillis)
            && a.endNanos() < at[2])
        .count();
    assertThat(committedAfterPartition).as("the majority's transactions succeeded during the partition, after"
        + " the downing").isPositive();
    assertThat(probes.acks.stream().filter(a -> a.ackNanos() > downedNanos && a.ackNanos() < at[2]).count())
        .as("the majority's probe writes committed during the partition, after the downing").isPositive();

    // Heal done; the isolated node was downed, so it rejoins only as a new incarnation: restart it.
    // It stopped serving and exited by itself when it downed itself (MemberRemoval).
    NodeProcess old = nodes.get(victim);
    assertThat(old.awaitExit(Duration.ofSeconds(60))).as("the downed node's process exits by itself").isTrue();
    assertThat(old.exitCode()).as("exit code of a removed member").isEqualTo(3);
    assertThat(old.firstLine("was removed from the cluster")).as("it says why").isNotNull();
    NodeProcess again = old.restart();
    nodes.set(victim, again);
    started.add(again);
    again.awaitReady();

    urls.clear();
    urls.add(again.jdbcUrl());
    List<String> violations = bank.verify(out);
    assertThat(violations).as(measured).isEmpty();
    long[] acked = probes.lastAcked();
    long[] counters = PartitionProbes.counters(again.jdbcUrl());
    for (int t = 0; t < PartitionProbes.TABLES; t++) {
      assertThat(counters[t]).as("counter " + t + ": acknowledged " + acked[t] + ", tried " + probes.attempted[t])
          .isBetween(acked[t], probes.attempted[t]);
    }
    Set<Long> ambiguous = new java.util.HashSet<>();
    probes.minority.stream().filter(a -> a.write() && !a.ok() && ("40003".equals(a.sqlState())
        || "client-timeout".equals(a.sqlState()) || a.sqlState().startsWith("08"))).forEach(a -> ambiguous.add(a.id()));
    Map<Integer, Long> reference = balances(again, TABLES);
    assertThat(reference.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(BankWorkload.INITIAL_BALANCE * ACCOUNTS);
    for (NodeProcess n : nodes) {
      assertThat(balances(n, TABLES)).as("balances through " + n.jdbcUrl()).isEqualTo(reference);
      assertThat(PartitionProbes.counters(n.jdbcUrl())).as("counters through " + n.jdbcUrl()).isEqualTo(counters);
      assertThat(ambiguous).as("rows of the isolated node's inserts are only ambiguous ones")
          .containsAll(PartitionProbes.minorityRows(n.jdbcUrl()));
    }
    JsonNode after = status(nodes.get(majority.get(0)), "?wake=1");
    LOG.info("cluster after the restart: {}", after);
    for (int i = 0; i < 3; i++) {
      assertThat(memberStatus(after, net.fabricAddress(i) + ":" + CLUSTER)).as("node " + (i + 1) + ": " + after).isEqualTo("Up");
    }
    assertThat(after.get("rangesNotRunning")).as("every range runs: " + after).isEmpty();
  }

  /** The chaos schedule beside the workload (sleeps are the schedule, not waits for events). */
  private static void schedule(NetNamespaces net, int victim, PartitionProbes probes, List<String> majorityUrls,
      String minorityUrl, long start, Duration isolateAt, Duration partition, Duration run, long[] at) {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicInteger next = new AtomicInteger();
    try {
      Future<?> writer = pool.submit(() -> {
        probes.runWriter(() -> majorityUrls.get(Math.floorMod(next.getAndIncrement(), majorityUrls.size())),
            start + run.toNanos());
        return null;
      });
      Thread.sleep(isolateAt.toMillis());
      net.isolate(victim);
      at[0] = System.nanoTime();
      at[1] = System.currentTimeMillis();
      long healAt = at[0] + partition.toNanos();
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        int client = c;
        clients.add(pool.submit(() -> probes.runMinorityClient(minorityUrl, client, healAt)));
      }
      for (Future<?> f : clients) {
        f.get(partition.toSeconds() + 120, TimeUnit.SECONDS); // a statement may hang up to its socket timeout
      }
      net.heal(victim);
      at[2] = System.nanoTime();
      at[3] = System.currentTimeMillis();
      writer.get(run.toSeconds() + 120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the partition schedule failed", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
