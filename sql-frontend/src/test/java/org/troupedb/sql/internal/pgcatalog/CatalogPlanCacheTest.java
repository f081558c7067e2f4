package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * A query over catalog relations only is planned once and keeps answering from the current
 * catalog after DDL; a query that reads a user table is planned again after DDL.
 */
class CatalogPlanCacheTest {
  private static final String TABLES = "SELECT c.relname FROM pg_catalog.pg_class c"
      + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1";

  private Engine engine;
  private CatalogSession session;

  @BeforeEach
  void setUp() throws Exception {
    engine = new Engine(new InMemoryTxnService());
    session = new CatalogSession(engine);
    session.run("CREATE TABLE a (id INT PRIMARY KEY)");
  }

  @Test
  void catalogQueryPlannedOnceSeesLaterDdl() throws Exception {
    assertThat(session.rows(TABLES)).containsExactly(List.of("a"));
    long plans = engine.planner().plansBuilt();
    session.run("CREATE TABLE b (id INT PRIMARY KEY, v TEXT)");
    assertThat(session.rows(TABLES)).containsExactly(List.of("a"), List.of("b"));
    session.run("DROP TABLE a");
    assertThat(session.rows(TABLES)).containsExactly(List.of("b"));
    assertThat(engine.planner().plansBuilt()).as("plans built after DDL").isEqualTo(plans);
  }

  @Test
  void queryWithoutRelationIsPlannedOnceThroughDdl() throws Exception {
    String none = "SELECT 1 + 2 AS three, current_database() AS db";
    assertThat(session.rows(none)).containsExactly(List.of(3, "defaultdb"));
    long plans = engine.planner().plansBuilt();
    session.run("CREATE TABLE d (id INT PRIMARY KEY)");
    assertThat(session.rows(none)).containsExactly(List.of(3, "defaultdb"));
    assertThat(engine.planner().plansBuilt()).isEqualTo(plans);
  }

  @Test
  void queryReadingUserTableIsPlannedAgainAfterDdl() throws Exception {
    String mixed = "SELECT count(*) FROM a, pg_catalog.pg_namespace";
    session.rows(mixed);
    long plans = engine.planner().plansBuilt();
    session.run("CREATE TABLE c (id INT PRIMARY KEY)");
    session.rows(mixed);
    assertThat(engine.planner().plansBuilt()).isEqualTo(plans + 1);
  }

  @Test
  void expandArrayInSelectListAndFrom() throws Exception {
    session.run("CREATE TABLE k (x INT, y INT, z INT, PRIMARY KEY (z, x))");
    assertThat(session.rows("SELECT * FROM information_schema._pg_expandarray(ARRAY[7, 8, 9])"))
        .containsExactly(List.of(7, 1), List.of(8, 2), List.of(9, 3));
    assertThat(session.rows("SELECT c.relname, (information_schema._pg_expandarray(i.indkey)).n AS n,"
        + " (information_schema._pg_expandarray(i.indkey)).x AS x FROM pg_catalog.pg_index i"
        + " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid WHERE c.relname = 'k' ORDER BY 2"))
        .containsExactly(List.of("k", 1, 3), List.of("k", 2, 1));
    assertThat(session.rows("SELECT i.indkey, i.indkey[0], i.indkey[1] FROM pg_catalog.pg_index i"
        + " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid WHERE c.relname = 'k'").get(0).subList(1, 3))
        .containsExactly((short) 3, (short) 1);
  }
}
