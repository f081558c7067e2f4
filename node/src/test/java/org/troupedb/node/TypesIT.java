package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Types and expressions next to a real PostgreSQL (issue 2): a psql script ({@code compat/types.sql};
 * known, documented deviations in {@code types.known-diff}, which may only shrink) and pgjdbc
 * statements with parameters whose results and parameter types must be PostgreSQL's.
 */
class TypesIT {
  private static final String OPTIONS = "prepareThreshold=1&stringtype=unspecified";
  @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();

  @Test
  void typesScriptMatchesPostgres() throws Exception {
    CompatScript.assertOnlyKnownDiff(servers.postgresPsql(), servers.troupePsql(), "types");
  }

  /**
   * Parameters typed by their context and untyped ones (strings sent as {@code unknown}:
   * stringtype=unspecified) as text; binary transfer (prepareThreshold=1).
   */
  @Test
  void parameterInferenceMatchesPostgres() throws Exception {
    String troupeUrl = servers.troupeJdbcUrl(OPTIONS);
    String pgUrl = servers.postgresJdbcUrl(OPTIONS);
    assertThat(transcript(troupeUrl)).containsExactlyElementsOf(transcript(pgUrl));
  }

  /**
   * uuid and time through pgjdbc as on PostgreSQL: {@code setObject(UUID)} sends OID 2950 in binary,
   * {@code getObject} returns a {@link java.util.UUID}; prepareThreshold=-1 makes every statement
   * named, so results come back in binary too (pgjdbc receives uuid in binary).
   */
  @Test
  void uuidTravelsInBinaryAsOnPostgres() throws Exception {
    String binary = "prepareThreshold=-1";
    String troupeUrl = servers.troupeJdbcUrl(binary);
    String pgUrl = servers.postgresJdbcUrl(binary);
    List<String> troupe = uuidTranscript(troupeUrl);
    assertThat(troupe).containsExactlyElementsOf(uuidTranscript(pgUrl));
    assertThat(troupe).contains("gen_random_uuid java.util.UUID version 4");
  }

  private static List<String> uuidTranscript(String url) throws SQLException {
    java.util.UUID a = java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    java.util.UUID f = java.util.UUID.fromString("f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      try (var st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS p7");
        st.execute("CREATE TABLE p7 (id uuid PRIMARY KEY, n int, v uuid, t time)");
      }
      out.add(run(c, "INSERT INTO p7 (id, n, v) VALUES (?, ?, ?), (?, ?, ?)", a, 1, f, f, 2, null));
      for (int i = 0; i < 3; i++) { // past any prepare threshold: the named, binary path
        try (PreparedStatement ps = c.prepareStatement("SELECT id, v, n FROM p7 WHERE id = ? OR v = ? ORDER BY id")) {
          ps.setObject(1, f);
          ps.setObject(2, f);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object id = rs.getObject(1);
              Object v = rs.getObject(2);
              out.add(rs.getMetaData().getColumnTypeName(1) + " " + id.getClass().getName() + " " + id + " "
                  + (v == null ? "null" : v.getClass().getName() + " " + v) + " " + rs.getInt(3));
            }
          }
        }
      }
      out.add(run(c, "SELECT n FROM p7 WHERE id > ? ORDER BY n", a));
      out.add(run(c, "SELECT ?::uuid, CAST(? AS uuid)", "{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}", a));
      out.add(run(c, "UPDATE p7 SET v = ? WHERE id = ?", a, a));
      out.add(run(c, "UPDATE p7 SET t = ? WHERE id = ?", java.time.LocalTime.of(4, 5, 6, 500_000_000), a));
      for (int i = 0; i < 3; i++) { // time in binary: LocalTime both ways
        try (PreparedStatement ps = c.prepareStatement("SELECT t FROM p7 WHERE t = ?")) {
          ps.setObject(1, java.time.LocalTime.of(4, 5, 6, 500_000_000));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            out.add(rs.getMetaData().getColumnTypeName(1) + " " + rs.getObject(1, java.time.LocalTime.class)
                + " " + rs.getString(1));
          }
        }
      }
      out.add(run(c, "SELECT id, v FROM p7 ORDER BY id DESC"));
      try (PreparedStatement ps = c.prepareStatement("SELECT gen_random_uuid()");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        java.util.UUID g = rs.getObject(1, java.util.UUID.class);
        out.add("gen_random_uuid " + g.getClass().getName() + " version " + g.version());
      }
      try (var st = c.createStatement()) {
        st.execute("DROP TABLE p7");
      }
    }
    return out;
  }

  private static List<String> transcript(String url) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      try (var st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS p4");
        st.execute("CREATE TABLE p4 (id INT PRIMARY KEY, b BOOL, s SMALLINT, i INT, l BIGINT, r REAL, d FLOAT8,"
            + " n NUMERIC(8,2), v TEXT, t TEXT, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, bt BYTEA)");
      }
      // the values go through every column type, timestamps with microseconds
      out.add(run(c, "INSERT INTO p4 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 1, true, (short) 2, 3, 4L,
          1.5f, 2.5, new BigDecimal("3.25"), "abc", "def", LocalDate.of(2024, 1, 2),
          LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000), OffsetDateTime.parse("2024-01-02T03:04:05.654321+02:00"),
          new byte[] {1, 2}));
      out.add(run(c, "INSERT INTO p4 (id, n, dt, tz) VALUES (?, ?, ?, ?)", 2, null, null, null));
      out.add(run(c, "SELECT ?", "hello"));
      out.add(run(c, "SELECT ? || 'x', ?::int + 1", "a", "41"));
      out.add(run(c, "SELECT ?::int IS NULL", (Object) null));
      out.add(run(c, "SELECT id, ts, tz FROM p4 WHERE i = ?", 3));
      out.add(run(c, "SELECT id FROM p4 WHERE l = ? OR v = ?", 4L, "zzz"));
      out.add(run(c, "SELECT n + (SELECT sum(l) FROM p4), ?::numeric FROM p4 WHERE id = ?", "1.50", 1));
      out.add(run(c, "SELECT id FROM p4 WHERE ts = ? AND tz > ?", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
          OffsetDateTime.parse("2024-01-02T01:04:05.654320Z")));
      // functions taking integers, with int and bigint parameters and int columns
      out.add(run(c, "SELECT lpad(?, ?, '*'), left(?, ?), repeat(v, i), round(n, i), split_part('a,b', ',', ?) FROM p4"
          + " WHERE id = ?", "ab", 5, "abc", 2, 2, 1));
      out.add(run(c, "SELECT to_char(ts, ?), to_char(n, ?), extract(epoch FROM ts), date_part('second', ts) FROM p4"
          + " WHERE id = ?", "YYYY-MM-DD HH24:MI:SS.US", "FM999.00", 1));
      out.add(run(c, "UPDATE p4 SET t = ? WHERE id = ?", "zz", 1));
      out.add(run(c, "SELECT * FROM p4 ORDER BY id"));
    }
    return out;
  }

  /** One statement's parameter types, result column types and rows (or update count), as text. */
  private static String run(Connection c, String sql, Object... params) {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      StringBuilder sb = new StringBuilder(sql).append(" params=");
      ParameterMetaData pm = st.getParameterMetaData();
      for (int i = 1; i <= pm.getParameterCount(); i++) {
        sb.append(pm.getParameterTypeName(i)).append(',');
      }
      if (st.execute()) {
        try (ResultSet rs = st.getResultSet()) {
          sb.append(" cols=");
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            sb.append(rs.getMetaData().getColumnTypeName(i)).append(',');
          }
          while (rs.next()) {
            sb.append(" |");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              sb.append(rs.getString(i)).append('|');
            }
          }
        }
      } else {
        sb.append(" count=").append(st.getUpdateCount());
      }
      return sb.toString();
    } catch (SQLException e) {
      return sql + " ERROR " + e.getSQLState();
    }
  }
}
