package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TPC-C New-Order's id allocation: increment a counter row, read it back, insert a row keyed by
 * the value, commit — from several clients at once. Under serializable isolation two clients can
 * never take the same value; one that raced gets 40001 and retries. A duplicate-key error (23505)
 * would mean a client acted on a counter value another one had already used.
 */
class CounterAllocationIT extends InProcessNodeFixture {

  @BeforeAll
  void createTables() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE counter (id INT PRIMARY KEY, v INT NOT NULL)");
      s.execute("CREATE TABLE taken (v INT PRIMARY KEY, client INT)");
      s.execute("INSERT INTO counter VALUES (1, 0)");
    }
  }

  @Test
  void concurrentAllocatorsNeverTakeTheSameValue() throws Exception {
    int clients = 4;
    int perClient = 20;
    AtomicInteger retries = new AtomicInteger();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          try (Connection conn = connect(true); Statement s = conn.createStatement()) {
            conn.setAutoCommit(false);
            for (int i = 0; i < perClient; i++) {
              for (int attempt = 0; ; attempt++) {
                try {
                  s.executeUpdate("UPDATE counter SET v = v + 1 WHERE id = 1");
                  int v;
                  try (ResultSet rs = s.executeQuery("SELECT v FROM counter WHERE id = 1")) {
                    rs.next();
                    v = rs.getInt(1);
                  }
                  s.executeUpdate("INSERT INTO taken VALUES (" + v + ", " + client + ")");
                  conn.commit();
                  break;
                } catch (SQLException e) {
                  conn.rollback();
                  if (!"40001".equals(e.getSQLState())) {
                    unexpected.add(e.getSQLState() + " " + e.getMessage());
                    break;
                  }
                  retries.incrementAndGet();
                  if (attempt > 200) {
                    unexpected.add("no progress after 200 retries");
                    break;
                  }
                }
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(unexpected).isEmpty();
    try (Connection c = connect(true); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT v FROM counter WHERE id = 1), count(*), min(v), max(v) FROM taken")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(clients * perClient);
      assertThat(rs.getInt(2)).isEqualTo(clients * perClient);
      assertThat(rs.getInt(3)).isEqualTo(1);
      assertThat(rs.getInt(4)).isEqualTo(clients * perClient);
    }
    System.out.printf("counter allocation: %d commits, %d retries (40001)%n", clients * perClient, retries.get());
  }
}
