package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * pgjdbc's {@code executeBatch} in autocommit mode, with and without {@code
 * reWriteBatchedInserts}: what the client sends up to a Sync is one transaction, as in PostgreSQL,
 * written to its range in one write command with the secondary index entries (the node's {@code
 * troupe_range_write_commands} counter), and a duplicate key rolls all of it back with
 * PostgreSQL's 23505 and detail.
 */
class BulkLoadIT extends InProcessNodeFixture {
  private static final int ROWS = 1000;

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long writes(Map<String, Long> before, Map<String, Long> after) {
    return after.getOrDefault("troupe_range_write_commands_total", 0L)
        - before.getOrDefault("troupe_range_write_commands_total", 0L);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aBatchIsOneTransactionAndOneRangeWrite(boolean rewrite) throws Exception {
    String t = "bulk_" + rewrite;
    try (Connection c = connect("&reWriteBatchedInserts=" + rewrite); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v TEXT, k INT)");
      st.execute("CREATE INDEX " + t + "_k ON " + t + " (k)");
      st.execute("INSERT INTO " + t + " VALUES (0, 'warm', 0)");
      Map<String, Long> before = StatementReuseIT.counters(node);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?)")) {
        for (int i = 1; i <= ROWS; i++) {
          ps.setInt(1, i);
          ps.setString(2, "row " + i);
          ps.setInt(3, i % 10);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        assertThat(counts).hasSize(ROWS);
      }
      Map<String, Long> after = StatementReuseIT.counters(node);
      // Before: one implicit transaction, so one range write, per row. Now one per Sync: pgjdbc
      // sends a Sync (and reads the results) every ~256 statements of a batch, rewritten or not.
      assertThat(writes(before, after)).as("range write commands for %d rows", ROWS).isBetween(1L, 5L);
      assertThat(count(st, "SELECT count(*) FROM " + t)).isEqualTo(ROWS + 1);
      assertThat(count(st, "SELECT count(*) FROM " + t + " WHERE k = 7")).as("through the index").isEqualTo(ROWS / 10);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aDuplicateKeyRollsTheWholeBatchBackWithPostgresError(boolean rewrite) throws Exception {
    String t = "dup_" + rewrite;
    try (Connection c = connect("&reWriteBatchedInserts=" + rewrite); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v TEXT)");
      st.execute("CREATE UNIQUE INDEX " + t + "_v ON " + t + " (v)");
      st.execute("INSERT INTO " + t + " VALUES (3, 'three')");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?)")) {
        for (int i = 10; i < 20; i++) {
          ps.setInt(1, i == 15 ? 3 : i);
          ps.setString(2, "v" + i);
          ps.addBatch();
        }
        assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class)
            .satisfies(e -> {
              PSQLException p = (PSQLException) ((SQLException) e).getNextException();
              assertThat(p.getSQLState()).isEqualTo("23505");
              assertThat(p.getServerErrorMessage().getMessage())
                  .isEqualTo("duplicate key value violates unique constraint \"" + t + "_pkey\"");
              assertThat(p.getServerErrorMessage().getDetail()).isEqualTo("Key (id)=(3) already exists.");
            });
        for (int i = 20; i < 30; i++) {
          ps.setInt(1, i);
          ps.setString(2, i == 25 ? "v21" : "v" + i); // a duplicate inside the batch, on the unique index
          ps.addBatch();
        }
        assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class)
            .satisfies(e -> {
              PSQLException p = (PSQLException) ((SQLException) e).getNextException();
              assertThat(p.getSQLState()).isEqualTo("23505");
              assertThat(p.getServerErrorMessage().getDetail()).isEqualTo("Key (v)=(v21) already exists.");
            });
      }
      assertThat(count(st, "SELECT count(*) FROM " + t)).as("nothing of either batch stays").isEqualTo(1);
      st.execute("INSERT INTO " + t + " VALUES (4, 'four')");
      assertThat(count(st, "SELECT count(*) FROM " + t)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 500})
  void aMultiRowInsertIsOneRangeWrite(int rows) throws Exception {
    String t = "multi_" + rows;
    try (Connection c = connect(""); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, k INT)");
      st.execute("CREATE INDEX " + t + "_k ON " + t + " (k)");
      StringBuilder sql = new StringBuilder("INSERT INTO " + t + " VALUES ");
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i % 7).append(')');
      }
      Map<String, Long> before = StatementReuseIT.counters(node);
      assertThat(st.executeUpdate(sql.toString())).isEqualTo(rows);
      assertThat(writes(before, StatementReuseIT.counters(node))).isEqualTo(1L);
      assertThat(count(st, "SELECT count(*) FROM " + t)).isEqualTo(rows);
    }
  }
}
