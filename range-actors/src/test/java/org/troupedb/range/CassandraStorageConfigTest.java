package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraStorageConfigTest {

  private static Config resolved(CassandraStorageConfig c) {
    return c.config().withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void replicationFactorIsTheNumberOfCassandraNodesUpToThree() {
    assertThat(CassandraStorageConfig.of(List.of("127.0.0.1:9042")).replicationFactor()).isEqualTo(1);
    assertThat(CassandraStorageConfig.of(List.of("127.0.0.1:9042", "127.0.0.2:9042")).replicationFactor())
        .isEqualTo(2);
    assertThat(CassandraStorageConfig.of(List.of("127.0.0.1:9042", "127.0.0.2:9042", "127.0.0.3:9042"))
        .replicationFactor()).isEqualTo(3);
    // five Cassandra nodes known through two contact points: still three copies
    assertThat(new CassandraStorageConfig(List.of("127.0.0.1:9042", "127.0.0.2:9042"), 5, "troupe")
        .replicationFactor()).isEqualTo(3);
  }

  @Test
  void journalAndSnapshotStoreAreCassandraAtQuorumWithThatReplicationFactor() {
    Config c = resolved(new CassandraStorageConfig(List.of("127.0.0.1:9042", "127.0.0.2:9043"), 2, "troupe"));
    assertThat(c.getString("pekko.persistence.journal.plugin")).isEqualTo("pekko.persistence.cassandra.journal");
    assertThat(c.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("pekko.persistence.cassandra.snapshot");
    // the plugin sections exist in pekko-persistence-cassandra's reference.conf (the keys are real)
    assertThat(c.getString("pekko.persistence.cassandra.journal.class"))
        .isEqualTo("org.apache.pekko.persistence.cassandra.journal.CassandraJournal");
    assertThat(c.getString("pekko.persistence.cassandra.snapshot.class"))
        .isEqualTo("org.apache.pekko.persistence.cassandra.snapshot.CassandraSnapshotStore");
    for (String part : List.of("journal", "snapshot")) {
      String p = "pekko.persistence.cassandra." + part;
      assertThat(c.getInt(p + ".replication-factor")).as(part).isEqualTo(2);
      assertThat(c.getString(p + ".replication-strategy")).as(part).isEqualTo("SimpleStrategy");
      // CassandraSchema creates them, on one coordinator
      assertThat(c.getBoolean(p + ".keyspace-autocreate")).as(part).isFalse();
      assertThat(c.getBoolean(p + ".tables-autocreate")).as(part).isFalse();
      // the profiles the plugin reads and writes with are the ones set to QUORUM (the journal's
      // are the plugin's shared ones, the snapshot store has its own)
      String profiles = part.equals("journal") ? "pekko.persistence.cassandra" : p;
      for (String dir : List.of("read-profile", "write-profile")) {
        String profile = c.getString(profiles + "." + dir);
        assertThat(c.getString("datastax-java-driver.profiles." + profile + ".basic.request.consistency"))
            .as(part + " " + dir).isEqualTo("QUORUM");
      }
    }
    assertThat(c.getString("pekko.persistence.cassandra.journal.keyspace")).isEqualTo("troupe_journal");
    assertThat(c.getString("pekko.persistence.cassandra.snapshot.keyspace")).isEqualTo("troupe_snapshot");
    assertThat(c.getStringList("datastax-java-driver.basic.contact-points"))
        .containsExactly("127.0.0.1:9042", "127.0.0.2:9043");
    assertThat(c.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
        .isEqualTo("datacenter1");
  }

  @Test
  void theDriverAndTheCircuitBreakersRideOutAStallingCassandra() {
    Config c = resolved(CassandraStorageConfig.of(List.of("127.0.0.1:9042")));
    // the keys exist in the driver's and the plugins' reference.conf, and our values win
    assertThat(c.getInt("datastax-java-driver.advanced.connection.pool.local.size")).isEqualTo(2);
    assertThat(c.getDuration("datastax-java-driver.advanced.reconnection-policy.max-delay"))
        .isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(c.getDuration("datastax-java-driver.advanced.heartbeat.timeout"))
        .isEqualTo(c.getDuration("datastax-java-driver.basic.request.timeout"));
    for (String part : List.of("journal", "snapshot")) {
      String cb = "pekko.persistence.cassandra." + part + ".circuit-breaker.";
      assertThat(c.getDuration(cb + "reset-timeout")).as(part).isEqualTo(java.time.Duration.ofSeconds(2));
      assertThat(c.getDuration(cb + "call-timeout")).as(part + ": the driver's timeout fires first")
          .isGreaterThan(c.getDuration("datastax-java-driver.basic.request.timeout"));
    }
  }

  @Test
  void badContactPointsAndCountsAreRefused() {
    assertThatThrownBy(() -> CassandraStorageConfig.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> CassandraStorageConfig.of(List.of("127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    assertThatThrownBy(() -> CassandraStorageConfig.of(List.of("127.0.0.1:x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    assertThatThrownBy(() -> new CassandraStorageConfig(List.of("a:1", "b:2"), 1, "troupe"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer");
    assertThatThrownBy(() -> new CassandraStorageConfig(List.of("a:1"), 1, "Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace prefix");
  }
}
