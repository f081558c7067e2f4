package org.troupedb.sql.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * The plan cache's key is (catalog snapshot, database, plan kind, text): the plans one statement
 * text needs (an UPDATE's rows, its RETURNING) never share an entry, one key plans once, and a new
 * catalog snapshot plans again.
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
  void aNewCatalogSnapshotPlansAgain() throws Exception {
    QueryPlanner.Plan before = plan(PlanKind.DELETE_ROWS, "DELETE FROM t", "SELECT id, v FROM t");
    SessionRunner.run(session, "CREATE TABLE u (id INT PRIMARY KEY)");
    long built = engine.planner().plansBuilt();
    QueryPlanner.Plan after = plan(PlanKind.DELETE_ROWS, "DELETE FROM t", "SELECT id, v FROM t");
    assertThat(after).isNotSameAs(before);
    assertThat(engine.planner().plansBuilt()).isEqualTo(built + 1);
  }
}
