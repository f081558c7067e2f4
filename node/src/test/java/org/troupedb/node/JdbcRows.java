package org.troupedb.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a query's rows as strings, the columns of a row joined with ':'. */
final class JdbcRows {
  private JdbcRows() {}

  static List<String> rows(Statement s, String sql) throws SQLException {
    return rows(s, sql, ":");
  }

  /** Each row of {@code sql}'s result as its columns' text joined by {@code separator}. */
  static List<String> rows(Statement s, String sql, String separator) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? separator : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }
}
