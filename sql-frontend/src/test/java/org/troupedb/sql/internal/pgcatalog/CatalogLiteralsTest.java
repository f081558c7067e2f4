package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * psql's {@code \d TABLE} queries, which carry the table's name and OID in their text, share one
 * plan per shape: a new table is answered without planning, with its own rows.
 */
class CatalogLiteralsTest {
  /**
   * psql 15's {@code \d t1} query number {@code n} (1 finds the table, 3 lists its columns, 5 is
   * the pg_policy footer), as captured in client-catalog-statements.sql, asking about {@code table}
   * and {@code oid} instead.
   */
  private static String describe(int n, String table, Object oid) {
    String label = "psql 15.18 \\d t1 (" + n + "/9)";
    String sql = CatalogWarmer.statements().stream().filter(st -> st.label().equals(label)).findFirst()
        .orElseThrow().sql();
    assertThat(sql).containsAnyOf("'^(t1)$'", "'200000'");
    return sql.replace("'^(t1)$'", "'^(" + table + ")$'").replace("'200000'", "'" + oid + "'");
  }

  @Test
  void describeOfANewTableReusesThePlansOfTheFirst() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogSession s = new CatalogSession(engine);
    s.run("CREATE TABLE t1 (id INT PRIMARY KEY, a TEXT)");
    Object t1 = s.rows(describe(1, "t1", 0)).get(0).get(0);
    assertThat(s.rows(describe(3, "t1", t1))).extracting(r -> r.subList(0, 2))
        .containsExactly(List.of("id", "integer"), List.of("a", "text"));
    s.run("CREATE TABLE t2 (k BIGINT NOT NULL DEFAULT 7, v VARCHAR(5))");
    long plans = engine.planner().plansBuilt();

    List<List<Object>> found = s.rows(describe(1, "t2", 0));
    assertThat(found).extracting(r -> r.get(2)).containsExactly("t2");
    assertThat(found.get(0).get(0)).isNotEqualTo(t1);
    assertThat(s.rows(describe(3, "t2", found.get(0).get(0))))
        .containsExactly(java.util.Arrays.asList("k", "bigint", "7", true, null, "", ""),
            java.util.Arrays.asList("v", "character varying(5)", null, false, null, "", ""));
    assertThat(s.rows(describe(1, "nope", 0))).isEmpty();

    assertThat(engine.planner().plansBuilt()).as("plans built for t2").isEqualTo(plans);
  }

  @Test
  void footerOverAnAlwaysEmptyRelationIsPlannedOnceThroughDdl() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogSession s = new CatalogSession(engine);
    assertThat(s.rows(describe(5, "t1", 200000))).isEmpty();
    long plans = engine.planner().plansBuilt();
    s.run("CREATE TABLE t3 (id INT PRIMARY KEY)");

    assertThat(s.rows(describe(5, "t1", 201000))).isEmpty();
    assertThat(s.run(describe(5, "t1", 201000)).columns()).hasSize(6);

    assertThat(engine.planner().plansBuilt()).isEqualTo(plans);
  }

  @Test
  void aPlanOfOneDatabaseServesAnotherWithItsOwnNameAndRows() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogSession s = new CatalogSession(engine);
    s.run("CREATE TABLE t1 (id INT PRIMARY KEY)");
    String sql = "SELECT current_database() AS cat, pg_catalog.current_database(), c.relname"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 3";
    assertThat(s.rows(sql)).containsExactly(List.of("defaultdb", "defaultdb", "t1"));
    assertThat(s.run(sql).columns()).extracting(org.troupedb.sql.ColumnInfo::name)
        .containsExactly("cat", "current_database", "relname");
    s.run("CREATE DATABASE other");
    long plans = engine.planner().plansBuilt();

    org.troupedb.sql.SqlSession other = engine.openSession(
        new org.troupedb.sql.SessionParams("root", "other", java.util.Map.of()));
    SessionRunner.run(other, "CREATE TABLE t9 (id INT PRIMARY KEY)");
    long afterDdl = engine.planner().plansBuilt();
    List<Object> row = SessionRunner.rows(other, sql).get(0);

    assertThat(row).containsExactly("other", "other", "t9");
    assertThat(engine.planner().plansBuilt()).as("plans built for the other database").isEqualTo(afterDdl);
    assertThat(afterDdl - plans).isLessThanOrEqualTo(1);
    other.close();
  }

  @Test
  void aLiteralThatIsNoValidOidFailsAsInPostgres() throws Exception {
    CatalogSession s = new CatalogSession(new Engine(new InMemoryTxnService()));
    s.rows(describe(3, "t1", "1"));
    assertThatThrownBy(() -> s.rows(describe(3, "t1", "x1")))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
  }

  @Test
  void shapeKeyMasksOnlyTheComparedLiterals() throws Exception {
    String a = "SELECT relname FROM pg_catalog.pg_class WHERE relname = 'a' AND relkind IN ('r', 'v')"
        + " AND 'x' = 'x' AND relname LIKE 'p%'";
    String b = "SELECT relname FROM pg_catalog.pg_class WHERE relname = 'bb' AND relkind IN ('r', 'v')"
        + " AND 'x' = 'x' AND relname LIKE 'q'";
    String c = "SELECT relname FROM pg_catalog.pg_class WHERE relname = 'a' AND relkind IN ('r', 'i')"
        + " AND 'x' = 'x' AND relname LIKE 'p%'";

    CatalogLiterals.Shape sa = CatalogLiterals.parameterize(a, parse(a), "defaultdb");
    CatalogLiterals.Shape sb = CatalogLiterals.parameterize(b, parse(b), "defaultdb");
    CatalogLiterals.Shape sc = CatalogLiterals.parameterize(c, parse(c), "defaultdb");

    assertThat(sa.values()).containsExactly("a", "p%");
    assertThat(sb.values()).containsExactly("bb", "q");
    assertThat(sa.key()).isEqualTo(sb.key()).isNotEqualTo(sc.key());
    String user = "SELECT 1 FROM t WHERE a = 'x'";
    assertThat(CatalogLiterals.parameterize(user, parse(user), "defaultdb")).as("not a catalog query").isNull();
  }

  @Test
  void literalsAreNumberedAfterTheStatementsOwnParameters() throws Exception {
    String sql = "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = $1 AND relname = 'a'";
    CatalogLiterals.Shape shape = CatalogLiterals.parameterize(sql, parse(sql), "defaultdb");
    assertThat(shape.node().toString()).contains("`relnamespace` = $1").contains("`relname` = ?");
    assertThat(CatalogLiterals.parameterCount(shape.node())).isEqualTo(2);
  }

  private static SqlNode parse(String sql) throws Exception {
    return SqlParser.create(sql, org.troupedb.sql.parser.TroupeParser.config()).parseStmt();
  }
}
