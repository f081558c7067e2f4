package org.troupedb.sql.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * The plan cache's key is (catalog snapshot, database, plan kind, normalised text, declared
 * parameter types): the plans one statement text needs (an UPDATE's rows, its RETURNING) never
 * share an entry, one key plans once, a new catalog snapshot plans again, texts differing only in
 * whitespace and comments share a plan, and declared types that type a parameter get their own.
 */
class PlanCacheKeyTest {
  private Engine engine;
  private SqlSession session;

  @BeforeEach
  void setUp() throws Exception {
    engine = new Engine(new InMemoryTxnService());
    session = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    SessionRunner.run(session, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  }

  private QueryPlanner.Plan plan(PlanKind kind, String text, String query) throws Exception {
    Catalog cat = engine.catalog.latest();
    return engine.planner().planCached(cat, cat.database("defaultdb").id(), kind, text,
        () -> QueryPlanner.parse(query));
  }

  @Test
  void oneTextHasOnePlanPerKind() throws Exception {
    String text = "UPDATE t SET v = 1";
    QueryPlanner.Plan rows = plan(PlanKind.UPDATE_ROWS, text, "SELECT id, v FROM t");
    QueryPlanner.Plan returning = plan(PlanKind.RETURNING, text, "SELECT 1 AS one");
    assertThat(returning).isNotSameAs(rows);
    assertThat(returning.rowType().getFieldNames()).containsExactly("one");
    assertThat(rows.rowType().getFieldCount()).isEqualTo(2);
    long built = engine.planner().plansBuilt();
    assertThat(plan(PlanKind.UPDATE_ROWS, text, "SELECT id, v FROM t")).isSameAs(rows);
    assertThat(plan(PlanKind.RETURNING, text, "SELECT 1 AS one")).isSameAs(returning);
    assertThat(engine.planner().plansBuilt()).as("cache hits plan nothing").isEqualTo(built);
  }

  @Test
  void textsDifferingOnlyInWhitespaceAndCommentsShareOnePlan() throws Exception {
    SessionRunner.run(session, "SELECT v FROM t WHERE v > 1");
    long built = engine.planner().plansBuilt();
    SessionRunner.run(session, "SELECT  v\n  FROM t -- the same query\n WHERE v > 1 /* again */");
    assertThat(engine.planner().plansBuilt()).as("plans built for the re-spaced text").isEqualTo(built);
    SessionRunner.run(session, "SELECT v FROM t WHERE v > 2");
    assertThat(engine.planner().plansBuilt()).as("another literal is another text").isEqualTo(built + 1);
  }

  @Test
  void twoDeclaredParameterTypesGetTwoPlans() throws Exception {
    String sql = "SELECT $1 AS x FROM t";
    SessionRunner.run(session, "INSERT INTO t VALUES (1, 2)");
    int cached = engine.planner().cachedPlans();
    Prepared asInt4 = session.prepare(session.parse(sql).get(0), List.of(PgType.INT4));
    Prepared asInt8 = session.prepare(session.parse(sql).get(0), List.of(PgType.INT8));
    assertThat(engine.planner().cachedPlans()).as("plans cached for the two declarations").isEqualTo(cached + 2);
    // As in PostgreSQL, a parameter nothing else types has the type its client declared.
    assertThat(asInt4.columns().get(0).type()).isEqualTo(PgType.INT4);
    assertThat(asInt8.columns().get(0).type()).isEqualTo(PgType.INT8);
    assertThat(session.execute(asInt8, List.of(5L)).rows().next()).containsExactly(5L);
  }

  @Test
  void textLikeDeclaredTypesShareTheUndeclaredPlan() throws Exception {
    String sql = "SELECT $1 AS x FROM t WHERE v > 1";
    Prepared none = session.prepare(session.parse(sql).get(0), List.of());
    long built = engine.planner().plansBuilt();
    int cached = engine.planner().cachedPlans();
    Prepared varchar = session.prepare(session.parse(sql).get(0), List.of(PgType.VARCHAR));
    assertThat(engine.planner().plansBuilt()).isEqualTo(built);
    assertThat(engine.planner().cachedPlans()).isEqualTo(cached);
    assertThat(none.columns().get(0).type()).isEqualTo(PgType.TEXT);
    assertThat(varchar.columns().get(0).type()).isEqualTo(PgType.TEXT);
  }

  @Test
  void aNewCatalogSnapshotPlansAgain() throws Exception {
    QueryPlanner.Plan before = plan(PlanKind.DELETE_ROWS, "DELETE FROM t", "SELECT id, v FROM t");
    SessionRunner.run(session, "CREATE TABLE u (id INT PRIMARY KEY)");
    long built = engine.planner().plansBuilt();
    QueryPlanner.Plan after = plan(PlanKind.DELETE_ROWS, "DELETE FROM t", "SELECT id, v FROM t");
    assertThat(after).isNotSameAs(before);
    assertThat(engine.planner().plansBuilt()).isEqualTo(built + 1);
  }
}
