package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Small helpers for prepared statements (pgjdbc caches the server-side statements by text). */
final class Jdbc {

  private Jdbc() {}

  /** Prepares {@code sql} and binds {@code params} with {@code setObject}. */
  static PreparedStatement prepare(Connection conn, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Runs an INSERT/UPDATE/DELETE and returns the row count. */
  static int update(Connection conn, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(conn, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /** A row that should have been there was not: the database is inconsistent. */
  static SQLException missing(String what) {
    return new SQLException("expected row not found: " + what, "02000");
  }
}
