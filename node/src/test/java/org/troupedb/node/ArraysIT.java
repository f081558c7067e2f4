package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-dimensional arrays next to a real PostgreSQL 15 (issue 14): the psql script {@code
 * compat/arrays.sql} (errors included) and pgjdbc's {@code createArrayOf}/{@code setArray}/{@code
 * getArray} in text and in binary transfer, compared transcript for transcript.
 */
class ArraysIT {
  @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();

  @Test
  void arraysScriptMatchesPostgres() throws Exception {
    CompatScript.assertOnlyKnownDiff(servers.postgresPsql(), servers.troupePsql(), "arrays");
  }

  /**
   * setArray of createArrayOf values on INSERT and as {@code = ANY(?)}, getArray().getArray() as
   * Integer[] / String[] / Long[]: the text protocol (prepareThreshold 0) and binary transfer
   * (prepareThreshold -1 with the array types enabled for binary) give PostgreSQL's transcript.
   */
  @Test
  void pgjdbcArraysAsOnPostgres() throws Exception {
    for (String options : List.of("prepareThreshold=0", "prepareThreshold=-1&binaryTransferEnable=INT4_ARRAY,TEXT_ARRAY,INT8_ARRAY")) {
      String troupeUrl = servers.troupeJdbcUrl(options);
      String pgUrl = servers.postgresJdbcUrl(options);
      List<String> troupe = transcript(troupeUrl);
      assertThat(troupe).containsExactlyElementsOf(transcript(pgUrl));
      assertThat(troupe).contains("i Integer[] [1, null, 3]", "t String[] [a, b c, null, , NULL, q\"x]",
          "any 1", "any 3", "agg Integer[] [1, 2, 3] true", "type _int4 _text _int8");
    }
  }

  private static List<String> transcript(String url) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("DROP TABLE IF EXISTS ja");
      c.createStatement().execute("CREATE TABLE ja (id int PRIMARY KEY, i int4[], t text[], b int8[])");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ja VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= 3; id++) {
          ps.setInt(1, id);
          ps.setArray(2, c.createArrayOf("int4", new Integer[] {id, null, 3}));
          ps.setArray(3, c.createArrayOf("text", new String[] {"a", "b c", null, "", "NULL", "q\"x"}));
          ps.setArray(4, c.createArrayOf("int8", new Long[] {10_000_000_000L * id}));
          ps.executeUpdate();
        }
      }
      for (int round = 0; round < 3; round++) { // past pgjdbc's prepare threshold
        try (PreparedStatement ps = c.prepareStatement("SELECT id, i, t, b FROM ja WHERE id = ANY(?) ORDER BY id")) {
          ps.setArray(1, c.createArrayOf("int4", new Integer[] {1, 3, 7}));
          try (ResultSet rs = ps.executeQuery()) {
            out.add("type " + rs.getMetaData().getColumnTypeName(2) + " " + rs.getMetaData().getColumnTypeName(3)
                + " " + rs.getMetaData().getColumnTypeName(4));
            while (rs.next()) {
              out.add("any " + rs.getInt(1));
              out.add("i " + array(rs.getArray(2)));
              out.add("t " + array(rs.getArray(3)));
              out.add("b " + array(rs.getArray(4)));
              out.add("text " + rs.getString(3));
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT array_agg(id ORDER BY id), ? = ANY(array_agg(id)) FROM ja")) {
        ps.setInt(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.add("agg " + array(rs.getArray(1)) + " " + rs.getBoolean(2));
        }
      }
      c.createStatement().execute("DROP TABLE ja");
    }
    return out;
  }

  private static String array(Array a) throws SQLException {
    Object values = a.getArray();
    return values.getClass().getComponentType().getSimpleName() + "[] " + Arrays.toString((Object[]) values);
  }
}
