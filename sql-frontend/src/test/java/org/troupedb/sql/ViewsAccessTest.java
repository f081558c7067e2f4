package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.SessionRunner.rows;
import static org.troupedb.sql.SessionRunner.run;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Views and the two things that outlive one statement: cached plans (a view over catalog
 * relations only must not be served from the catalog plan cache after DROP or OR REPLACE) and
 * privileges (creating needs CREATE on the schema, reading needs SELECT on what the view reads).
 */
class ViewsAccessTest {
  private SqlEngine engine;
  private SqlSession root;

  @BeforeEach
  void setUp() throws Exception {
    engine = TroupeSqlEngine.create(new InMemoryTxnService());
    root = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(root, "CREATE TABLE t (id int PRIMARY KEY, secret text)");
    run(root, "INSERT INTO t VALUES (1, 'x')");
  }

  private static String state(SqlSession s, String sql) {
    try {
      run(s, sql);
      return "ok";
    } catch (SqlException e) {
      return e.sqlState();
    }
  }

  @Test
  void viewsOverCatalogRelationsAreNotServedFromStalePlans() throws Exception {
    run(root, "CREATE VIEW rels AS SELECT relname FROM pg_catalog.pg_class WHERE relname = 't'");
    for (int i = 0; i < 3; i++) {
      assertThat(rows(root, "SELECT * FROM rels")).containsExactly(List.of("t"));
    }
    run(root, "CREATE OR REPLACE VIEW rels AS SELECT relname FROM pg_catalog.pg_class WHERE relname = 'rels'");
    assertThat(rows(root, "SELECT * FROM rels")).containsExactly(List.of("rels"));
    run(root, "DROP VIEW rels");
    assertThat(state(root, "SELECT * FROM rels")).isEqualTo("42P01");
  }

  @Test
  void privilegesApplyToViews() throws Exception {
    run(root, "CREATE USER alice");
    SqlSession alice = engine.openSession(new SessionParams("alice", "defaultdb", Map.of()));
    // CREATE VIEW and CREATE TABLE AS need what CREATE TABLE needs.
    String createTable = state(alice, "CREATE TABLE mine (id int)");
    assertThat(createTable).isEqualTo("42501");
    assertThat(state(alice, "CREATE VIEW mine AS SELECT 1 AS one")).isEqualTo(createTable);
    assertThat(state(alice, "CREATE TABLE mine AS SELECT 1 AS one")).isEqualTo(createTable);
    run(root, "CREATE VIEW v AS SELECT id, secret FROM t");
    assertThat(state(alice, "SELECT * FROM v")).isEqualTo("42501");
    run(root, "GRANT SELECT ON t TO alice");
    assertThat(rows(alice, "SELECT * FROM v")).containsExactly(List.of(1, "x"));
    assertThat(state(alice, "DROP VIEW v")).isEqualTo("42501");
  }
}
