package org.troupedb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * The Pekko settings every node runs with: a cluster member (a single node is a one-member
 * cluster, so adding nodes needs no redesign), Artery on the configured address, the
 * keep-majority split-brain resolver, and SLF4J logging.
 */
final class ClusterSettings {
  private ClusterSettings() {}

  static Config forNode(NodeConfig config) {
    return ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "cluster",
            "pekko.remote.artery.canonical.hostname", config.cluster().host(),
            "pekko.remote.artery.canonical.port", config.cluster().port(),
            "pekko.remote.artery.bind.hostname", config.cluster().host(),
            "pekko.cluster.downing-provider-class",
                "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
            "pekko.cluster.split-brain-resolver.active-strategy", "keep-majority",
            "pekko.loggers", java.util.List.of("org.apache.pekko.event.slf4j.Slf4jLogger"),
            "pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter",
            "pekko.coordinated-shutdown.exit-jvm", "off"));
  }
}
