package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.troupedb.node.JdbcRows.rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Row locks through pgjdbc: FOR SHARE / FOR KEY SHARE are shared (several readers hold a row at
 * once, a writer or FOR UPDATE waits for all of them), and SKIP LOCKED leaves rows held by others
 * out — the job-queue pattern, where every job is taken exactly once.
 */
class SharedLockIT extends InProcessNodeFixture {

  @Test
  void sharersHoldARowTogetherAndAWriterWaitsForAllOfThem() throws Exception {
    exec("CREATE TABLE sl_rows (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO sl_rows VALUES (1, 0)");
    try (Connection a = connect(false); Statement sa = a.createStatement();
         Connection b = connect(false); Statement sb = b.createStatement();
         Connection p = connect(false); Statement sp = p.createStatement()) {
      assertThat(rows(sa, "SELECT v FROM sl_rows WHERE id = 1 FOR SHARE")).containsExactly("0");
      // a second sharer gets the row at once (NOWAIT would fail if it had to wait)
      assertThat(rows(sb, "SELECT v FROM sl_rows WHERE id = 1 FOR KEY SHARE NOWAIT")).containsExactly("0");
      SQLException excl = catchThrowableOfType(
          () -> sp.execute("SELECT v FROM sl_rows WHERE id = 1 FOR UPDATE NOWAIT"), SQLException.class);
      assertThat(excl.getSQLState()).isEqualTo("55P03");
      p.rollback();
      Future<?> writer = pool.submit(() -> {
        try (Connection w = connect(true); Statement sw = w.createStatement()) {
          sw.execute("UPDATE sl_rows SET v = v + 1 WHERE id = 1");
        }
        return null;
      });
      a.commit();
      SQLException still = catchThrowableOfType(
          () -> sp.execute("SELECT v FROM sl_rows WHERE id = 1 FOR NO KEY UPDATE NOWAIT"), SQLException.class);
      assertThat(still.getSQLState()).as("b still shares the row").isEqualTo("55P03");
      p.rollback();
      assertThat(writer.isDone()).isFalse();
      b.commit();
      writer.get(30, TimeUnit.SECONDS);
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT v FROM sl_rows")).containsExactly("1");
    }
  }

  @Test
  void skipLockedLeavesOutRowsOthersHold() throws Exception {
    exec("CREATE TABLE sl_skip (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO sl_skip VALUES (1, 1), (2, 2), (3, 3)");
    try (Connection a = connect(false); Statement sa = a.createStatement();
         Connection b = connect(false); Statement sb = b.createStatement()) {
      assertThat(rows(sa, "SELECT id FROM sl_skip WHERE id = 2 FOR UPDATE")).containsExactly("2");
      assertThat(rows(sb, "SELECT id FROM sl_skip ORDER BY id FOR UPDATE SKIP LOCKED")).containsExactly("1", "3");
      assertThat(rows(sb, "SELECT id FROM sl_skip WHERE id = 2 FOR SHARE SKIP LOCKED")).isEmpty();
      b.rollback();
      a.commit();
      assertThat(rows(sb, "SELECT id FROM sl_skip ORDER BY id FOR SHARE SKIP LOCKED")).containsExactly("1", "2", "3");
      b.commit();
    }
  }

  @Test
  void aSkipLockedJobQueueRunsEveryJobExactlyOnce() throws Exception {
    exec("CREATE TABLE sl_jobs (id INT PRIMARY KEY, done BOOLEAN NOT NULL, worker INT)");
    int jobs = 20;
    StringBuilder values = new StringBuilder();
    for (int i = 1; i <= jobs; i++) {
      values.append(i > 1 ? ", " : "").append("(").append(i).append(", false, NULL)");
    }
    exec("INSERT INTO sl_jobs VALUES " + values);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 1; w <= 3; w++) {
      int worker = w;
      workers.add(pool.submit(() -> {
        int taken = 0;
        try (Connection c = connect(false); Statement s = c.createStatement()) {
          // Bounded by time, not rounds: a job committed by another worker stays skipped until its
          // intent is resolved (asynchronously), and a fast loop can spend many rounds meanwhile.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (System.nanoTime() < deadline) {
            List<String> job = rows(s, "SELECT id FROM sl_jobs WHERE done = false ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED");
            if (job.isEmpty()) {
              c.commit();
              if (rows(s, "SELECT id FROM sl_jobs WHERE done = false").isEmpty()) {
                c.commit();
                return taken;
              }
              c.commit();
              continue; // every open job is held by another worker right now
            }
            s.execute("UPDATE sl_jobs SET done = true, worker = " + worker + " WHERE id = " + job.get(0));
            c.commit();
            taken++;
          }
        }
        throw new AssertionError("worker " + worker + " did not finish");
      }));
    }
    int total = 0;
    for (Future<Integer> f : workers) {
      total += f.get(120, TimeUnit.SECONDS);
    }
    assertThat(total).as("jobs taken by the workers").isEqualTo(jobs);
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT count(*) FROM sl_jobs WHERE done = true AND worker IS NOT NULL"))
          .containsExactly(Integer.toString(jobs));
    }
  }

  private void exec(String sql) throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
