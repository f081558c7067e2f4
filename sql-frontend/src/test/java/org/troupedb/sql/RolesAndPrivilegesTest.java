package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.sql.SessionRunner.rows;
import static org.troupedb.sql.SessionRunner.run;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** Roles, passwords, GRANT / REVOKE and the checks they drive, through the SqlSession API. */
class RolesAndPrivilegesTest {
  private SqlEngine engine;
  private SqlSession root;

  @BeforeEach
  void setUp() throws Exception {
    engine = TroupeSqlEngine.create(new InMemoryTxnService());
    root = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  private static String state(SqlSession s, String sql) {
    try {
      run(s, sql);
      return "ok";
    } catch (SqlException e) {
      return e.sqlState() + " " + e.getMessage();
    }
  }

  private SqlSession as(String user) throws SqlException {
    return engine.openSession(new SessionParams(user, "defaultdb", Map.of()));
  }

  @Test
  void createAlterDropRoleWithPostgresErrors() throws Exception {
    assertThat(run(root, "CREATE USER alice WITH PASSWORD 'secret'").commandTag()).isEqualTo("CREATE ROLE");
    assertThat(state(root, "CREATE ROLE alice")).isEqualTo("42710 role \"alice\" already exists");
    assertThat(state(root, "ALTER ROLE nobody LOGIN")).isEqualTo("42704 role \"nobody\" does not exist");
    assertThat(state(root, "DROP ROLE nobody")).isEqualTo("42704 role \"nobody\" does not exist");
    assertThat(state(root, "DROP ROLE IF EXISTS nobody")).isEqualTo("ok");
    assertThat(state(root, "CREATE ROLE public")).startsWith("42939");
    assertThat(state(root, "CREATE ROLE x LOGIN NOLOGIN")).startsWith("42601 conflicting or redundant options");
    run(root, "CREATE ROLE reader NOLOGIN; CREATE ROLE admin WITH SUPERUSER CREATEDB CREATEROLE LOGIN");
    assertThat(rows(root, "SELECT rolname, rolsuper, rolcanlogin, rolcreatedb, rolcreaterole FROM pg_roles ORDER BY rolname"))
        .containsExactly(List.of("admin", true, true, true, true), List.of("alice", false, true, false, false),
            List.of("reader", false, false, false, false), List.of("root", true, true, true, true));
    run(root, "ALTER USER reader WITH LOGIN PASSWORD 'pw'");
    assertThat(rows(root, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'reader'")).containsExactly(List.of(true));
    run(root, "DROP USER reader, admin");
    assertThat(rows(root, "SELECT count(*) FROM pg_roles")).containsExactly(List.of(2L));
    assertThat(state(root, "DROP ROLE root")).startsWith("55006"); // root is the current user
  }

  @Test
  void passwordsAreStoredAsScramVerifiers() throws Exception {
    run(root, "CREATE USER alice PASSWORD 'secret'");
    String stored = (String) rows(root, "SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'").get(0).get(0);
    ScramSha256.Verifier v = ScramSha256.parse(stored);
    assertThat(v).isNotNull();
    assertThat(v.iterations()).isEqualTo(4096);
    assertThat(v.toString()).isEqualTo(ScramSha256.verifier("secret", v.salt(), 4096).toString());
    assertThat(rows(root, "SELECT rolpassword FROM pg_roles WHERE rolname = 'alice'")).containsExactly(List.of("********"));
    assertThat(engine.lookupRole("alice").orElseThrow().verifier().toString()).isEqualTo(stored);
    // A verifier given as the password is stored as it is; NULL clears the password.
    String given = ScramSha256.verifier("other", new byte[16], 4096).toString();
    run(root, "ALTER ROLE alice PASSWORD '" + given + "'");
    assertThat(engine.lookupRole("alice").orElseThrow().verifier().toString()).isEqualTo(given);
    run(root, "ALTER ROLE alice PASSWORD NULL");
    assertThat(engine.lookupRole("alice").orElseThrow().verifier()).isNull();
    assertThat(engine.lookupRole("root").orElseThrow().superuser()).isTrue();
    assertThat(engine.lookupRole("nobody")).isEmpty();
  }

  @Test
  void sessionsRunAsTheirRole() throws Exception {
    run(root, "CREATE USER alice; CREATE ROLE nologin");
    SqlSession alice = as("alice");
    assertThat(rows(alice, "SELECT current_user, session_user")).containsExactly(List.of("alice", "alice"));
    assertThat(rows(alice, "SHOW session_authorization")).containsExactly(List.of("alice"));
    assertThat(rows(alice, "SHOW is_superuser")).containsExactly(List.of("off"));
    assertThat(state(alice, "CREATE ROLE bob")).isEqualTo("42501 permission denied to create role");
    // The role is the authenticated one: it cannot be SET, RESET or given as a startup option.
    assertThat(state(alice, "SET session_authorization = 'root'")).startsWith("55P02");
    run(alice, "RESET ALL");
    assertThat(rows(alice, "SELECT current_user")).containsExactly(List.of("alice"));
    SqlSession sneaky = engine.openSession(new SessionParams("alice", "defaultdb", Map.of("session_authorization", "root")));
    assertThat(rows(sneaky, "SELECT current_user")).containsExactly(List.of("alice"));
    assertThat(state(alice, "SELECT rolpassword FROM pg_authid")).isEqualTo("42501 permission denied for table pg_authid");
    assertThat(rows(alice, "SELECT count(*) FROM pg_roles WHERE rolpassword = '********'")).containsExactly(List.of(3L));
    assertThatThrownBy(() -> as("nologin")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState() + " " + e.getMessage()).isEqualTo("28000 role \"nologin\" is not permitted to log in"));
    assertThatThrownBy(() -> as("ghost")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("28000"));
  }

  @Test
  void grantAndRevokeOnTables() throws Exception {
    run(root, "CREATE USER alice; CREATE TABLE t (id INT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a')");
    SqlSession alice = as("alice");
    String denied = "42501 permission denied for table t";
    assertThat(state(alice, "SELECT * FROM t")).isEqualTo(denied);
    assertThat(state(alice, "SELECT v FROM t WHERE id = 1")).isEqualTo(denied); // point get
    assertThat(state(alice, "INSERT INTO t VALUES (2, 'b')")).isEqualTo(denied);
    assertThat(state(alice, "TRUNCATE t")).isEqualTo(denied);
    assertThat(state(alice, "COPY t TO STDOUT")).isEqualTo(denied);
    run(root, "GRANT SELECT, INSERT ON TABLE t TO alice");
    assertThat(rows(alice, "SELECT v FROM t WHERE id = 1")).containsExactly(List.of("a"));
    assertThat(state(alice, "INSERT INTO t VALUES (2, 'b')")).isEqualTo("ok");
    assertThat(state(alice, "UPDATE t SET v = 'x' WHERE id = 2")).isEqualTo(denied);
    assertThat(state(alice, "DELETE FROM t")).isEqualTo(denied);
    assertThat(rows(alice, "SELECT has_table_privilege('t', 'select'), has_table_privilege('t', 'UPDATE')"))
        .containsExactly(List.of(true, false));
    assertThat(rows(root, "SELECT has_table_privilege('alice', 't', 'INSERT'), has_database_privilege('alice',"
        + " 'defaultdb', 'CONNECT'), has_schema_privilege('alice', 'public', 'CREATE')"))
        .containsExactly(List.of(true, true, false));
    run(root, "REVOKE SELECT ON t FROM alice");
    // The same (cached) plan is checked again on each execution.
    assertThat(state(alice, "SELECT v FROM t WHERE id = 1")).isEqualTo(denied);
    assertThat(rows(root, "SELECT v FROM t WHERE id = 1")).containsExactly(List.of("a"));
    run(root, "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC");
    assertThat(state(alice, "DELETE FROM t WHERE id = 2")).isEqualTo("ok");
    assertThat(state(alice, "DROP TABLE t")).isEqualTo("42501 must be owner of table t");
    assertThat(state(root, "GRANT USAGE ON t TO alice")).startsWith("0LP01");
    assertThat(state(root, "GRANT SELECT ON t TO alice WITH GRANT OPTION")).startsWith("0A000");
    assertThat(state(root, "GRANT SELECT ON nosuch TO alice")).startsWith("42P01");
    assertThat(state(root, "GRANT SELECT ON t TO ghost")).isEqualTo("42704 role \"ghost\" does not exist");
    assertThat(state(root, "DROP ROLE alice")).startsWith("2BP01");
  }

  @Test
  void createTableNeedsCreateOnSchemaPublicAndCreatorOwnsIt() throws Exception {
    run(root, "CREATE USER alice; CREATE USER bob");
    SqlSession alice = as("alice");
    assertThat(state(alice, "CREATE TABLE mine (id INT PRIMARY KEY)")).isEqualTo("42501 permission denied for schema public");
    run(root, "GRANT CREATE ON SCHEMA public TO alice");
    assertThat(state(alice, "CREATE TABLE mine (id INT PRIMARY KEY)")).isEqualTo("ok");
    assertThat(state(alice, "INSERT INTO mine VALUES (1)")).isEqualTo("ok");
    SqlSession bob = as("bob");
    assertThat(state(bob, "SELECT * FROM mine")).isEqualTo("42501 permission denied for table mine");
    assertThat(state(alice, "GRANT SELECT ON mine TO bob")).isEqualTo("ok");
    assertThat(rows(bob, "SELECT id FROM mine")).containsExactly(List.of(1));
    assertThat(state(bob, "GRANT SELECT ON mine TO bob")).startsWith("42501");
    assertThat(state(alice, "DROP TABLE mine")).isEqualTo("ok");
  }

  @Test
  void connectPrivilege() throws Exception {
    run(root, "CREATE USER alice; CREATE DATABASE shop");
    assertThat(as("alice")).isNotNull();
    run(root, "REVOKE CONNECT ON DATABASE defaultdb FROM PUBLIC");
    assertThatThrownBy(() -> as("alice")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState() + " " + e.getMessage()).isEqualTo("42501 permission denied for database \"defaultdb\""));
    run(root, "GRANT CONNECT ON DATABASE defaultdb TO alice");
    assertThat(as("alice")).isNotNull();
  }
}
