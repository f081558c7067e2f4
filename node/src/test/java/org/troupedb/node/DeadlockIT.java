package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Transactions that lock rows in opposite orders across ranges (one table per range) all finish,
 * committed or with 40001, within a bounded time: no deadlock hangs.
 */
class DeadlockIT extends InProcessNodeFixture {
  /** Every transaction of a round must have finished by then (lock-wait-timeout is 30 s). */
  private static final long BOUND_SECONDS = 20;

  /**
   * Each of {@code tables.length} transactions first locks row 1 of table i, waits until all have,
   * then locks row 1 of table i+1 (a cycle through every table). Returns how many committed.
   */
  private int cycle(String[] tables, String lockSql) throws Exception {
    int n = tables.length;
    CyclicBarrier firstLocks = new CyclicBarrier(n);
    List<Future<Boolean>> txns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String first = tables[i];
      String second = tables[(i + 1) % n];
      txns.add(pool.submit(() -> {
        try (Connection c = connect(false); Statement s = c.createStatement()) {
          try {
            s.execute(String.format(lockSql, first));
            firstLocks.await(BOUND_SECONDS, TimeUnit.SECONDS);
            s.execute(String.format(lockSql, second));
            c.commit();
            return true;
          } catch (SQLException e) {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("40001");
            c.rollback();
            return false;
          }
        }
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    int committed = 0;
    for (Future<Boolean> f : txns) {
      if (f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        committed++;
      }
    }
    return committed;
  }

  @Test
  void opposingUpdatesAcrossTwoRangesAllFinish() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      for (String t : new String[] {"dl_a", "dl_b"}) {
        s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
        s.execute("INSERT INTO " + t + " VALUES (1, 0)");
      }
    }
    for (int round = 0; round < 5; round++) {
      int committed = cycle(new String[] {"dl_a", "dl_b"}, "UPDATE %s SET v = v + 1 WHERE id = 1");
      assertThat(committed).as("round " + round + ": the cycle is broken by aborting one side").isGreaterThanOrEqualTo(1);
    }
    try (Connection c = connect(true); Statement s = c.createStatement();
         var rs = s.executeQuery("SELECT dl_a.v, dl_b.v FROM dl_a, dl_b")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).as("both rows are written by exactly the committed transactions").isEqualTo(rs.getLong(2));
    }
  }

  @Test
  void threeWayCycleOfLockingReadsAllFinish() throws Exception {
    String[] tables = {"dl_x", "dl_y", "dl_z"};
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
        s.execute("INSERT INTO " + t + " VALUES (1, 0)");
      }
    }
    for (int round = 0; round < 3; round++) {
      assertThat(cycle(tables, "SELECT v FROM %s WHERE id = 1 FOR UPDATE")).isGreaterThanOrEqualTo(1);
    }
  }
}
