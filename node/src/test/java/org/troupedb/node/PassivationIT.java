package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle ranges passivate (troupedb.kv.passivate-idle-after, 3 s here) and recover on their next
 * request with everything they held: the ranges in memory return to a small number after each
 * round of touching every table, instead of growing with the number of ranges ever touched.
 */
class PassivationIT {
  @TempDir Path tmp;

  private static final int TABLES = 20;

  @Test
  void idleRangesLeaveMemoryAndComeBackWithTheirData() throws Exception {
    Path store = tmp.resolve("store");
    TroupeNode node = start(store);
    try (Connection c = connect(node); Statement s = c.createStatement()) {
      for (int t = 0; t < TABLES; t++) {
        s.execute("CREATE TABLE p" + t + " (id INT PRIMARY KEY, v INT)");
        s.execute("INSERT INTO p" + t + " VALUES (1, 0), (2, " + t + ")");
      }
      long touched = 0;
      long settled = awaitRangesAtMost(node, TABLES / 2);
      for (int round = 1; round <= 3; round++) {
        assertThat(settled).as("round %d: idle ranges left memory", round).isLessThanOrEqualTo(TABLES / 2);
        long passivated = MvccGcIT.metric(node, "troupe_range_passivations");
        // Every range comes back with its data and takes writes.
        for (int t = 0; t < TABLES; t++) {
          assertThat(sum(s, "SELECT sum(v) FROM p" + t)).isEqualTo((long) (round - 1) * 1 + t);
          s.execute("UPDATE p" + t + " SET v = v + 1 WHERE id = 1");
          touched = Math.max(touched, MvccGcIT.metric(node, "troupe_ranges_in_memory"));
        }
        awaitPassivations(node, passivated + TABLES);
        settled = awaitRangesAtMost(node, TABLES / 2);
        assertThat(MvccGcIT.metric(node, "troupe_range_passivations") - passivated)
            .as("round %d: every table's range started again and left again", round).isGreaterThanOrEqualTo(TABLES);
      }
      System.out.printf("PassivationIT: at most %d ranges in memory while touching %d tables, %d once idle%n",
          touched, TABLES, settled);
    } finally {
      node.close();
    }
    TroupeNode again = start(store); // and after a restart, from the journal and snapshots
    try (Connection c = connect(again); Statement s = c.createStatement()) {
      for (int t = 0; t < TABLES; t++) {
        assertThat(sum(s, "SELECT sum(v) FROM p" + t)).isEqualTo(3L + t);
      }
    } finally {
      again.close();
    }
  }

  private static void awaitPassivations(TroupeNode node, long atLeast) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (MvccGcIT.metric(node, "troupe_range_passivations") < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static long awaitRangesAtMost(TroupeNode node, long most) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long n;
    while ((n = MvccGcIT.metric(node, "troupe_ranges_in_memory")) > most && System.nanoTime() < deadline) {
      Thread.sleep(200); // polling a gauge with a bound: passivation runs on the ranges' own timers
    }
    return n;
  }

  /** Where ranges keep their data (troupedb.kv.range-storage): the heap here, the disk in {@link PassivationDiskIT}. */
  String rangeStorage() {
    return "heap";
  }

  private TroupeNode start(Path store) throws Exception {
    System.setProperty("troupedb.kv.passivate-idle-after", "3s");
    System.setProperty("troupedb.kv.range-storage", rangeStorage());
    ConfigFactory.invalidateCaches();
    try {
      return TroupeNode.start(NodeConfig.singleNode(0, 0, store));
    } finally {
      System.clearProperty("troupedb.kv.passivate-idle-after");
      System.clearProperty("troupedb.kv.range-storage");
      ConfigFactory.invalidateCaches();
    }
  }

  private static long sum(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(TroupeNode node) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
        + "/defaultdb?user=root");
  }
}
