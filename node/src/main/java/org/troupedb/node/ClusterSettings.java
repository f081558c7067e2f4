package org.troupedb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pekko settings every node runs with: a cluster member (a single node is a one-member
 * cluster, so adding nodes needs no redesign), Artery on the configured address, the
 * keep-majority split-brain resolver downing unreachable members after the configured stable
 * period, Jackson only on the wire (Java serialization off), and SLF4J logging.
 *
 * <p>NB: seed nodes are deliberately not configured here: a node started with {@code --join}
 * joins them programmatically ({@link ClusterMembership}), never forming a cluster of its own
 * until {@code troupe init}.
 */
final class ClusterSettings {
  private ClusterSettings() {}

  /** Whether shards rebalance between live members on the shared journal ({@link #placement}). */
  static final String REBALANCE = "troupedb.cluster.rebalance";

  /** A multi-node cluster's {@code troupedb.kv.split-bytes}. */
  static final String SPLIT_BYTES = "troupedb.cluster.split-bytes";

  /** A multi-node cluster's Artery frame (messages a statement bounds; never a whole range). */
  static final String MAX_FRAME = "troupedb.cluster.maximum-frame-size";

  /** The setting naming the SBR stable period when {@code --stable-after} is not given. */
  static final String STABLE_AFTER = "troupedb.cluster.stable-after";

  /**
   * The settings for {@code config}, over {@code base} (application.conf, system properties and
   * reference.conf), which supplies {@value #STABLE_AFTER} when the node has no flag for it.
   */
  static Config forNode(NodeConfig config, Config base) {
    java.time.Duration stableAfter = config.membership().stableAfter() != null
        ? config.membership().stableAfter() : base.getDuration(STABLE_AFTER);
    Map<String, Object> s = new HashMap<>();
    s.put("pekko.actor.provider", "cluster");
    s.put("pekko.actor.allow-java-serialization", "off");
    s.put("pekko.actor.warn-about-java-serializer-usage", "on");
    s.put("pekko.remote.artery.canonical.hostname", config.cluster().host());
    s.put("pekko.remote.artery.canonical.port", config.cluster().port());
    s.put("pekko.remote.artery.bind.hostname", config.cluster().host());
    s.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
    s.put("pekko.cluster.split-brain-resolver.active-strategy", "keep-majority");
    s.put("pekko.cluster.split-brain-resolver.stable-after",
        stableAfter.toMillis() + "ms");
    s.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
    s.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
    s.put("pekko.coordinated-shutdown.exit-jvm", "off");
    // One node: every incarnation of a range ran on this node's clock (see range-actors' reference.conf).
    s.put("troupedb.kv.recovered-ts-cache-offset", config.membership().single() ? "off" : "on");
    if (!config.membership().single()) {
      s.putAll(placement(config.journal().kind() == JournalSettings.Kind.CASSANDRA, base.getBoolean(REBALANCE)));
      // A split's right half streams to the new range while the range waits: smaller splits, shorter waits.
      s.put("troupedb.kv.split-bytes", base.getBytes(SPLIT_BYTES));
      s.put("pekko.remote.artery.advanced.maximum-frame-size", base.getBytes(MAX_FRAME));
    }
    return ConfigFactory.parseMap(s);
  }

  /**
   * Where a multi-node cluster's ranges run. On the shared journal, shards rebalance: Pekko's
   * least-shard allocation strategy (its newer algorithm, chosen by an absolute limit) places a new
   * range on the member with the fewest, and every {@code rebalance-interval} moves at most
   * {@code rebalance-absolute-limit} shards (and at most 10% of all) from the fullest members
   * towards the emptiest, until they differ by at most one. A move is a hand-off: the range stops
   * on its old node once its queued writes are durable, then starts on the new one, recovered from
   * Cassandra, where its fence ({@code IncarnationFence} in range-actors) makes any late write of
   * the old incarnation void; a range that is still alive elsewhere finds out at its next fence
   * check ({@code fence-check-interval}) and stops. On per-node journals
   * ({@code --unsafe-local-journals}) nothing moves: a moved range would recover from an empty
   * journal (240 days: about the longest delay Pekko's scheduler accepts). {@value #REBALANCE} = off
   * keeps shards where they are on the shared journal too; a decommission still hands off.
   */
  static Map<String, Object> placement(boolean sharedJournal, boolean rebalance) {
    Map<String, Object> s = new HashMap<>();
    if (!sharedJournal) {
      s.put("pekko.cluster.sharding.rebalance-interval", "240d");
      return s;
    }
    s.put("pekko.cluster.sharding.rebalance-interval", rebalance ? "5s" : "240d");
    s.put("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit", 3);
    s.put("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-relative-limit", 0.1);
    // A decommissioned node hands its shards off in this phase of its coordinated shutdown; each
    // range stops once its queued writes are durable (Pekko's default: 10 s for all of them).
    s.put("pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout", "60s");
    s.put("pekko.cluster.sharding.handoff-timeout", "60s");
    s.put("troupedb.kv.fence-check-interval", "1s");
    return s;
  }
}
