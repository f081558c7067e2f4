package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.node.TlsTestNode.psql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.node.TlsTestNode.PsqlResult;
import org.troupedb.testkit.LocalPostgres;

/**
 * Users, passwords and privileges end to end on a node with the default policy (root trusted from
 * loopback, everyone else by SCRAM-SHA-256), through pgjdbc and psql: logins that work and fail
 * with PostgreSQL's SQLSTATEs, GRANT / REVOKE and the 42501 they drive, SCRAM over TLS, and role
 * DDL errors compared with a real PostgreSQL.
 */
class AuthIT {
  @TempDir static Path tmp;
  private static TlsTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TlsTestNode.start(tmp, false);
    try (Connection c = root(); Statement s = c.createStatement()) {
      s.execute("CREATE USER alice WITH PASSWORD 'alice-pw'");
      s.execute("CREATE USER nopass");
      s.execute("CREATE ROLE locked WITH PASSWORD 'locked-pw'");
      s.execute("CREATE TABLE secrets (id INT PRIMARY KEY, v TEXT)");
      s.execute("INSERT INTO secrets VALUES (1, 'hidden')");
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static String url(String extra) {
    return "jdbc:postgresql://127.0.0.1:" + node.port() + "/defaultdb?sslmode=disable" + extra;
  }

  private static Connection root() throws SQLException {
    return DriverManager.getConnection(url("&user=root"));
  }

  private static Connection login(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url(""), p);
  }

  private static String loginError(String user, String password) {
    try (Connection c = login(user, password)) {
      return "connected";
    } catch (SQLException e) {
      return e.getSQLState() + " " + e.getMessage();
    }
  }

  private static String run(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          return rs.next() ? String.valueOf(rs.getObject(1)) : "no rows";
        }
      }
      return "ok";
    } catch (SQLException e) {
      return e.getSQLState() + " " + e.getMessage();
    }
  }

  @Test
  void passwordUserConnectsWithScramAndSeesItself() throws Exception {
    try (Connection c = login("alice", "alice-pw")) {
      assertThat(run(c, "SELECT current_user")).isEqualTo("alice");
      assertThat(run(c, "SELECT session_user")).isEqualTo("alice");
      assertThat(run(c, "SHOW is_superuser")).isEqualTo("off");
    }
  }

  @Test
  void failedLoginsGetPostgresSqlStates() {
    assertThat(loginError("alice", "wrong")).startsWith("28P01")
        .contains("password authentication failed for user \"alice\"");
    assertThat(loginError("ghost", "whatever")).startsWith("28P01")
        .contains("password authentication failed for user \"ghost\"");
    assertThat(loginError("nopass", "anything")).startsWith("28P01");
    assertThat(loginError("locked", "locked-pw")).startsWith("28000")
        .contains("role \"locked\" is not permitted to log in");
  }

  @Test
  void rootIsStillTrustedFromLoopback() throws Exception {
    try (Connection c = root()) {
      assertThat(run(c, "SELECT current_user")).isEqualTo("root");
      assertThat(run(c, "SHOW is_superuser")).isEqualTo("on");
    }
  }

  @Test
  void grantAndRevokeDecideWhoReads() throws Exception {
    try (Connection alice = login("alice", "alice-pw"); Connection root = root()) {
      assertThat(run(alice, "SELECT v FROM secrets WHERE id = 1"))
          .isEqualTo("42501 ERROR: permission denied for table secrets");
      assertThat(run(root, "GRANT SELECT ON secrets TO alice")).isEqualTo("ok");
      assertThat(run(alice, "SELECT v FROM secrets WHERE id = 1")).isEqualTo("hidden");
      assertThat(run(root, "SELECT has_table_privilege('alice', 'secrets', 'SELECT')")).isEqualTo("true");
      assertThat(run(alice, "INSERT INTO secrets VALUES (2, 'x')")).startsWith("42501");
      assertThat(run(root, "REVOKE SELECT ON secrets FROM alice")).isEqualTo("ok");
      assertThat(run(alice, "SELECT v FROM secrets WHERE id = 1")).startsWith("42501");
      assertThat(run(root, "SELECT has_table_privilege('alice', 'secrets', 'SELECT')")).isEqualTo("false");
    }
  }

  @Test
  void passwordChangeTakesEffectForTheNextLogin() throws Exception {
    try (Connection root = root()) {
      run(root, "CREATE USER carol PASSWORD 'one'");
      assertThat(loginError("carol", "one")).isEqualTo("connected");
      assertThat(run(root, "ALTER USER carol WITH PASSWORD 'two'")).isEqualTo("ok");
      assertThat(loginError("carol", "one")).startsWith("28P01");
      assertThat(loginError("carol", "two")).isEqualTo("connected");
      assertThat(run(root, "SELECT rolpassword FROM pg_authid WHERE rolname = 'carol'")).startsWith("SCRAM-SHA-256$4096:");
      assertThat(run(root, "SELECT passwd FROM pg_user WHERE usename = 'carol'")).isEqualTo("********");
    }
  }

  @Test
  void psqlWithPgpassword() throws Exception {
    int port = node.port();
    PsqlResult ok = psql("host=127.0.0.1 port=" + port + " user=alice dbname=defaultdb sslmode=disable", "alice-pw",
        "SELECT current_user");
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output().trim()).isEqualTo("alice");
    PsqlResult wrong = psql("host=127.0.0.1 port=" + port + " user=alice dbname=defaultdb sslmode=disable", "nope",
        "SELECT 1");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.output()).contains("password authentication failed for user \"alice\"");
    PsqlResult denied = psql("host=127.0.0.1 port=" + port + " user=alice dbname=defaultdb sslmode=disable", "alice-pw",
        "SELECT * FROM secrets");
    assertThat(denied.output()).contains("permission denied for table secrets");
    PsqlResult du = psql("host=127.0.0.1 port=" + port + " user=root dbname=defaultdb sslmode=disable", null, "\\du");
    assertThat(du.exit()).as(du.output()).isZero();
    assertThat(du.output()).contains("alice").contains("locked").contains("root");
  }

  @Test
  void scramOverTls() throws Exception {
    PsqlResult r = psql("host=127.0.0.1 port=" + node.port() + " user=alice dbname=defaultdb"
        + " sslmode=verify-full sslrootcert=" + node.caCert(), "alice-pw",
        "SELECT current_user");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output().trim()).isEqualTo("alice");
    String tls = url("&user=alice&password=alice-pw").replace("sslmode=disable",
        "ssl=true&sslmode=verify-full&sslrootcert=" + node.caCert());
    try (Connection c = DriverManager.getConnection(tls)) {
      assertThat(run(c, "SELECT current_user")).isEqualTo("alice");
    }
  }

  @Test
  void connectPrivilegeIsCheckedAtStartup() throws Exception {
    try (Connection root = root()) {
      run(root, "CREATE DATABASE guarded");
      run(root, "CREATE USER dave PASSWORD 'dave-pw'");
      run(root, "REVOKE CONNECT ON DATABASE guarded FROM PUBLIC");
    }
    String guarded = url("").replace("/defaultdb?", "/guarded?");
    assertThatThrownBy(() -> DriverManager.getConnection(guarded + "&user=dave&password=dave-pw").close())
        .isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("42501");
          assertThat(e.getMessage()).contains("permission denied for database \"guarded\"");
        });
    try (Connection root = root()) {
      run(root, "GRANT CONNECT ON DATABASE guarded TO dave");
    }
    DriverManager.getConnection(guarded + "&user=dave&password=dave-pw").close();
  }

  /** The same role statements on PostgreSQL 15 and on TroupeDB: the same SQLSTATE and message. */
  @Test
  void roleDdlErrorsMatchPostgres() throws Exception {
    List<String> script = List.of(
        "CREATE ROLE pgcmp_a LOGIN PASSWORD 'x'",
        "CREATE ROLE pgcmp_a",
        "CREATE USER pgcmp_b WITH NOLOGIN CREATEDB",
        "ALTER ROLE pgcmp_missing LOGIN",
        "DROP ROLE pgcmp_missing",
        "DROP ROLE IF EXISTS pgcmp_missing",
        "CREATE ROLE public",
        "CREATE ROLE pgcmp_c LOGIN NOLOGIN",
        "CREATE TABLE pgcmp_t (id INT PRIMARY KEY)",
        "GRANT SELECT ON pgcmp_t TO pgcmp_missing",
        "GRANT SELECT ON pgcmp_nosuch TO pgcmp_a",
        "GRANT SELECT, INSERT ON pgcmp_t TO pgcmp_a",
        "DROP ROLE pgcmp_a",
        "REVOKE ALL ON pgcmp_t FROM pgcmp_a",
        "DROP ROLE pgcmp_a, pgcmp_b",
        "DROP TABLE pgcmp_t");
    Map<String, String> postgres;
    try (LocalPostgres pg = LocalPostgres.start(); Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      postgres = outcomes(c, script);
    }
    Map<String, String> troupe;
    try (Connection c = root()) {
      troupe = outcomes(c, script);
    }
    assertThat(troupe).isEqualTo(postgres);
  }

  private static Map<String, String> outcomes(Connection c, List<String> script) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String sql : script) {
      String r = run(c, sql);
      out.put(sql, r.startsWith("ok") ? "ok" : r.replaceFirst("\\n.*", ""));
    }
    return out;
  }
}
