package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PGobject;

/**
 * json and jsonb next to a real PostgreSQL 15 (issue 14): the psql script {@code compat/json.sql}
 * (errors with their DETAIL and CONTEXT included) and pgjdbc's PGobject in both directions.
 */
class JsonIT {
  @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();

  @Test
  void jsonScriptMatchesPostgres() throws Exception {
    CompatScript.assertOnlyKnownDiff(servers.postgresPsql(), servers.troupePsql(), "json");
  }

  /**
   * getObject is a PGobject of type json/jsonb; setObject(PGobject jsonb) and a text parameter
   * cast with {@code ?::jsonb} store the normalised value; both protocols (prepareThreshold 1 and 0).
   */
  @Test
  void pgjdbcPgObjectsAsOnPostgres() throws Exception {
    for (String options : List.of("prepareThreshold=1", "prepareThreshold=0")) {
      String troupeUrl = servers.troupeJdbcUrl(options);
      String pgUrl = servers.postgresJdbcUrl(options);
      List<String> troupe = transcript(troupeUrl);
      assertThat(troupe).containsExactlyElementsOf(transcript(pgUrl));
      assertThat(troupe).contains("jsonb {\"a\": 1, \"b\": [1, 2]}");
    }
  }

  private static List<String> transcript(String url) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("DROP TABLE IF EXISTS jt");
      c.createStatement().execute("CREATE TABLE jt (id int PRIMARY KEY, a json, b jsonb)");
      PGobject jb = new PGobject();
      jb.setType("jsonb");
      jb.setValue("{\"b\": [1,2], \"a\": 1}");
      PGobject j = new PGobject();
      j.setType("json");
      j.setValue("{\"b\": [1,2],  \"a\": 1}");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 2; i++) {
          ps.setInt(1, i);
          ps.setObject(2, j);
          ps.setObject(3, jb);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt VALUES (3, ?::json, ?::jsonb)")) {
        ps.setString(1, "[1,  {\"y\":2, \"x\":1}]");
        ps.setString(2, "[1,  {\"y\":2, \"x\":1}]");
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id, a, b, b -> 'a', b ->> 'b' FROM jt WHERE id >= ? ORDER BY id")) {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add("row " + rs.getInt(1));
            for (int col = 2; col <= 5; col++) {
              Object o = rs.getObject(col);
              out.add(o == null ? "null" : o instanceof PGobject p ? p.getType() + " " + p.getValue()
                  : o.getClass().getSimpleName() + " " + o);
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jt WHERE b @> ?::jsonb ORDER BY id")) {
        ps.setString(1, "{\"a\": 1}");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add("contains " + rs.getInt(1));
          }
        }
      }
      try (ResultSet rs = c.getMetaData().getColumns(null, "public", "jt", null)) {
        while (rs.next()) {
          out.add("column " + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE"));
        }
      }
      c.createStatement().execute("DROP TABLE jt");
    }
    return out;
  }
}
