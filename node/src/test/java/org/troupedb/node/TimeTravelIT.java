package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** {@code SELECT … AS OF SYSTEM TIME}: reads at a past timestamp, through pgjdbc. */
class TimeTravelIT extends InProcessNodeFixture {

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  /**
   * Creates {@code table} with row (1, 'old'), and 600 ms later sets it to 'new' and adds
   * (2, 'later'); returns an instant halfway between (300 ms from each).
   */
  private static Instant oldThenNew(Statement s, String table) throws Exception {
    s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v TEXT)");
    s.execute("INSERT INTO " + table + " VALUES (1, 'old')");
    Thread.sleep(300);
    Instant between = Instant.now();
    Thread.sleep(300);
    s.execute("UPDATE " + table + " SET v = 'new' WHERE id = 1");
    s.execute("INSERT INTO " + table + " VALUES (2, 'later')");
    return between;
  }

  @Test
  void readsSeeTheDataAsOfTheGivenTime() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      Instant between = oldThenNew(s, "tt");
      String at = MICROS.format(between);

      assertThat(one(s, "SELECT v FROM tt WHERE id = 1")).isEqualTo("new");
      assertThat(one(s, "SELECT v FROM tt WHERE id = 1 AS OF SYSTEM TIME '" + at + "'")).isEqualTo("old");
      assertThat(one(s, "SELECT count(*) FROM tt AS OF SYSTEM TIME '" + at + "'")).isEqualTo("1");
      assertThat(one(s, "SELECT count(*) FROM tt AS OF SYSTEM TIME '-1ms'")).isEqualTo("2");
      // The schema is read at that time too: an hour ago the table did not exist.
      String hourAgo = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
          .format(between.minusSeconds(3600)) + "+00";
      assertThatThrownBy(() -> one(s, "SELECT count(*) FROM tt AS OF SYSTEM TIME '" + hourAgo + "'"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
      // Prepared, with the point-lookup fast path.
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM tt AS OF SYSTEM TIME '" + at + "' WHERE id = ?")) {
        for (int i = 0; i < 6; i++) {
          ps.setInt(1, 1);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("old");
          }
        }
      }
    }
  }

  @Test
  void aTransactionBlockCanReadAsOfAPastTime() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      String at = MICROS.format(oldThenNew(s, "tblock"));

      s.execute("BEGIN AS OF SYSTEM TIME '" + at + "'");
      assertThat(one(s, "SELECT v FROM tblock WHERE id = 1")).isEqualTo("old");
      assertThat(one(s, "SELECT count(*) FROM tblock")).isEqualTo("1");
      assertThat(one(s, "SHOW transaction_read_only")).isEqualTo("on");
      assertThatThrownBy(() -> s.execute("INSERT INTO tblock VALUES (3, 'x')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
      s.execute("ROLLBACK");
      s.execute("BEGIN TRANSACTION AS OF SYSTEM TIME '-1ms'");
      assertThat(one(s, "SELECT count(*) FROM tblock")).isEqualTo("2");
      s.execute("COMMIT");
      assertThatThrownBy(() -> s.execute("BEGIN AS OF SYSTEM TIME '-1s' READ WRITE"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
      assertThatThrownBy(() -> s.execute("BEGIN AS OF SYSTEM TIME '2999-01-01 00:00:00'"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
      // The session is usable and outside a block after the refusals.
      assertThat(one(s, "SELECT count(*) FROM tblock")).isEqualTo("2");
    }
  }

  @Test
  void badTimesAreRefusedClearly() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tb (id INT PRIMARY KEY)");
      long created = System.nanoTime();
      assertThatThrownBy(() -> one(s, "SELECT * FROM tb AS OF SYSTEM TIME '2999-01-01 00:00:00'"))
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("22023");
            assertThat(e.getMessage()).contains("in the future");
          });
      assertThatThrownBy(() -> one(s, "SELECT * FROM tb AS OF SYSTEM TIME '-26h'"))
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("22023");
            assertThat(e.getMessage()).contains("GC window");
          });
      assertThatThrownBy(() -> one(s, "SELECT * FROM tb AS OF SYSTEM TIME 'yesterday-ish'"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
      c.setAutoCommit(false);
      assertThatThrownBy(() -> one(s, "SELECT * FROM tb AS OF SYSTEM TIME '-1s'"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
      c.rollback();
      c.setAutoCommit(true);
      // '-1s' must reach back to a time when tb existed (schema is read as of that time too).
      long sinceCreate = (System.nanoTime() - created) / 1_000_000;
      if (sinceCreate < 1_200) {
        Thread.sleep(1_200 - sinceCreate);
      }
      assertThat(one(s, "SELECT count(*) FROM tb AS OF SYSTEM TIME '-1s'")).isEqualTo("0");
    }
  }
}
