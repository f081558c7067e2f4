package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MVCC garbage collection end to end, through pgjdbc: a queue-like table fills and drains, its
 * deletions stay as tombstones until the GC window (5 s here) has passed, then the store's keys
 * return to where they started, and a restart (which replays the GC events) keeps it so.
 */
class MvccGcIT {
  @TempDir Path tmp;

  private static final int BATCHES = 20;
  private static final int BATCH = 1_000;

  @Test
  void aDrainedQueueShrinksBackOnceTheWindowHasPassed() throws Exception {
    Path store = tmp.resolve("store");
    TroupeNode node = start(store);
    long keysBefore;
    long keysFull;
    long keysCollected;
    long keysPeak = 0;
    double loadSeconds;
    double scanEmpty;
    double scanTombstones;
    double scanCollected;
    try {
      try (Connection c = connect(node); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE queue (id BIGINT PRIMARY KEY, payload TEXT)");
        s.execute("CREATE TABLE kept (id INT PRIMARY KEY, v TEXT)");
        s.execute("INSERT INTO kept VALUES (1, 'first')");
        s.execute("UPDATE kept SET v = 'second' WHERE id = 1");
        keysBefore = metric(node, "troupe_store_keys");
        scanEmpty = scanMillis(s);
        // Producer and consumer: each round adds a batch and consumes the previous one.
        long loadStart = System.nanoTime();
        for (int b = 0; b < BATCHES; b++) {
          StringBuilder ins = new StringBuilder("INSERT INTO queue VALUES ");
          for (int i = 0; i < BATCH; i++) {
            long id = (long) b * BATCH + i;
            ins.append(i == 0 ? "" : ",").append('(').append(id).append(", 'job payload ").append(id).append("')");
          }
          s.execute(ins.toString());
          if (b > 0) {
            s.execute("DELETE FROM queue WHERE id < " + (long) b * BATCH);
          }
          keysPeak = Math.max(keysPeak, metric(node, "troupe_store_keys"));
        }
        s.execute("DELETE FROM queue");
        loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        keysFull = metric(node, "troupe_store_keys");
        keysPeak = Math.max(keysPeak, keysFull);
        // The last batch was deleted well within the window: its tombstones are all still there
        // (earlier ones may be collected already if the load took longer than the window).
        assertThat(keysFull).as("deleted rows are tombstones until the window passes")
            .isGreaterThanOrEqualTo(keysBefore + BATCH);
        assertThat(count(s, "SELECT count(*) FROM queue")).isZero();
        scanTombstones = scanMillis(s);

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (metric(node, "troupe_store_keys") > keysBefore + 10 && System.nanoTime() < deadline) {
          Thread.sleep(200); // polling a metric with a bound: GC runs on its own timer
        }
        keysCollected = metric(node, "troupe_store_keys");
        assertThat(keysCollected).as("tombstones collected").isLessThanOrEqualTo(keysBefore + 10);
        assertThat(metric(node, "troupe_mvcc_gc_runs")).isPositive();
        assertThat(metric(node, "troupe_mvcc_gc_keys_removed")).isGreaterThanOrEqualTo((long) BATCHES * BATCH);
        scanCollected = scanMillis(s);

        assertThat(count(s, "SELECT count(*) FROM queue")).isZero();
        assertThat(one(s, "SELECT v FROM kept WHERE id = 1")).isEqualTo("second");
        // Time travel inside the window works; below it is refused (22023), not answered from lost history.
        assertThat(one(s, "SELECT v FROM kept AS OF SYSTEM TIME '-10ms' WHERE id = 1")).isEqualTo("second");
        assertThatThrownBy(() -> one(s, "SELECT v FROM kept AS OF SYSTEM TIME '-30s' WHERE id = 1"))
            .isInstanceOfSatisfying(SQLException.class, e -> {
              assertThat(e.getSQLState()).isEqualTo("22023");
              assertThat(e.getMessage()).contains("GC window");
            });
      }
    } finally {
      node.close();
    }
    System.out.printf("MvccGcIT: %d rows queued and consumed in %.1f s; store keys %d before, peak %d, %d right"
        + " after the last delete, %d after GC; scan of the empty table: %.2f ms before, %.2f ms right after the"
        + " last delete, %.2f ms after GC%n", BATCHES * BATCH, loadSeconds, keysBefore, keysPeak, keysFull,
        keysCollected, scanEmpty, scanTombstones, scanCollected);

    // Recovery replays the GC events (or starts from a snapshot taken after them): still small.
    TroupeNode again = start(store);
    try (Connection c = connect(again); Statement s = c.createStatement()) {
      assertThat(count(s, "SELECT count(*) FROM queue")).isZero();
      assertThat(one(s, "SELECT v FROM kept WHERE id = 1")).isEqualTo("second");
      assertThat(metric(again, "troupe_store_keys")).isLessThanOrEqualTo(keysCollected + 10);
    } finally {
      again.close();
    }
  }

  /** A node with a 5 s GC window, looking for garbage every 200 ms. */
  private static TroupeNode start(Path store) throws Exception {
    System.setProperty("troupedb.kv.gc-ttl", "5s");
    System.setProperty("troupedb.kv.gc-interval", "200ms");
    ConfigFactory.invalidateCaches();
    try {
      return TroupeNode.start(NodeConfig.singleNode(0, 0, store));
    } finally {
      System.clearProperty("troupedb.kv.gc-ttl");
      System.clearProperty("troupedb.kv.gc-interval");
      ConfigFactory.invalidateCaches();
    }
  }

  /** Median of 7 full scans of the (empty) queue table, in ms. */
  private static double scanMillis(Statement s) throws SQLException {
    double[] t = new double[7];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      count(s, "SELECT count(*) FROM queue");
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static Connection connect(TroupeNode node) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
        + "/defaultdb?user=root");
  }

  /** A value from the node's Prometheus endpoint. */
  static long metric(TroupeNode node, String name) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + node.httpAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "_total ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
