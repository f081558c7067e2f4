package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalCassandra;

/**
 * A node on three Cassandra nodes: the journal keyspaces get replication factor 3, writes go on
 * (at QUORUM) after one Cassandra node is {@code kill -9}ed, and after a {@code kill -9} of the
 * TroupeDB node a restart with an empty store recovers every acknowledged row from the two
 * surviving Cassandra nodes. Tagged slow (three Cassandra JVMs): {@code mvn -B -pl node -am verify
 * -DexcludedGroups=none -Dit.test=CassandraReplicationIT}.
 */
@Tag("slow")
class CassandraReplicationIT {

  @TempDir Path tmp;

  @Test
  void quorumWritesSurviveALostCassandraNodeAndANodeKill() throws Exception {
    Map<Integer, String> committed = new TreeMap<>();
    try (LocalCassandra cassandra = LocalCassandra.start(tmp.resolve("cassandra"), 3)) {
      String[] journal = {"--journal", "cassandra", "--cassandra", String.join(",", cassandra.contactPoints())};
      int port = NodeProcess.freePort();
      try (NodeProcess node = NodeProcess.start(tmp.resolve("store-1"), port, journal)) {
        node.awaitReady();
        assertThat(replicationFactor(cassandra, "troupe_journal")).isEqualTo("3");
        assertThat(replicationFactor(cassandra, "troupe_snapshot")).isEqualTo("3");
        try (Connection c = DriverManager.getConnection(node.jdbcUrl())) {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (id INT PRIMARY KEY, payload TEXT NOT NULL)");
          }
          insert(c, 0, 100, committed);
          cassandra.kill9(3);
          insert(c, 100, 200, committed); // QUORUM = 2 of 3 replicas: still reached
        }
        node.kill9();
      }
      try (NodeProcess node = NodeProcess.start(tmp.resolve("store-2"), port, journal)) {
        node.awaitReady();
        Map<Integer, String> found = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(node.jdbcUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, payload FROM acked")) {
          while (rs.next()) {
            found.put(rs.getInt(1), rs.getString(2));
          }
        }
        assertThat(found).isEqualTo(committed);
      }
    }
  }

  private static void insert(Connection c, int from, int to, Map<Integer, String> committed) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
      for (int i = from; i < to; i++) {
        ps.setInt(1, i);
        ps.setString(2, "row-" + i);
        assertThat(ps.executeUpdate()).isEqualTo(1);
        committed.put(i, "row-" + i);
      }
    }
  }

  private static String replicationFactor(LocalCassandra cassandra, String keyspace) {
    String[] hp = cassandra.contactPoint().split(":");
    try (CqlSession s = CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
        .withLocalDatacenter("datacenter1").build()) {
      Map<String, String> replication = s.execute(
          "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
          .one().getMap("replication", String.class, String.class);
      return replication.get("replication_factor");
    }
  }
}
