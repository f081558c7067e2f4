package org.troupedb.range;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;

/**
 * Persistence configuration of the cluster mode: the pekko-persistence-cassandra journal and
 * snapshot store on Apache Cassandra, with keyspaces at replication factor min(3, number of
 * Cassandra nodes) and every journal and snapshot read and write at QUORUM (so an acknowledged
 * write survives the loss of any minority of replicas).
 *
 * <p>Use as {@code CassandraStorageConfig.of(points).config().withFallback(ConfigFactory.load())},
 * then {@link CassandraSchema#create} before the first range starts (the plugin's own
 * auto-creation is off).
 * Keys are those of pekko-persistence-cassandra 1.1's reference.conf and the DataStax driver's.
 *
 * <p>NB: the replication factor applies only when the keyspaces are created; a keyspace made by
 * an earlier start with fewer Cassandra nodes keeps its factor (ALTER KEYSPACE changes it).
 *
 * @param contactPoints Cassandra CQL addresses as {@code host:port}, at least one
 * @param cassandraNodes how many Cassandra nodes the cluster has (at least the contact points)
 * @param keyspacePrefix journal keyspace {@code <prefix>_journal}, snapshots {@code <prefix>_snapshot}
 */
public record CassandraStorageConfig(List<String> contactPoints, int cassandraNodes, String keyspacePrefix) {

  /** The largest replication factor used: three copies survive one lost node at QUORUM. */
  public static final int MAX_REPLICATION_FACTOR = 3;
  /** The keyspace prefix of a TroupeDB cluster unless configured otherwise. */
  public static final String DEFAULT_KEYSPACE_PREFIX = "troupe";
  /** Consistency level of every journal and snapshot read and write. */
  public static final String CONSISTENCY = "QUORUM";
  /** The data center SimpleSnitch (ops/cassandra's nodes) puts every node in. */
  public static final String LOCAL_DATACENTER = "datacenter1";

  public CassandraStorageConfig {
    contactPoints = List.copyOf(contactPoints);
    if (contactPoints.isEmpty()) {
      throw new IllegalArgumentException("at least one Cassandra contact point (host:port) is needed");
    }
    for (String p : contactPoints) {
      int colon = p.lastIndexOf(':');
      if (colon <= 0 || colon == p.length() - 1 || !p.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("a Cassandra contact point is host:port, not '" + p + "'");
      }
    }
    if (cassandraNodes < contactPoints.size()) {
      throw new IllegalArgumentException("Cassandra nodes (" + cassandraNodes + ") fewer than contact points ("
          + contactPoints.size() + ")");
    }
    if (!keyspacePrefix.matches("[a-z][a-z0-9_]{0,30}")) {
      throw new IllegalArgumentException("keyspace prefix must be lower-case letters, digits and _, not '"
          + keyspacePrefix + "'");
    }
  }

  /** The Cassandra nodes are exactly the contact points; the default keyspace prefix. */
  public static CassandraStorageConfig of(List<String> contactPoints) {
    return new CassandraStorageConfig(contactPoints, contactPoints.size(), DEFAULT_KEYSPACE_PREFIX);
  }

  /** min(3, Cassandra nodes). */
  public int replicationFactor() {
    return Math.min(MAX_REPLICATION_FACTOR, cassandraNodes);
  }

  public String journalKeyspace() {
    return keyspacePrefix + "_journal";
  }

  public String snapshotKeyspace() {
    return keyspacePrefix + "_snapshot";
  }

  /** The Pekko configuration selecting the Cassandra journal and snapshot store. */
  public Config config() {
    String plugin = "pekko.persistence.cassandra";
    String journalProfile = "datastax-java-driver.profiles.pekko-persistence-cassandra-profile.basic.request";
    String snapshotProfile =
        "datastax-java-driver.profiles.pekko-persistence-cassandra-snapshot-profile.basic.request";
    return ConfigFactory.parseMap(Map.ofEntries(
        Map.entry("pekko.persistence.journal.plugin", plugin + ".journal"),
        Map.entry("pekko.persistence.snapshot-store.plugin", plugin + ".snapshot"),
        Map.entry(plugin + ".journal.keyspace", journalKeyspace()),
        // CassandraSchema creates the keyspaces and tables (one coordinator, schema agreement).
        Map.entry(plugin + ".journal.keyspace-autocreate", false),
        Map.entry(plugin + ".journal.tables-autocreate", false),
        Map.entry(plugin + ".journal.replication-strategy", "SimpleStrategy"),
        Map.entry(plugin + ".journal.replication-factor", replicationFactor()),
        Map.entry(plugin + ".snapshot.keyspace", snapshotKeyspace()),
        Map.entry(plugin + ".snapshot.keyspace-autocreate", false),
        Map.entry(plugin + ".snapshot.tables-autocreate", false),
        Map.entry(plugin + ".snapshot.replication-strategy", "SimpleStrategy"),
        Map.entry(plugin + ".snapshot.replication-factor", replicationFactor()),
        // Ranges are never queried by tag: no tag_views writes beside every event.
        Map.entry(plugin + ".events-by-tag.enabled", false),
        Map.entry(journalProfile + ".consistency", CONSISTENCY),
        Map.entry(snapshotProfile + ".consistency", CONSISTENCY),
        Map.entry("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints)),
        Map.entry("datastax-java-driver.basic.load-balancing-policy.local-datacenter", LOCAL_DATACENTER),
        // Creating keyspaces and tables waits for schema agreement: more than the 2 s default.
        Map.entry("datastax-java-driver.basic.request.timeout", "10s"),
        Map.entry("datastax-java-driver.advanced.connection.init-query-timeout", "5s"),
        // NB: riding out a Cassandra that stalls for seconds (one node on a loaded 2-core machine:
        // ClusterRebalanceIT saw "No node was available" after a decommission, 2026-12-08). The
        // driver closes a connection that heartbeats fail on or that collects 256 orphaned (timed
        // out) requests; with one connection per node that leaves none ("No connection was
        // available"), and reconnection backs off up to 60 s. Two connections, a reconnection
        // capped at 2 s, and a heartbeat given as long as a request.
        Map.entry("datastax-java-driver.advanced.connection.pool.local.size", 2),
        Map.entry("datastax-java-driver.advanced.connection.pool.remote.size", 2),
        Map.entry("datastax-java-driver.advanced.reconnection-policy.base-delay", "250ms"),
        Map.entry("datastax-java-driver.advanced.reconnection-policy.max-delay", "2s"),
        Map.entry("datastax-java-driver.advanced.heartbeat.timeout", "10s"),
        // Pekko's circuit breakers then turned a few failed calls into 30 s (journal) and 60 s
        // (snapshots, so every recovery) of calls failing fast: try again after 2 s instead. The
        // call timeout stays above the driver's request timeout, so the driver's error is the one seen.
        Map.entry(plugin + ".journal.circuit-breaker.max-failures", 10),
        Map.entry(plugin + ".journal.circuit-breaker.call-timeout", "15s"),
        Map.entry(plugin + ".journal.circuit-breaker.reset-timeout", "2s"),
        Map.entry(plugin + ".snapshot.circuit-breaker.max-failures", 10),
        Map.entry(plugin + ".snapshot.circuit-breaker.call-timeout", "20s"),
        Map.entry(plugin + ".snapshot.circuit-breaker.reset-timeout", "2s")));
  }
}
