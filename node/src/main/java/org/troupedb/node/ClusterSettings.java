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
      // NB: no rebalancing: shards stay where they were first allocated and move only when their
      // node is downed (failover). A planned move of a live range runs two incarnations for a
      // moment, which needs fencing (an epoch in every event) first; and with
      // --unsafe-local-journals a moved range would recover from an empty journal.
      // (240 days: about the longest delay Pekko's scheduler accepts.)
      s.put("pekko.cluster.sharding.rebalance-interval", "240d");
    }
    return ConfigFactory.parseMap(s);
  }
}
