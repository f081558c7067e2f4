package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalCassandra;

/**
 * A node on the Cassandra journal ({@code --journal cassandra}, one local Cassandra started by
 * ops/cassandra through {@link LocalCassandra}): {@code kill -9} loses no acknowledged commit and
 * keeps nothing of an open transaction, and the restarted node recovers from Cassandra alone (it
 * gets a new, empty store directory).
 */
class CassandraJournalIT {

  @TempDir Path tmp;

  @Test
  void killNineOnCassandraKeepsEveryAcknowledgedCommitAndNoUncommittedRow() throws Exception {
    Map<Integer, String> committed = new TreeMap<>();
    try (LocalCassandra cassandra = LocalCassandra.start(tmp.resolve("cassandra"))) {
      String[] journal = {"--journal", "cassandra", "--cassandra", cassandra.contactPoint()};
      int port = NodeProcess.freePort();
      Path firstStore = tmp.resolve("store-1");
      try (NodeProcess node = NodeProcess.start(firstStore, port, journal)) {
        node.awaitReady();
        try (Connection c = DriverManager.getConnection(node.jdbcUrl());
             Connection open = DriverManager.getConnection(node.jdbcUrl())) {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (id INT PRIMARY KEY, payload TEXT NOT NULL)");
            s.execute("CREATE INDEX acked_payload ON acked (payload)");
          }
          // autocommit: every executeUpdate that returns is an acknowledged commit
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
            for (int i = 0; i < 150; i++) {
              ps.setInt(1, i);
              ps.setString(2, "row-" + i);
              assertThat(ps.executeUpdate()).isEqualTo(1);
              committed.put(i, "row-" + i);
            }
          }
          // an explicit multi-row transaction, committed
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
            for (int i = 1000; i < 1100; i++) {
              ps.setInt(1, i);
              ps.setString(2, "txn-" + i);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          c.commit();
          for (int i = 1000; i < 1100; i++) {
            committed.put(i, "txn-" + i);
          }
          // a transaction left open at the time of the crash
          open.setAutoCommit(false);
          try (Statement s = open.createStatement()) {
            s.executeUpdate("INSERT INTO acked VALUES (5000, 'uncommitted'), (5001, 'uncommitted')");
            s.executeUpdate("UPDATE acked SET payload = 'uncommitted' WHERE id = 7");
          }
          node.kill9();
        }
      }
      // the journal was not the embedded one
      assertThat(firstStore.resolve("journal.mv.db")).doesNotExist();

      // a fresh store directory: whatever the node finds, it found in Cassandra
      try (NodeProcess node = NodeProcess.start(tmp.resolve("store-2"), port, journal)) {
        node.awaitReady();
        assertThat(rows(node, "SELECT id, payload FROM acked")).isEqualTo(committed);
        // the secondary index recovered too (written in the same transactions as the rows)
        assertThat(rows(node, "SELECT id, payload FROM acked WHERE payload = 'row-7'"))
            .isEqualTo(Map.of(7, "row-7"));
        assertThat(rows(node, "SELECT id, payload FROM acked WHERE payload = 'uncommitted'")).isEmpty();
        assertThat(node.terminate()).as("exit code on SIGTERM").isIn(0, 143);
      }
    }
  }

  private static Map<Integer, String> rows(NodeProcess node, String sql) throws Exception {
    Map<Integer, String> found = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(node.jdbcUrl());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        found.put(rs.getInt(1), rs.getString(2));
      }
    }
    return found;
  }
}
