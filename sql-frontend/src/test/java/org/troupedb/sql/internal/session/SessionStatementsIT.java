package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.StatementResult;
import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.testkit.LocalPostgres;

/**
 * Session statements (SET / SHOW / RESET, transaction control, savepoints, read-only blocks,
 * VACUUM, qualified DDL names, syntax errors) give what PostgreSQL gives: the script
 * {@code compat/session-statements.sql} runs line by line against a real PostgreSQL (pgjdbc) and
 * a TroupeDB session, and each line's outcome (OK, its rows, or its SQLSTATE) must match.
 */
class SessionStatementsIT {

  @Test
  void sessionStatementsMatchPostgres() throws Exception {
    List<String> script = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("src/test/resources/compat/session-statements.sql"))) {
      if (!line.isBlank() && !line.startsWith("--")) {
        script.add(line);
      }
    }
    List<String> postgres = new ArrayList<>();
    try (LocalPostgres pg = LocalPostgres.start()) {
      Properties props = new Properties();
      props.setProperty("user", pg.user());
      props.setProperty("preferQueryMode", "simple"); // the statement as written, like psql
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), props)) {
        for (String sql : script) {
          postgres.add(sql + "  =>  " + outcome(c, sql));
        }
      }
    }
    List<String> troupe = new ArrayList<>();
    try (SqlSession s = new Engine(new InMemoryTxnService())
        .openSession(new SessionParams("root", "defaultdb", Map.of()))) {
      for (String sql : script) {
        troupe.add(sql + "  =>  " + outcome(s, sql));
      }
    }
    assertThat(String.join("\n", troupe)).isEqualTo(String.join("\n", postgres));
  }

  private static String outcome(Connection c, String sql) {
    try (java.sql.Statement st = c.createStatement()) {
      if (!st.execute(sql)) {
        return "OK";
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = st.getResultSet()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getString(i));
          }
          rows.add(String.join("|", row));
        }
      }
      return String.join(", ", rows);
    } catch (SQLException e) {
      return "ERROR " + e.getSQLState();
    }
  }

  /** A value as PostgreSQL's text output shows it (for the types the script selects). */
  private static String text(Object v) {
    if (v instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (v instanceof java.time.LocalDateTime t) {
      return t.toLocalDate() + " " + t.toLocalTime().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
    }
    return String.valueOf(v);
  }

  private static String outcome(SqlSession s, String sql) {
    try {
      StatementResult r = SessionRunner.run(s, sql);
      if (r == null || r.columns().isEmpty()) {
        return "OK";
      }
      List<String> rows = new ArrayList<>();
      for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
        List<String> row = new ArrayList<>();
        for (Object v : it.next()) {
          row.add(text(v));
        }
        rows.add(String.join("|", row));
      }
      return String.join(", ", rows);
    } catch (SqlException e) {
      return "ERROR " + e.sqlState() + (e.sqlState().equals("XX000") ? " " + e.getMessage() : "");
    }
  }
}
