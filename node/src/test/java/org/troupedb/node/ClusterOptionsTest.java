package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code troupe start} options and the Pekko settings they become (no actor system started). */
class ClusterOptionsTest {

  /** {@code troupe start ARGS --unsafe-local-journals} (no Cassandra needed to parse options). */
  private static NodeConfig start(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--unsafe-local-journals";
    return startAsGiven(all);
  }

  private static NodeConfig startAsGiven(String... args) {
    ClusterCommands.Start start = new ClusterCommands.Start();
    new CommandLine(start).parseArgs(args);
    return start.config();
  }

  @Test
  void aClusterNeedsTheSharedJournalUnlessLocalJournalsAreAskedFor() {
    assertThatThrownBy(() -> startAsGiven("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:7001"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--journal cassandra").hasMessageContaining("--unsafe-local-journals");
    NodeConfig c = startAsGiven("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:7001",
        "--journal", "cassandra", "--cassandra", "127.0.0.1:9042");
    assertThat(c.journal().kind()).isEqualTo(JournalSettings.Kind.CASSANDRA);
    assertThat(c.membership().single()).isFalse();
  }

  @Test
  void onTheSharedJournalShardsRebalanceAFewAtATimeWhenAskedAndRangesCheckTheirFence() {
    NodeConfig c = startAsGiven("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:7001",
        "--journal", "cassandra", "--cassandra", "127.0.0.1:9042");
    assertThat(ClusterSettings.forNode(c, ConfigFactory.load()).getDuration(
        "pekko.cluster.sharding.rebalance-interval")).as("off by default").isGreaterThan(Duration.ofDays(100));
    Config on = ConfigFactory.parseString(ClusterSettings.REBALANCE + " = on").withFallback(ConfigFactory.load());
    Config pekko = ClusterSettings.forNode(c, on).withFallback(ConfigFactory.load());
    assertThat(pekko.getDuration("pekko.cluster.sharding.rebalance-interval")).isEqualTo(Duration.ofSeconds(5));
    assertThat(pekko.getInt("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit"))
        .as("the newer algorithm, a few shards per round").isBetween(1, 5);
    assertThat(pekko.getDuration("troupedb.kv.fence-check-interval")).isEqualTo(Duration.ofSeconds(1));
    assertThat(ConfigFactory.load().getDuration("troupedb.kv.fence-check-interval")).as("single node: off").isZero();
    assertThat(pekko.getBytes("troupedb.kv.split-bytes")).as("a cluster splits smaller (a split streams its right half)")
        .isEqualTo(8L << 20);
    assertThat(pekko.getBytes("pekko.remote.artery.advanced.maximum-frame-size")).isEqualTo(1L << 20);
    assertThat(ConfigFactory.load().getBytes("troupedb.kv.split-bytes")).as("single node").isEqualTo(64L << 20);
  }

  @Test
  void startJoinsTheListedNodesWithTheGivenStablePeriod() {
    NodeConfig c = start("--join", "127.0.0.1:7001,127.0.0.1:7002", "--join", "127.0.0.1:7003",
        "--cluster-addr", "127.0.0.1:7002", "--stable-after", "1500ms", "--store", "/tmp/x");
    assertThat(c.membership().single()).isFalse();
    assertThat(c.membership().join()).containsExactly(new HostPort("127.0.0.1", 7001),
        new HostPort("127.0.0.1", 7002), new HostPort("127.0.0.1", 7003));
    assertThat(c.membership().stableAfter()).isEqualTo(Duration.ofMillis(1500));
    Config pekko = ClusterSettings.forNode(c, ConfigFactory.load());
    assertThat(pekko.getDuration("pekko.cluster.split-brain-resolver.stable-after")).isEqualTo(Duration.ofMillis(1500));
    assertThat(pekko.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
    assertThat(pekko.getBoolean("pekko.actor.allow-java-serialization")).isFalse();
    assertThat(pekko.getDuration("pekko.cluster.sharding.rebalance-interval")).as("no moves on H2 journals")
        .isGreaterThan(Duration.ofDays(100));
    assertThat(pekko.hasPath("pekko.cluster.seed-nodes")).as("joining is programmatic, after init").isFalse();
  }

  @Test
  void theStablePeriodComesFromTheSettingWithoutTheFlag() {
    NodeConfig c = start("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:7001");
    assertThat(c.membership().stableAfter()).isNull();
    assertThat(ClusterSettings.forNode(c, ConfigFactory.load())
        .getDuration("pekko.cluster.split-brain-resolver.stable-after")).isEqualTo(Duration.ofSeconds(5));
    Config custom = ConfigFactory.parseString(ClusterSettings.STABLE_AFTER + " = 7s").withFallback(ConfigFactory.load());
    assertThat(ClusterSettings.forNode(c, custom).getDuration("pekko.cluster.split-brain-resolver.stable-after"))
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void badOptionsAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> start("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("fixed port");
    assertThatThrownBy(() -> start("--join", "nohostport", "--cluster-addr", "127.0.0.1:7001"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--join");
    assertThatThrownBy(() -> start("--join", "127.0.0.1:7001", "--cluster-addr", "127.0.0.1:7001",
        "--stable-after", "soon")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--stable-after");
    assertThatThrownBy(() -> start("--cluster-addr", "127.0.0.1:7001"))
        .isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("--join");
  }

  @Test
  void aSingleNodeJoinsNobodyAndKeepsRebalancing() {
    Main.StartSingleNode single = new Main.StartSingleNode();
    new CommandLine(single).parseArgs("--store", "/tmp/x");
    NodeConfig c = single.config();
    assertThat(c.membership()).isEqualTo(NodeConfig.Membership.SINGLE);
    Config pekko = ClusterSettings.forNode(c, ConfigFactory.load());
    assertThat(pekko.hasPath("pekko.cluster.sharding.rebalance-interval")).isFalse();
    assertThat(pekko.getDuration("pekko.cluster.split-brain-resolver.stable-after")).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.cluster().port()).isZero();
  }
}
