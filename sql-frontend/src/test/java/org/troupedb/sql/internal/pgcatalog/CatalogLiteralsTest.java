package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * psql's {@code \d TABLE} queries, which carry the table's name and OID in their text, share one
 * plan per shape: a new table is answered without planning, with its own rows.
 */
class CatalogLiteralsTest {
  /** psql 15's first and third {@code \d TABLE} queries, as captured in client-catalog-statements.sql. */
  private static final String FIND = """
      SELECT c.oid,
        n.nspname,
        c.relname
      FROM pg_catalog.pg_class c
           LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname OPERATOR(pg_catalog.~) '^(%s)$' COLLATE pg_catalog.default
        AND pg_catalog.pg_table_is_visible(c.oid)
      ORDER BY 2, 3;""";
  private static final String COLUMNS = """
      SELECT a.attname,
        pg_catalog.format_type(a.atttypid, a.atttypmod),
        (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
         FROM pg_catalog.pg_attrdef d
         WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
        a.attnotnull,
        (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
         WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
        a.attidentity,
        a.attgenerated
      FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = '%s' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum;""";

  @Test
  void describeOfANewTableReusesThePlansOfTheFirst() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogSession s = new CatalogSession(engine);
    s.run("CREATE TABLE t1 (id INT PRIMARY KEY, a TEXT)");
    Object t1 = s.rows(FIND.formatted("t1")).get(0).get(0);
    assertThat(s.rows(COLUMNS.formatted(t1))).extracting(r -> r.subList(0, 2))
        .containsExactly(List.of("id", "integer"), List.of("a", "text"));
    s.run("CREATE TABLE t2 (k BIGINT NOT NULL DEFAULT 7, v VARCHAR(5))");
    long plans = engine.planner().plansBuilt();

    List<List<Object>> found = s.rows(FIND.formatted("t2"));
    assertThat(found).extracting(r -> r.get(2)).containsExactly("t2");
    assertThat(found.get(0).get(0)).isNotEqualTo(t1);
    assertThat(s.rows(COLUMNS.formatted(found.get(0).get(0))))
        .containsExactly(java.util.Arrays.asList("k", "bigint", "7", true, null, "", ""),
            java.util.Arrays.asList("v", "character varying(5)", null, false, null, "", ""));
    assertThat(s.rows(FIND.formatted("nope"))).isEmpty();

    assertThat(engine.planner().plansBuilt()).as("plans built for t2").isEqualTo(plans);
  }

  /** psql 15's fifth {@code \d TABLE} query, a footer over pg_policy (always empty here). */
  private static final String POLICIES = """
      SELECT pol.polname, pol.polpermissive,
        CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
        pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
        pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
        CASE pol.polcmd
          WHEN 'r' THEN 'SELECT'
          WHEN 'a' THEN 'INSERT'
          WHEN 'w' THEN 'UPDATE'
          WHEN 'd' THEN 'DELETE'
          END AS cmd
      FROM pg_catalog.pg_policy pol
      WHERE pol.polrelid = '%s' ORDER BY 1;""";

  @Test
  void footerOverAnAlwaysEmptyRelationIsPlannedOnceThroughDdl() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogSession s = new CatalogSession(engine);
    assertThat(s.rows(POLICIES.formatted("200000"))).isEmpty();
    long plans = engine.planner().plansBuilt();
    s.run("CREATE TABLE t3 (id INT PRIMARY KEY)");

    assertThat(s.rows(POLICIES.formatted("201000"))).isEmpty();
    assertThat(s.run(POLICIES.formatted("201000")).columns()).hasSize(6);

    assertThat(engine.planner().plansBuilt()).isEqualTo(plans);
  }

  @Test
  void aLiteralThatIsNoValidOidFailsAsInPostgres() throws Exception {
    CatalogSession s = new CatalogSession(new Engine(new InMemoryTxnService()));
    s.rows(COLUMNS.formatted("1"));
    assertThatThrownBy(() -> s.rows(COLUMNS.formatted("x1")))
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

    CatalogLiterals.Shape sa = CatalogLiterals.parameterize(a, parse(a));
    CatalogLiterals.Shape sb = CatalogLiterals.parameterize(b, parse(b));
    CatalogLiterals.Shape sc = CatalogLiterals.parameterize(c, parse(c));

    assertThat(sa.values()).containsExactly("a", "p%");
    assertThat(sb.values()).containsExactly("bb", "q");
    assertThat(sa.key()).isEqualTo(sb.key()).isNotEqualTo(sc.key());
    assertThat(CatalogLiterals.parameterize("SELECT 1 FROM t WHERE a = 'x'", parse("SELECT 1 FROM t WHERE a = 'x'")))
        .as("not a catalog query").isNull();
  }

  @Test
  void literalsAreNumberedAfterTheStatementsOwnParameters() throws Exception {
    String sql = "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = $1 AND relname = 'a'";
    CatalogLiterals.Shape shape = CatalogLiterals.parameterize(sql, parse(sql));
    assertThat(shape.node().toString()).contains("`relnamespace` = $1").contains("`relname` = ?");
    assertThat(CatalogLiterals.parameterCount(shape.node())).isEqualTo(2);
  }

  private static SqlNode parse(String sql) throws Exception {
    return SqlParser.create(sql, org.troupedb.sql.parser.TroupeParser.config()).parseStmt();
  }
}
