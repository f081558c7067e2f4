package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of a node loses no acknowledged commit and keeps nothing of an open transaction. */
class CrashRecoveryIT {

  @TempDir Path tmp;

  /** More {@code start-single-node} options ({@link CrashRecoveryDiskIT}: the disk range store). */
  String[] nodeArgs() {
    return new String[0];
  }

  /** Checks, while the node runs, that it keeps range data where the options say. */
  void assertRangeStorage(Path store) {
    assertThat(store.resolve("range-data")).doesNotExist();
  }

  @Test
  void killNineKeepsEveryAcknowledgedCommitAndNoUncommittedRow() throws Exception {
    Path store = tmp.resolve("store");
    Files.createDirectories(store);
    int port = NodeProcess.freePort();
    Set<Integer> committed = new HashSet<>();

    try (NodeProcess node = NodeProcess.start(store, port, nodeArgs())) {
      node.awaitReady();
      try (Connection c = DriverManager.getConnection(node.jdbcUrl());
           Connection open = DriverManager.getConnection(node.jdbcUrl())) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE acked (id INT PRIMARY KEY, payload TEXT NOT NULL)");
          s.execute("CREATE INDEX acked_payload ON acked (payload)");
        }
        // autocommit: every executeUpdate that returns is an acknowledged commit
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
          for (int i = 0; i < 300; i++) {
            ps.setInt(1, i);
            ps.setString(2, "row-" + i);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            committed.add(i);
          }
        }
        // an explicit multi-row transaction, committed
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
          for (int i = 1000; i < 1200; i++) {
            ps.setInt(1, i);
            ps.setString(2, "txn-" + i);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        for (int i = 1000; i < 1200; i++) {
          committed.add(i);
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

    // after kill -9: everything acknowledged, nothing uncommitted; then a clean stop (SIGTERM)
    try (NodeProcess node = NodeProcess.start(store, port, nodeArgs())) {
      node.awaitReady();
      assertThat(rows(node)).isEqualTo(expected(committed));
      assertRangeStorage(store);
      // the JVM reports 143 (128 + SIGTERM) once its shutdown hook has stopped the node
      assertThat(node.terminate()).as("exit code on SIGTERM").isIn(0, 143);
    }
    // after the clean stop: the same rows again
    try (NodeProcess node = NodeProcess.start(store, port, nodeArgs())) {
      node.awaitReady();
      assertThat(rows(node)).isEqualTo(expected(committed));
    }
  }

  private static Map<Integer, String> expected(Set<Integer> committed) {
    Map<Integer, String> m = new TreeMap<>();
    for (int id : committed) {
      m.put(id, id >= 1000 ? "txn-" + id : "row-" + id);
    }
    return m;
  }

  private static Map<Integer, String> rows(NodeProcess node) throws Exception {
    Map<Integer, String> found = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(node.jdbcUrl());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, payload FROM acked")) {
      while (rs.next()) {
        found.put(rs.getInt(1), rs.getString(2));
      }
    }
    return found;
  }
}
