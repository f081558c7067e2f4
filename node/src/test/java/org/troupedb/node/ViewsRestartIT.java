package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a view is a catalog descriptor like a table's, so it survives a node restart — its
 * query, its columns and its dependencies (DROP TABLE still refuses, 2BP01) — and pgjdbc's
 * DatabaseMetaData lists it as a VIEW with its columns.
 */
class ViewsRestartIT {

  @TempDir Path tmp;

  private static String url(TroupeNode node) {
    return "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root";
  }

  private static List<String> rows(Statement s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void viewsSurviveARestart() throws Exception {
    Path store = tmp.resolve("store");
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, store));
         Connection c = DriverManager.getConnection(url(node));
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id int PRIMARY KEY, price int, name text)");
      s.execute("INSERT INTO items VALUES (1, 5, 'pen'), (2, 50, 'lamp'), (3, 500, 'desk')");
      s.execute("CREATE VIEW dear (item, cost) AS SELECT name, price FROM items WHERE price > 10");
      s.execute("CREATE VIEW dearest AS SELECT item, cost FROM dear ORDER BY cost DESC LIMIT 1");
      assertThat(rows(s, "SELECT * FROM dearest")).containsExactly("desk|500");
    }
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, store));
         Connection c = DriverManager.getConnection(url(node));
         Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT item, cost FROM dear ORDER BY cost")).containsExactly("lamp|50", "desk|500");
      assertThat(rows(s, "SELECT * FROM dearest")).containsExactly("desk|500");
      assertThat(rows(s, "SELECT viewname, schemaname FROM pg_views ORDER BY viewname"))
          .containsExactly("dear|public", "dearest|public");
      List<String> jdbcViews = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"VIEW"})) {
        while (rs.next()) {
          jdbcViews.add(rs.getString("TABLE_NAME") + "|" + rs.getString("TABLE_TYPE"));
        }
      }
      assertThat(jdbcViews).containsExactly("dear|VIEW", "dearest|VIEW"); // pgjdbc reads pg_class.relkind
      List<String> jdbcColumns = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getColumns(null, "public", "dear", "%")) {
        while (rs.next()) {
          jdbcColumns.add(rs.getString("COLUMN_NAME") + "|" + rs.getString("TYPE_NAME"));
        }
      }
      assertThat(jdbcColumns).containsExactly("item|text", "cost|int4");
      try {
        s.execute("DROP TABLE items");
        throw new AssertionError("DROP TABLE of a table a view reads succeeded");
      } catch (java.sql.SQLException e) {
        assertThat(e.getSQLState()).isEqualTo("2BP01");
      }
      s.execute("DROP TABLE items CASCADE");
      assertThat(rows(s, "SELECT viewname, schemaname FROM pg_views")).isEmpty();
    }
  }
}
