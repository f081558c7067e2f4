package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.troupedb.node.JdbcRows.rows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;
import org.troupedb.testkit.PsqlDiff;

/**
 * SAVEPOINT / ROLLBACK TO / RELEASE through pgjdbc: nested savepoints, one key overwritten at
 * several levels, a two-range (2PC) transaction, an error inside the block undone by ROLLBACK
 * TO (pgjdbc's {@code autosave=always}), row locks released by ROLLBACK TO, the error cases as
 * PostgreSQL reports them, and CockroachDB's {@code cockroach_restart} retry loop under
 * contention.
 */
class SavepointIT extends InProcessNodeFixture {

  @Test
  void nestedSavepointsUndoExactlyTheLaterWritesOfOneKey() throws Exception {
    exec("CREATE TABLE sp_nest (id INT PRIMARY KEY, v TEXT)");
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("INSERT INTO sp_nest VALUES (1, 'a')");
      Savepoint s1 = c.setSavepoint("s1");
      s.execute("UPDATE sp_nest SET v = 'b' WHERE id = 1");
      Savepoint s2 = c.setSavepoint("s2");
      s.execute("UPDATE sp_nest SET v = 'c' WHERE id = 1");
      s.execute("UPDATE sp_nest SET v = 'd' WHERE id = 1");
      s.execute("INSERT INTO sp_nest VALUES (2, 'x')");
      Savepoint s3 = c.setSavepoint("s3");
      s.execute("DELETE FROM sp_nest WHERE id = 1");
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("2:x");
      c.rollback(s3);
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("1:d", "2:x");
      c.rollback(s2);
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("1:b");
      s.execute("UPDATE sp_nest SET v = 'e' WHERE id = 1"); // s2 is still there after ROLLBACK TO
      c.rollback(s2);
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("1:b");
      c.releaseSavepoint(s2);
      c.rollback(s1);
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("1:a");
      s.execute("INSERT INTO sp_nest VALUES (3, 'y')");
      c.commit();
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, v FROM sp_nest ORDER BY id")).containsExactly("1:a", "3:y");
    }
  }

  @Test
  void aTwoRangeTransactionRollsBackToASavepointAndCommits() throws Exception {
    exec("CREATE TABLE sp_left (id INT PRIMARY KEY, v INT)");
    exec("CREATE TABLE sp_right (id INT PRIMARY KEY, v INT)");
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("INSERT INTO sp_left VALUES (1, 10)");
      s.execute("INSERT INTO sp_right VALUES (1, 10)");
      s.execute("SAVEPOINT transfer");
      s.execute("UPDATE sp_left SET v = v - 7 WHERE id = 1");
      s.execute("UPDATE sp_right SET v = v + 7 WHERE id = 1");
      s.execute("INSERT INTO sp_right VALUES (2, 0)");
      s.execute("ROLLBACK TO SAVEPOINT transfer");
      s.execute("UPDATE sp_left SET v = v - 3 WHERE id = 1");
      s.execute("UPDATE sp_right SET v = v + 3 WHERE id = 1");
      s.execute("RELEASE SAVEPOINT transfer");
      c.commit();
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, v FROM sp_left")).containsExactly("1:7");
      assertThat(rows(s, "SELECT id, v FROM sp_right ORDER BY id")).containsExactly("1:13");
    }
  }

  @Test
  void anErrorThenRollbackToLeavesTheAbortedStateAndTheBlockCommits() throws Exception {
    exec("CREATE TABLE sp_err (id INT PRIMARY KEY, v INT)");
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("INSERT INTO sp_err VALUES (1, 1)");
      s.execute("SAVEPOINT a");
      s.execute("INSERT INTO sp_err VALUES (2, 2)");
      assertThat(state(() -> s.execute("INSERT INTO sp_err VALUES (1, 9)"))).isEqualTo("23505");
      assertThat(state(() -> s.executeQuery("SELECT 1"))).isEqualTo("25P02");
      assertThat(state(() -> s.execute("RELEASE SAVEPOINT a"))).isEqualTo("25P02");
      assertThat(state(() -> s.execute("ROLLBACK TO SAVEPOINT nosuch"))).isEqualTo("3B001");
      s.execute("ROLLBACK TO SAVEPOINT a");
      s.execute("INSERT INTO sp_err VALUES (3, 3)");
      s.execute("SAVEPOINT b");
      assertThat(state(() -> s.execute("SELECT 1 / 0"))).isEqualTo("22012");
      s.execute("ROLLBACK TO b");
      c.commit();
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, v FROM sp_err ORDER BY id")).containsExactly("1:1", "3:3");
    }
  }

  @Test
  void pgjdbcAutosaveAlwaysRecoversFromAFailedStatement() throws Exception {
    exec("CREATE TABLE sp_auto (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO sp_auto VALUES (1, 1)");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
        + "/defaultdb?user=root&autosave=always")) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO sp_auto VALUES (2, 2)");
        assertThat(state(() -> s.execute("INSERT INTO sp_auto VALUES (1, 5)"))).isEqualTo("23505");
        s.execute("UPDATE sp_auto SET v = v + 10 WHERE id = 1");
        try (var ps = c.prepareStatement("INSERT INTO sp_auto VALUES (?, ?)")) {
          ps.setInt(1, 2);
          ps.setInt(2, 0);
          assertThat(state(ps::execute)).isEqualTo("23505");
          ps.setInt(1, 3);
          ps.setInt(2, 3);
          ps.execute();
        }
        c.commit();
      }
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, v FROM sp_auto ORDER BY id")).containsExactly("1:11", "2:2", "3:3");
    }
  }

  @Test
  void rollbackToReleasesRowLocksTakenAfterTheSavepoint() throws Exception {
    exec("CREATE TABLE sp_lock (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO sp_lock VALUES (1, 1), (2, 2)");
    try (Connection a = connect(false); Statement sa = a.createStatement();
         Connection b = connect(false); Statement sb = b.createStatement()) {
      sa.execute("SELECT v FROM sp_lock WHERE id = 2 FOR UPDATE");
      sa.execute("SAVEPOINT s");
      sa.execute("SELECT v FROM sp_lock WHERE id = 1 FOR UPDATE");
      assertThat(state(() -> sb.execute("SELECT v FROM sp_lock WHERE id = 1 FOR UPDATE NOWAIT"))).isEqualTo("55P03");
      b.rollback();
      sa.execute("ROLLBACK TO SAVEPOINT s");
      assertThat(rows(sb, "SELECT id, v FROM sp_lock WHERE id = 1 FOR UPDATE NOWAIT")).containsExactly("1:1");
      assertThat(state(() -> sb.execute("SELECT v FROM sp_lock WHERE id = 2 FOR UPDATE NOWAIT"))).isEqualTo("55P03");
      b.rollback();
      a.commit();
    }
  }

  @Test
  void savepointStatementsFailAsInPostgres() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      SQLException outside = catchThrowableOfType(() -> s.execute("SAVEPOINT a"), SQLException.class);
      assertThat(outside.getSQLState()).isEqualTo("25P01");
      assertThat(outside.getMessage()).contains("SAVEPOINT can only be used in transaction blocks");
      assertThat(state(() -> s.execute("RELEASE SAVEPOINT a"))).isEqualTo("25P01");
      assertThat(state(() -> s.execute("ROLLBACK TO SAVEPOINT a"))).isEqualTo("25P01");
      s.execute("BEGIN");
      SQLException missing = catchThrowableOfType(() -> s.execute("RELEASE nosuch"), SQLException.class);
      assertThat(missing.getSQLState()).isEqualTo("3B001");
      assertThat(missing.getMessage()).contains("savepoint \"nosuch\" does not exist");
      assertThat(state(() -> s.execute("SAVEPOINT b"))).isEqualTo("25P02");
      s.execute("ROLLBACK");
      // a name may repeat: the newest one is meant, the older one stays
      exec("CREATE TABLE sp_dup (id INT PRIMARY KEY)");
      s.execute("BEGIN");
      s.execute("SAVEPOINT a");
      s.execute("INSERT INTO sp_dup VALUES (1)");
      s.execute("SAVEPOINT a");
      s.execute("INSERT INTO sp_dup VALUES (2)");
      s.execute("ROLLBACK TO a");
      assertThat(rows(s, "SELECT id FROM sp_dup")).containsExactly("1");
      s.execute("RELEASE a");
      s.execute("ROLLBACK TO a");
      assertThat(rows(s, "SELECT id FROM sp_dup")).isEmpty();
      s.execute("COMMIT");
    }
  }

  @Test
  void aRetryErrorRestartsFromAStartSavepointButNotFromALaterOne() throws Exception {
    exec("CREATE TABLE sp_retry (id INT PRIMARY KEY, v INT)");
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("SELECT count(*) FROM sp_retry");
      s.execute("SAVEPOINT mid");
      exec("INSERT INTO sp_retry VALUES (5, 0)");
      // written after this transaction's snapshot: a serialization failure, not a duplicate
      assertThat(state(() -> s.execute("INSERT INTO sp_retry VALUES (5, 1)"))).isEqualTo("40001");
      SQLException refused = catchThrowableOfType(() -> s.execute("ROLLBACK TO SAVEPOINT mid"), SQLException.class);
      assertThat(refused.getSQLState()).isEqualTo("40001");
      assertThat(refused.getMessage()).contains("only a savepoint taken at the start");
      c.rollback();
    }
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("SAVEPOINT cockroach_restart");
      s.execute("SELECT count(*) FROM sp_retry");
      exec("INSERT INTO sp_retry VALUES (6, 0)");
      assertThat(state(() -> s.execute("INSERT INTO sp_retry VALUES (6, 1)"))).isEqualTo("40001");
      s.execute("ROLLBACK TO SAVEPOINT cockroach_restart"); // a new transaction at a later timestamp
      assertThat(state(() -> s.execute("INSERT INTO sp_retry VALUES (6, 1)"))).isEqualTo("23505");
      s.execute("ROLLBACK TO SAVEPOINT cockroach_restart");
      s.execute("INSERT INTO sp_retry VALUES (7, 1)");
      s.execute("RELEASE SAVEPOINT cockroach_restart"); // commits
      assertThat(state(() -> s.execute("SELECT 1"))).isEqualTo("25000");
      c.commit();
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, v FROM sp_retry ORDER BY id")).containsExactly("5:0", "6:0", "7:1");
    }
  }

  @Test
  void cockroachRestartLoopUnderContentionKeepsEveryIncrement() throws Exception {
    exec("CREATE TABLE sp_counter (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO sp_counter VALUES (1, 0)");
    int clients = 2;
    int perClient = 15;
    AtomicInteger restarts = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      done.add(pool.submit(() -> {
        try (Connection c = connect(false); Statement s = c.createStatement()) {
          for (int n = 0; n < perClient; n++) {
            s.execute("SAVEPOINT cockroach_restart");
            for (int attempt = 0; ; attempt++) {
              try {
                long v;
                try (ResultSet rs = s.executeQuery("SELECT v FROM sp_counter WHERE id = 1")) {
                  rs.next();
                  v = rs.getLong(1);
                }
                s.execute("UPDATE sp_counter SET v = " + (v + 1) + " WHERE id = 1");
                s.execute("RELEASE SAVEPOINT cockroach_restart");
                c.commit();
                break;
              } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState()) || attempt >= 50) {
                  throw e;
                }
                restarts.incrementAndGet();
                s.execute("ROLLBACK TO SAVEPOINT cockroach_restart");
              }
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT v FROM sp_counter")).containsExactly(Integer.toString(clients * perClient));
    }
    System.out.println("cockroach_restart loop: " + clients * perClient + " increments, " + restarts.get() + " restarts");
  }

  @Test
  void psqlTranscriptMatchesPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      String diff = PsqlDiff.compareScript(Psql.to(postgres), troupe, java.nio.file.Path.of(
          "src/test/resources/compat/savepoints.sql"));
      assertThat(diff).as("psql transcript diff (- PostgreSQL, + TroupeDB)").isEmpty();
    }
  }

  // ------------------------------------------------------------------ helpers

  private interface SqlAction {
    void run() throws SQLException;
  }

  private static String state(SqlAction action) {
    SQLException e = catchThrowableOfType(action::run, SQLException.class);
    assertThat((Throwable) e).as("the statement should fail").isNotNull();
    return e.getSQLState();
  }

  private void exec(String sql) throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
