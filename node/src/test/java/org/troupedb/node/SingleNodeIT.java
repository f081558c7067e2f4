package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgjdbc against a real single node (in this JVM): prepared statements, batches, metadata, errors. */
class SingleNodeIT extends InProcessNodeFixture {

  @ParameterizedTest
  @ValueSource(strings = {"", "&prepareThreshold=1", "&prepareThreshold=1&binaryTransfer=true", "&preferQueryMode=simple"})
  void preparedPointQueriesInEveryMode(String mode) throws Exception {
    String table = "pq" + Math.abs(mode.hashCode());
    try (Connection c = connect(mode); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, n INT, price NUMERIC(10,2), "
          + "name VARCHAR(20), born DATE, ok BOOLEAN)");
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 20; i++) {
          ins.setLong(1, i);
          ins.setInt(2, i * 10);
          ins.setBigDecimal(3, new BigDecimal(i + ".25"));
          ins.setString(4, "name" + i);
          ins.setObject(5, LocalDate.of(2024, 1, i));
          ins.setBoolean(6, i % 2 == 0);
          ins.addBatch();
        }
        int[] counts = ins.executeBatch();
        assertThat(counts).hasSize(20).containsOnly(1);
      }
      try (PreparedStatement q = c.prepareStatement("SELECT n, price, name, born, ok FROM " + table + " WHERE id = ?")) {
        for (int round = 0; round < 8; round++) { // past every prepareThreshold: server-side and binary
          for (int i = 1; i <= 20; i += 7) {
            q.setLong(1, i);
            try (ResultSet rs = q.executeQuery()) {
              assertThat(rs.next()).isTrue();
              assertThat(rs.getInt(1)).isEqualTo(i * 10);
              assertThat(rs.getBigDecimal(2)).isEqualByComparingTo(new BigDecimal(i + ".25"));
              assertThat(rs.getString(3)).isEqualTo("name" + i);
              assertThat(rs.getObject(4, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, i));
              assertThat(rs.getBoolean(5)).isEqualTo(i % 2 == 0);
              assertThat(rs.next()).isFalse();
            }
          }
        }
      }
    }
  }

  @Test
  void returningAndGeneratedKeys() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE gk (id SERIAL PRIMARY KEY, label TEXT NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO gk (label) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        List<Integer> ids = new ArrayList<>();
        for (String label : List.of("a", "b", "c")) {
          ps.setString(1, label);
          assertThat(ps.executeUpdate()).isEqualTo(1);
          try (ResultSet keys = ps.getGeneratedKeys()) {
            assertThat(keys.next()).isTrue();
            ids.add(keys.getInt("id"));
          }
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted();
      }
      try (ResultSet rs = s.executeQuery("UPDATE gk SET label = label || '!' WHERE label = 'b' RETURNING label")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("b!");
      }
    }
  }

  @Test
  void resultSetMetaDataNamesAndTypes() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE md (id INT PRIMARY KEY, big BIGINT, small SMALLINT, r REAL, d DOUBLE PRECISION, "
          + "num NUMERIC(12,3), v VARCHAR(7), ch CHAR(3), t TEXT, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, "
          + "b BYTEA, flag BOOLEAN)");
      try (ResultSet rs = s.executeQuery("SELECT * FROM md")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnCount()).isEqualTo(14);
        String[] names = {"id", "big", "small", "r", "d", "num", "v", "ch", "t", "dt", "ts", "tz", "b", "flag"};
        int[] types = {Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.REAL, Types.DOUBLE, Types.NUMERIC,
            Types.VARCHAR, Types.CHAR, Types.VARCHAR, Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE,
            Types.BINARY, Types.BIT};
        String[] typeNames = {"int4", "int8", "int2", "float4", "float8", "numeric", "varchar", "bpchar", "text",
            "date", "timestamp", "timestamptz", "bytea", "bool"};
        for (int i = 0; i < names.length; i++) {
          assertThat(md.getColumnName(i + 1)).isEqualTo(names[i]);
          assertThat(md.getColumnTypeName(i + 1)).isEqualTo(typeNames[i]);
          if (types[i] != Types.TIMESTAMP_WITH_TIMEZONE) { // pgjdbc reports timestamptz as TIMESTAMP
            assertThat(md.getColumnType(i + 1)).as(names[i]).isEqualTo(types[i]);
          }
        }
        assertThat(md.getPrecision(6)).isEqualTo(12);
        assertThat(md.getScale(6)).isEqualTo(3);
        assertThat(md.getColumnDisplaySize(7)).isEqualTo(7);
      }
    }
  }

  @Test
  void errorsCarrySqlStateAndLeaveTheSessionUsable() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE errs (id INT PRIMARY KEY, n SMALLINT NOT NULL)");
      s.execute("INSERT INTO errs VALUES (1, 1)");
      assertState(s, "SELEC 1", "42601");
      assertState(s, "SELECT * FROM no_such_table", "42P01");
      assertState(s, "SELECT no_such_column FROM errs", "42703");
      assertState(s, "INSERT INTO errs VALUES (1, 2)", "23505");
      assertState(s, "INSERT INTO errs VALUES (2, NULL)", "23502");
      assertState(s, "INSERT INTO errs VALUES (3, 'abc')", "22P02");
      assertState(s, "INSERT INTO errs VALUES (4, 70000)", "22003");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM errs")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void failedStatementAbortsTheTransactionBlockUntilRollback() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE blk (id INT PRIMARY KEY)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO blk VALUES (1)");
      assertState(s, "INSERT INTO blk VALUES (1)", "23505");
      assertState(s, "SELECT 1", "25P02");
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM blk")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void httpHealthReadyAndMetrics() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + node.httpAddress().getPort();
    for (String path : new String[] {"/health", "/ready"}) {
      var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(path).isEqualTo(200);
    }
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS metric_probe (id INT PRIMARY KEY)");
      s.execute("INSERT INTO metric_probe VALUES (1) ON CONFLICT DO NOTHING");
    }
    var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").containsPattern("troupe_range_write_commands_total [1-9]");
    // the embedded journal's durable writes and the persists they carried
    assertThat(metrics.body()).containsPattern("troupe_journal_store_writes_total [1-9]")
        .containsPattern("troupe_journal_persists_total [1-9]");
    // each group-commit flush's time to the journal, as a histogram (p50/p99 over any window)
    assertThat(metrics.body()).containsPattern("troupe_range_journal_write_seconds_count [1-9]")
        .containsPattern("troupe_range_journal_write_seconds_bucket\\{le=\"0\\.[0-9]+\"\\} [1-9]");
  }

  private static void assertState(Statement s, String sql, String state) {
    assertThatThrownBy(() -> s.execute(sql))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(state));
  }
}
