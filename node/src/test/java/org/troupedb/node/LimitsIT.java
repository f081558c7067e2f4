package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.troupedb.node.JdbcRows.rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's limits against a real node through pgjdbc: each gives the SQLSTATE and message a
 * PostgreSQL 15 client would get, the node keeps serving other sessions, and nothing committed is
 * lost nor anything canceled half-applied. Timeouts are short (a few hundred ms): time is what
 * these tests are about.
 */
class LimitsIT extends InProcessNodeFixture {

  private void exec(String sql) throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String value(String table) throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      return rows(s, "SELECT v FROM " + table + " WHERE id = 1").get(0);
    }
  }

  /** Another session is served while the limit under test plays out. */
  private void assertOthersServed() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT 1 + 1")).containsExactly("2");
    }
  }

  @Test
  void limitsAndTimeoutsShowAsInPostgres() throws Exception {
    try (Connection c = connect("&options=-c%20statement_timeout=2s"); Statement s = c.createStatement()) {
      assertThat(rows(s, "SHOW max_connections")).containsExactly("100");
      assertThat(rows(s, "SHOW superuser_reserved_connections")).containsExactly("3");
      SQLException fixed = catchThrowableOfType(() -> s.execute("SET max_connections = 5"), SQLException.class);
      assertThat(fixed.getSQLState()).isEqualTo("55P02");
      assertThat(fixed.getMessage()).contains("parameter \"max_connections\" cannot be changed without restarting the server");
      assertThat(rows(s, "SHOW statement_timeout")).as("from the startup options").containsExactly("2s");
      s.execute("SET statement_timeout = 5000");
      assertThat(rows(s, "SHOW statement_timeout")).containsExactly("5s");
      s.execute("SET lock_timeout = '200ms'");
      assertThat(rows(s, "SHOW lock_timeout")).containsExactly("200ms");
      s.execute("SET idle_in_transaction_session_timeout = '1min'");
      assertThat(rows(s, "SHOW idle_in_transaction_session_timeout")).containsExactly("1min");
      s.execute("SET idle_session_timeout = 0");
      assertThat(rows(s, "SHOW idle_session_timeout")).containsExactly("0");
      SQLException bad = catchThrowableOfType(() -> s.execute("SET statement_timeout = '5 parsecs'"), SQLException.class);
      assertThat(bad.getSQLState()).isEqualTo("22023");
      assertThat(bad.getMessage()).contains("invalid value for parameter \"statement_timeout\": \"5 parsecs\"");
      SQLException negative = catchThrowableOfType(() -> s.execute("SET statement_timeout = -1"), SQLException.class);
      assertThat(negative.getSQLState()).isEqualTo("22023");
    }
  }

  @Test
  void statementTimeoutStopsAStatementWaitingForALock() throws Exception {
    exec("CREATE TABLE lim_st (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO lim_st VALUES (1, 0)");
    try (Connection holder = connect(false); Statement h = holder.createStatement();
         Connection waiter = connect(true); Statement w = waiter.createStatement()) {
      h.execute("UPDATE lim_st SET v = 1 WHERE id = 1"); // holds the row until commit
      w.execute("SET statement_timeout = '300ms'");
      long t0 = System.nanoTime();
      SQLException e = catchThrowableOfType(() -> w.execute("UPDATE lim_st SET v = v + 100 WHERE id = 1"),
          SQLException.class);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getMessage()).contains("canceling statement due to statement timeout");
      assertThat(ms).as("canceled after the timeout, promptly").isBetween(250L, 5_000L);
      assertOthersServed();
      holder.commit();
      w.execute("SET statement_timeout = 0");
      assertThat(rows(w, "SELECT v FROM lim_st WHERE id = 1")).as("the canceled update left nothing")
          .containsExactly("1");
      w.execute("UPDATE lim_st SET v = v + 1 WHERE id = 1"); // the session goes on
    }
    assertThat(value("lim_st")).isEqualTo("2");
  }

  @Test
  void lockTimeoutFailsAWaitForAnotherTransactionsRow() throws Exception {
    exec("CREATE TABLE lim_lock (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO lim_lock VALUES (1, 0), (2, 0)");
    try (Connection holder = connect(false); Statement h = holder.createStatement();
         Connection waiter = connect(false); Statement w = waiter.createStatement()) {
      h.execute("UPDATE lim_lock SET v = 1 WHERE id = 1");
      w.execute("SET lock_timeout = '300ms'");
      w.execute("UPDATE lim_lock SET v = 5 WHERE id = 2"); // no conflict: unaffected
      long t0 = System.nanoTime();
      SQLException e = catchThrowableOfType(() -> w.execute("UPDATE lim_lock SET v = v + 100 WHERE id = 1"),
          SQLException.class);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("55P03");
      assertThat(e.getMessage()).contains("canceling statement due to lock timeout");
      assertThat(ms).as("failed after the lock timeout, promptly").isBetween(250L, 5_000L);
      waiter.rollback(); // as in PostgreSQL, the error aborted the block
      assertOthersServed();
      holder.commit();
      w.execute("UPDATE lim_lock SET v = v + 1 WHERE id = 1"); // the row is free now: no wait
      waiter.commit();
    }
    assertThat(value("lim_lock")).isEqualTo("2");
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT v FROM lim_lock WHERE id = 2")).as("the rolled-back block's write is gone")
          .containsExactly("0");
    }
  }

  @Test
  void idleInTransactionTimeoutEndsTheSessionAndReleasesItsLocks() throws Exception {
    exec("CREATE TABLE lim_idle (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO lim_idle VALUES (1, 0)");
    try (Connection idler = connect(true); Statement i = idler.createStatement()) {
      i.execute("SET idle_in_transaction_session_timeout = '300ms'");
      idler.setAutoCommit(false);
      i.execute("UPDATE lim_idle SET v = 99 WHERE id = 1"); // then goes quiet holding the row
      long t0 = System.nanoTime();
      try (Connection other = connect(true); Statement o = other.createStatement()) {
        // Waits for the row until the idle session is ended and its transaction rolled back.
        o.execute("UPDATE lim_idle SET v = v + 1 WHERE id = 1");
      }
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms the other writer waited").isLessThan(10_000L);
      assertThat(value("lim_idle")).as("the idle transaction's write was rolled back").isEqualTo("1");
      SQLException e = catchThrowableOfType(() -> i.execute("SELECT 1"), SQLException.class);
      // The FATAL was sent when the timeout fired; a client reads it with its next statement
      // (or, if the close's reset overtakes it, only sees the connection gone).
      assertThat(e.getSQLState()).as(e.getMessage()).isIn("25P03", "08006");
      assertThat(idler.isValid(1)).isFalse();
    }
    assertOthersServed();
  }

  @Test
  void aClientThatDisconnectsNeverHasItsStatementComplete() throws Exception {
    exec("CREATE TABLE lim_gone (id INT PRIMARY KEY, v INT)");
    exec("INSERT INTO lim_gone VALUES (1, 0)");
    try (Connection holder = connect(false); Statement h = holder.createStatement()) {
      h.execute("UPDATE lim_gone SET v = 1 WHERE id = 1");
      Connection gone = connect(true);
      Future<?> blocked = pool.submit(() -> {
        try (Statement g = gone.createStatement()) {
          g.execute("UPDATE lim_gone SET v = v + 100 WHERE id = 1"); // waits for holder
        } catch (SQLException expected) {
          // the connection is aborted
        }
        return null;
      });
      Thread.sleep(500); // let the update reach its lock wait (no event to wait on from here)
      gone.abort(Runnable::run); // the socket closes; no Terminate, no CancelRequest
      blocked.get(10, TimeUnit.SECONDS);
      Thread.sleep(1_000); // the watch looks every 250 ms
      holder.commit();
    }
    // Had the statement survived its client, it would apply right after the holder's commit.
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
    while (System.nanoTime() < end) {
      assertThat(value("lim_gone")).isEqualTo("1");
      Thread.sleep(50);
    }
    assertOthersServed();
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedBeforeItIsReadAndLargeValuesStillBind() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.pgAddress().getPort())) {
      s.setSoTimeout(10_000);
      java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
      byte[] params = "user\0root\0database\0defaultdb\0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(8 + params.length);
      out.writeInt(196608); // protocol 3.0
      out.write(params);
      out.writeByte('Q');
      out.writeInt(1 << 30); // a 1 GiB query, of which nothing more is sent
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(reply).contains("FATAL").contains("08P01").contains("invalid message length 1073741824");
    }
    assertOthersServed();
    exec("CREATE TABLE lim_big (id INT PRIMARY KEY, t TEXT)");
    String big = "x".repeat(2 << 20); // 2 MiB: far above the control-message limit, well within 64 MiB
    try (Connection c = connect(true);
         java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO lim_big VALUES (1, ?)")) {
      ps.setString(1, big);
      ps.executeUpdate();
    }
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT length(t) FROM lim_big WHERE id = 1")).containsExactly(Integer.toString(2 << 20));
    }
  }
}
