package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The classic anomalies through pgjdbc against one in-process node: each is prevented, or one of
 * the transactions fails with 40001, exactly as SERIALIZABLE requires. Tables are separate
 * ranges, so two-table transactions are multi-range (2PC).
 */
class IsolationIT extends InProcessNodeFixture {
  private static final String RETRY = "40001";

  private void exec(String... sql) throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static long one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getLong(1);
    }
  }

  private static void update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /** Runs an update; false (rolled back) if it failed with 40001. */
  private static boolean updateOrRetry(Connection c, String sql) throws SQLException {
    try {
      update(c, sql);
      return true;
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(RETRY);
      c.rollback();
      return false;
    }
  }

  /** Commits, or rolls back and returns false on 40001. */
  private static boolean commitOrRetry(Connection c) throws SQLException {
    try {
      c.commit();
      return true;
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(RETRY);
      c.rollback();
      return false;
    }
  }

  /** Runs {@code body}; true if it committed, false if any step failed with 40001 (then rolled back). */
  private static boolean txn(Connection c, Callable<Void> body) throws Exception {
    try {
      body.call();
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(RETRY);
      c.rollback();
      return false;
    }
    return commitOrRetry(c);
  }

  @Test
  void dirtyWriteIsPrevented() throws Exception {
    exec("CREATE TABLE dw (id INT PRIMARY KEY, v INT)", "INSERT INTO dw VALUES (1, 0), (2, 0)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      update(t1, "UPDATE dw SET v = 1 WHERE id = 1");
      update(t1, "UPDATE dw SET v = 1 WHERE id = 2");
      Future<Boolean> second = pool.submit(() -> txn(t2, () -> {
        update(t2, "UPDATE dw SET v = 2 WHERE id = 2");
        update(t2, "UPDATE dw SET v = 2 WHERE id = 1");
        return null;
      }));
      assertThatThrownBy(() -> second.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      boolean firstCommitted = commitOrRetry(t1);
      boolean secondCommitted = second.get(30, TimeUnit.SECONDS);
      assertThat(firstCommitted || secondCommitted).isTrue();
      try (Connection c = connect(true)) {
        long v1 = one(c, "SELECT v FROM dw WHERE id = 1");
        long v2 = one(c, "SELECT v FROM dw WHERE id = 2");
        assertThat(v1).as("both rows come from the same transaction").isEqualTo(v2);
        assertThat(v1).isEqualTo(secondCommitted ? 2 : 1);
      }
    }
  }

  @Test
  void dirtyReadIsPrevented() throws Exception {
    exec("CREATE TABLE dr (id INT PRIMARY KEY, v INT)", "INSERT INTO dr VALUES (1, 0)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      update(t1, "UPDATE dr SET v = 99 WHERE id = 1");
      Future<Long> read = pool.submit(() -> one(t2, "SELECT v FROM dr WHERE id = 1"));
      // The reader either returns the committed value at once or waits for the writer to finish.
      try {
        assertThat(read.get(500, TimeUnit.MILLISECONDS)).isEqualTo(0L);
      } catch (TimeoutException waiting) {
        // blocked on the intent: fine, the rollback below releases it
      }
      t1.rollback();
      assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
      t2.commit();
    }
  }

  @Test
  void lostUpdateIsPrevented() throws Exception {
    exec("CREATE TABLE lu (id INT PRIMARY KEY, n INT)", "INSERT INTO lu VALUES (1, 0)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      long r1 = one(t1, "SELECT n FROM lu WHERE id = 1");
      long r2 = one(t2, "SELECT n FROM lu WHERE id = 1");
      boolean ok1 = updateOrRetry(t1, "UPDATE lu SET n = " + (r1 + 1) + " WHERE id = 1");
      Future<Boolean> second = pool.submit(() -> txn(t2, () -> {
        update(t2, "UPDATE lu SET n = " + (r2 + 1) + " WHERE id = 1");
        return null;
      }));
      boolean c1 = ok1 && commitOrRetry(t1);
      boolean c2 = second.get(30, TimeUnit.SECONDS);
      assertThat(c1 && c2).as("both read 0 and wrote 1: one must fail").isFalse();
      try (Connection c = connect(true)) {
        assertThat(one(c, "SELECT n FROM lu WHERE id = 1")).isEqualTo((c1 ? 1 : 0) + (c2 ? 1 : 0));
      }
    }
  }

  @Test
  void readSkewIsPrevented() throws Exception {
    exec("CREATE TABLE rs_x (id INT PRIMARY KEY, v INT)", "CREATE TABLE rs_y (id INT PRIMARY KEY, v INT)",
        "INSERT INTO rs_x VALUES (1, 50)", "INSERT INTO rs_y VALUES (1, 50)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      long x = one(t1, "SELECT v FROM rs_x WHERE id = 1");
      boolean moved = txn(t2, () -> {
        update(t2, "UPDATE rs_x SET v = 25 WHERE id = 1");
        update(t2, "UPDATE rs_y SET v = 75 WHERE id = 1");
        return null;
      });
      assertThat(moved).isTrue();
      try {
        long y = one(t1, "SELECT v FROM rs_y WHERE id = 1");
        assertThat(x + y).as("t1 sees one snapshot").isEqualTo(100);
        t1.commit();
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo(RETRY);
      }
    }
  }

  @Test
  void writeSkewOfTwoDoctorsIsPrevented() throws Exception {
    exec("CREATE TABLE doctors (name TEXT PRIMARY KEY, on_call BOOLEAN)",
        "INSERT INTO doctors VALUES ('alice', true), ('bob', true)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      String count = "SELECT count(*) FROM doctors WHERE on_call";
      assertThat(one(t1, count)).isEqualTo(2);
      assertThat(one(t2, count)).isEqualTo(2);
      AtomicInteger committed = new AtomicInteger();
      boolean ok1 = updateOrRetry(t1, "UPDATE doctors SET on_call = false WHERE name = 'alice'");
      Future<Boolean> second = pool.submit(() -> txn(t2, () -> {
        update(t2, "UPDATE doctors SET on_call = false WHERE name = 'bob'");
        return null;
      }));
      if (ok1 && commitOrRetry(t1)) {
        committed.incrementAndGet();
      }
      if (second.get(30, TimeUnit.SECONDS)) {
        committed.incrementAndGet();
      }
      assertThat(committed.get()).as("at most one doctor may go off call").isLessThanOrEqualTo(1);
      try (Connection c = connect(true)) {
        assertThat(one(c, count)).isEqualTo(2 - committed.get()).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void phantomViaPredicateReadIsPrevented() throws Exception {
    exec("CREATE TABLE bookings (id INT PRIMARY KEY, room INT, d INT)", "INSERT INTO bookings VALUES (1, 7, 1)");
    // Each books room 7 on day 1 if fewer than 2 bookings exist: serially, only one can.
    String count = "SELECT count(*) FROM bookings WHERE room = 7 AND d = 1";
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      assertThat(one(t1, count)).isEqualTo(1);
      assertThat(one(t2, count)).isEqualTo(1);
      boolean ok1 = updateOrRetry(t1, "INSERT INTO bookings VALUES (2, 7, 1)");
      Future<Boolean> second = pool.submit(() -> txn(t2, () -> {
        update(t2, "INSERT INTO bookings VALUES (3, 7, 1)");
        return null;
      }));
      boolean c1 = ok1 && commitOrRetry(t1);
      boolean c2 = second.get(30, TimeUnit.SECONDS);
      assertThat(c1 && c2).as("both saw 1 booking and added one: one must fail").isFalse();
      try (Connection c = connect(true)) {
        assertThat(one(c, count)).isEqualTo(1 + (c1 ? 1 : 0) + (c2 ? 1 : 0));
      }
    }
  }

  @Test
  void phantomDoesNotAppearToARepeatedPredicateRead() throws Exception {
    exec("CREATE TABLE items (id INT PRIMARY KEY, g INT)", "INSERT INTO items VALUES (1, 1), (2, 1), (3, 2)");
    try (Connection t1 = connect(false); Connection c = connect(true)) {
      String count = "SELECT count(*) FROM items WHERE g = 1";
      assertThat(one(t1, count)).isEqualTo(2);
      update(c, "INSERT INTO items VALUES (4, 1)");
      assertThat(one(t1, count)).as("the repeated predicate read sees no phantom").isEqualTo(2);
      t1.commit();
      assertThat(one(c, count)).isEqualTo(3);
    }
  }

  @Test
  void readYourOwnWrites() throws Exception {
    exec("CREATE TABLE ryow (id INT PRIMARY KEY, v TEXT)", "CREATE TABLE ryow2 (id INT PRIMARY KEY, v TEXT)");
    try (Connection t = connect(false); Connection other = connect(true)) {
      update(t, "INSERT INTO ryow VALUES (1, 'a'), (2, 'b')");
      update(t, "INSERT INTO ryow2 VALUES (1, 'z')");
      assertThat(one(t, "SELECT count(*) FROM ryow")).isEqualTo(2);
      update(t, "UPDATE ryow SET v = 'c' WHERE id = 1");
      try (Statement s = t.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT ryow.v, ryow2.v FROM ryow JOIN ryow2 ON ryow.id = ryow2.id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + rs.getString(2)).isEqualTo("cz");
        assertThat(rs.next()).isFalse();
      }
      update(t, "DELETE FROM ryow WHERE id = 2");
      assertThat(one(t, "SELECT count(*) FROM ryow")).isEqualTo(1);
      t.commit();
      assertThat(one(other, "SELECT count(*) FROM ryow")).isEqualTo(1);
      assertThat(one(other, "SELECT count(*) FROM ryow2")).isEqualTo(1);
    }
  }

  @Test
  void readerNeverSeesHalfOfAMultiRangeTransaction() throws Exception {
    exec("CREATE TABLE half_a (id INT PRIMARY KEY, v INT)", "CREATE TABLE half_b (id INT PRIMARY KEY, v INT)",
        "INSERT INTO half_a VALUES (1, 0)", "INSERT INTO half_b VALUES (1, 0)");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    Future<Void> reader = pool.submit(() -> {
      try (Connection r = connect(false); Connection auto = connect(true)) {
        while (!stop.get()) {
          try {
            long a = one(r, "SELECT v FROM half_a WHERE id = 1");
            long b = one(r, "SELECT v FROM half_b WHERE id = 1");
            r.commit();
            assertThat(a).as("explicit reader").isEqualTo(b);
          } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo(RETRY);
            r.rollback();
          }
          try (Statement s = auto.createStatement(); ResultSet rs = s.executeQuery(
              "SELECT half_a.v, half_b.v FROM half_a JOIN half_b ON half_a.id = half_b.id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("single-statement reader").isEqualTo(rs.getLong(2));
          }
          reads.incrementAndGet();
        }
      }
      return null;
    });
    int committed = 0;
    try (Connection w = connect(false)) {
      for (int i = 1; i <= 60; i++) {
        final int v = i;
        if (txn(w, () -> {
          update(w, "UPDATE half_a SET v = " + v + " WHERE id = 1");
          update(w, "UPDATE half_b SET v = " + v + " WHERE id = 1");
          return null;
        })) {
          committed++;
        }
      }
    } finally {
      stop.set(true);
    }
    reader.get(60, TimeUnit.SECONDS);
    assertThat(committed).isGreaterThan(0);
    assertThat(reads.get()).isGreaterThan(0);
  }

  @Test
  void readOnlyTransactionRefusesWrites() throws Exception {
    exec("CREATE TABLE ro (id INT PRIMARY KEY)");
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("BEGIN READ ONLY");
      assertThatThrownBy(() -> s.execute("INSERT INTO ro VALUES (1)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
      s.execute("ROLLBACK");
      s.execute("BEGIN");
      s.execute("SET TRANSACTION READ ONLY");
      assertThatThrownBy(() -> s.execute("INSERT INTO ro VALUES (1)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
      s.execute("ROLLBACK");
      s.execute("INSERT INTO ro VALUES (1)");
      assertThat(one(c, "SELECT count(*) FROM ro")).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ locking reads

  @Test
  void selectForUpdateMakesAWriterWaitAndKeepsItsUpdate() throws Exception {
    exec("CREATE TABLE fu (id INT PRIMARY KEY, v INT)", "INSERT INTO fu VALUES (1, 0), (2, 0), (3, 0)");
    try (Connection t1 = connect(false); Connection t2 = connect(true)) {
      assertThat(one(t1, "SELECT v FROM fu WHERE id = 1 FOR UPDATE")).isEqualTo(0);
      Future<Integer> writer = pool.submit(() -> {
        try (Statement s = t2.createStatement()) {
          return s.executeUpdate("UPDATE fu SET v = v + 1 WHERE id = 1");
        }
      });
      assertThatThrownBy(() -> writer.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      try (Connection plain = connect(true)) {
        assertThat(one(plain, "SELECT v FROM fu WHERE id = 1")).as("plain readers do not wait for locks").isEqualTo(0);
      }
      update(t1, "UPDATE fu SET v = 10 WHERE id = 1");
      t1.commit();
      assertThat(writer.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(one(t2, "SELECT v FROM fu WHERE id = 1")).as("the waiting writer ran after the lock holder").isEqualTo(11);
    }
  }

  @Test
  void lockingRangeScanAndForShareMakeWritersWait() throws Exception {
    exec("CREATE TABLE fs (id INT PRIMARY KEY, v INT)", "INSERT INTO fs VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
    for (String clause : new String[] {"FOR UPDATE", "FOR SHARE", "FOR NO KEY UPDATE"}) {
      try (Connection t1 = connect(false); Connection t2 = connect(true)) {
        try (Statement s = t1.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM fs WHERE id BETWEEN 2 AND 3 " + clause)) {
          int n = 0;
          while (rs.next()) {
            n++;
          }
          assertThat(n).isEqualTo(2);
        }
        Future<Integer> outside = pool.submit(() -> {
          try (Statement s = t2.createStatement()) {
            return s.executeUpdate("UPDATE fs SET v = v + 1 WHERE id = 4");
          }
        });
        assertThat(outside.get(30, TimeUnit.SECONDS)).as("a row outside the locked span").isEqualTo(1);
        Future<Integer> inside = pool.submit(() -> {
          try (Statement s = t2.createStatement()) {
            return s.executeUpdate("UPDATE fs SET v = v + 1 WHERE id = 3");
          }
        });
        assertThatThrownBy(() -> inside.get(700, TimeUnit.MILLISECONDS)).as(clause)
            .isInstanceOf(TimeoutException.class);
        t1.commit();
        assertThat(inside.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      }
    }
  }

  @Test
  void forUpdateNowaitFailsWith55P03() throws Exception {
    exec("CREATE TABLE nw (id INT PRIMARY KEY, v INT)", "INSERT INTO nw VALUES (1, 0), (2, 0)");
    try (Connection t1 = connect(false); Connection t2 = connect(false)) {
      assertThat(one(t1, "SELECT v FROM nw WHERE id = 1 FOR UPDATE")).isEqualTo(0);
      assertThatThrownBy(() -> one(t2, "SELECT v FROM nw WHERE id = 1 FOR UPDATE NOWAIT"))
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("55P03");
            assertThat(e.getMessage()).contains("could not obtain lock on row in relation \"nw\"");
          });
      t2.rollback();
      assertThat(one(t2, "SELECT v FROM nw WHERE id = 2 FOR UPDATE NOWAIT")).as("another row is free").isEqualTo(0);
      t2.commit();
      t1.commit();
    }
  }

  @Test
  void concurrentForUpdateIncrementsAreSerialAndRarelyRetry() throws Exception {
    exec("CREATE TABLE ctr (id INT PRIMARY KEY, n INT)", "INSERT INTO ctr VALUES (1, 0)");
    int clients = 4;
    int each = 15;
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    java.util.List<Future<Void>> all = new java.util.ArrayList<>();
    for (int i = 0; i < clients; i++) {
      all.add(pool.submit(() -> {
        try (Connection c = connect(false)) {
          for (int k = 0; k < each; k++) {
            if (txn(c, () -> {
              long n = one(c, "SELECT n FROM ctr WHERE id = 1 FOR UPDATE");
              update(c, "UPDATE ctr SET n = " + (n + 1) + " WHERE id = 1");
              return null;
            })) {
              committed.incrementAndGet();
            } else {
              retries.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    for (Future<Void> f : all) {
      f.get(120, TimeUnit.SECONDS);
    }
    try (Connection c = connect(true)) {
      assertThat(one(c, "SELECT n FROM ctr WHERE id = 1")).isEqualTo(committed.get());
    }
    // Lock waits end with the holder's new value read under the lock, not with a restart.
    assertThat(committed.get()).as("retries: " + retries.get()).isGreaterThan(clients * each / 2);
  }
}
