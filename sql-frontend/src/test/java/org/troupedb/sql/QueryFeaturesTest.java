package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

class QueryFeaturesTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    SqlEngine engine = TroupeSqlEngine.create(new InMemoryTxnService());
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, dept INT, salary NUMERIC(10,2),"
        + " hired DATE)");
    run("CREATE TABLE dept (id INT PRIMARY KEY, title TEXT)");
    run("INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty')");
    run("INSERT INTO emp VALUES (1, 'ann', 1, 100.50, DATE '2020-01-15'), (2, 'bob', 1, 200, DATE '2021-06-01'),"
        + " (3, 'cy', 2, 50, DATE '2019-03-03'), (4, 'di', NULL, NULL, NULL)");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private Object one(String sql, Object... params) throws SqlException {
    return rows(sql, params).get(0).get(0);
  }

  @Test
  void joins() throws Exception {
    assertThat(rows("SELECT e.name, d.title FROM emp e JOIN dept d ON e.dept = d.id ORDER BY e.id"))
        .containsExactly(List.of("ann", "eng"), List.of("bob", "eng"), List.of("cy", "ops"));
    assertThat(rows("SELECT e.name, d.title FROM emp e LEFT JOIN dept d ON e.dept = d.id WHERE e.id = 4"))
        .containsExactly(Arrays.asList("di", null));
    assertThat(one("SELECT count(*) FROM emp CROSS JOIN dept")).isEqualTo(12L);
  }

  @Test
  void aggregatesAndGrouping() throws Exception {
    assertThat(rows("SELECT dept, count(*), sum(id), min(name), max(salary) FROM emp WHERE dept IS NOT NULL"
        + " GROUP BY dept HAVING count(*) > 1")).containsExactly(List.of(1, 2L, 3L, "ann", new BigDecimal("200.00")));
    assertThat(one("SELECT count(DISTINCT dept) FROM emp")).isEqualTo(2L);
    assertThat(rows("SELECT DISTINCT dept FROM emp WHERE dept IS NOT NULL ORDER BY dept"))
        .containsExactly(List.of(1), List.of(2));
    StatementResult r = run("SELECT avg(id) FROM emp");
    assertThat(r.columns().get(0).type()).isEqualTo(PgType.NUMERIC);
    assertThat(((BigDecimal) r.rows().next()[0]).compareTo(new BigDecimal("2.5"))).isZero();
    StatementResult sum = run("SELECT sum(id) FROM emp");
    assertThat(sum.columns().get(0).type()).isEqualTo(PgType.INT8);
  }

  @Test
  void sumOfBigintIsNumericAsInPostgres() throws Exception {
    run("CREATE TABLE big (id INT PRIMARY KEY, b BIGINT, g INT)");
    run("INSERT INTO big VALUES (1, 9223372036854775807, 1), (2, 9223372036854775807, 1), (3, -5, 2)");
    StatementResult r = run("SELECT sum(b) FROM big");
    assertThat(r.columns().get(0).type()).isEqualTo(PgType.NUMERIC);
    // beyond bigint: PostgreSQL's numeric sum does not overflow
    assertThat(r.rows().next()[0]).isEqualTo(new BigDecimal("18446744073709551609"));
    assertThat(rows("SELECT g, sum(b), count(*) FROM big GROUP BY g ORDER BY g")).containsExactly(
        List.of(1, new BigDecimal("18446744073709551614"), 2L), List.of(2, new BigDecimal("-5"), 1L));
    assertThat(one("SELECT sum(b) FROM big WHERE id > 10")).isNull();
  }

  @Test
  void subqueriesAndSetOps() throws Exception {
    assertThat(rows("SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE title = 'eng') ORDER BY name"))
        .containsExactly(List.of("ann"), List.of("bob"));
    assertThat(rows("SELECT title FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id)"))
        .containsExactly(List.of("empty"));
    assertThat(one("SELECT (SELECT max(id) FROM emp) + 1")).isEqualTo(5);
    assertThat(rows("SELECT id FROM emp WHERE id < 3 UNION SELECT id FROM dept ORDER BY 1"))
        .containsExactly(List.of(1), List.of(2), List.of(3));
    assertThat(rows("SELECT id FROM dept UNION ALL SELECT id FROM dept")).hasSize(6);
  }

  @Test
  void lockingReadsRunAsPlainReads() throws Exception {
    assertThat(rows("SELECT name FROM emp WHERE id = 1 FOR UPDATE")).containsExactly(List.of("ann"));
    assertThat(rows("SELECT count(*) FROM emp WHERE dept = 1 FOR SHARE")).containsExactly(List.of(2L));
  }

  @Test
  void orderLimitOffset() throws Exception {
    assertThat(rows("SELECT id FROM emp ORDER BY id DESC LIMIT 2 OFFSET 1"))
        .containsExactly(List.of(3), List.of(2));
  }

  @Test
  void expressionsAndFunctions() throws Exception {
    assertThat(one("SELECT 7 / 2")).isEqualTo(3);
    assertThat(one("SELECT 'a' || 'b'")).isEqualTo("ab");
    assertThat(one("SELECT CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END")).isEqualTo("y");
    assertThat(one("SELECT CAST('42' AS INTEGER)")).isEqualTo(42);
    assertThat(one("SELECT lower('AbC') || upper('x')")).isEqualTo("abcX");
    assertThat(one("SELECT char_length('hello')")).isEqualTo(5);
    assertThat(one("SELECT substring('hello' FROM 2 FOR 3)")).isEqualTo("ell");
    assertThat(one("SELECT trim('  x ')")).isEqualTo("x");
    assertThat(one("SELECT abs(-3)")).isEqualTo(3);
    assertThat(one("SELECT mod(7, 3)")).isEqualTo(1);
    assertThat(one("SELECT coalesce(NULL, 5)")).isEqualTo(5);
    assertThat(one("SELECT nullif(1, 1)")).isNull();
    assertThat(one("SELECT floor(2.7)")).isEqualTo(new BigDecimal("2"));
    assertThat(one("SELECT EXTRACT(YEAR FROM hired) FROM emp WHERE id = 1")).isEqualTo(new BigDecimal("2020"));
    assertThat(one("SELECT hired FROM emp WHERE id = 2")).isEqualTo(LocalDate.of(2021, 6, 1));
    assertThat(one("SELECT CURRENT_TIMESTAMP")).isNotNull();
    assertThat(one("SELECT TIMESTAMP '2020-01-02 03:04:05'")).isEqualTo(LocalDateTime.of(2020, 1, 2, 3, 4, 5));
  }

  @Test
  void moreFunctions() throws Exception {
    assertThat(one("SELECT round(2.567, 2)")).isEqualTo(new BigDecimal("2.57"));
    assertThat(one("SELECT ceil(2.1)")).isEqualTo(new BigDecimal("3"));
    assertThat(one("SELECT concat('a', 1, 'b')")).isEqualTo("a1b");
    assertThat(one("SELECT length('abc')")).isEqualTo(3);
    assertThat(one("SELECT substring('hello', 2, 3)")).isEqualTo("ell");
    assertThat(one("SELECT date_part('year', hired) FROM emp WHERE id = 1")).isEqualTo(2020.0); // double, as in PostgreSQL
    assertThat(one("SELECT date_trunc('month', TIMESTAMP '2020-05-17 10:00:00')"))
        .isEqualTo(LocalDateTime.of(2020, 5, 1, 0, 0));
    assertThat(one("SELECT now()")).isNotNull();
    assertThat((String) one("SELECT version()")).startsWith("PostgreSQL 16");
    assertThat(one("SELECT current_database()")).isEqualTo("defaultdb");
    assertThat(one("SELECT current_schema()")).isEqualTo("public");
  }

  @Test
  void resultColumnsCarryTypeAndTypmod() throws Exception {
    StatementResult r = run("SELECT name, salary, id FROM emp WHERE id = 1");
    assertThat(r.columns().get(0)).extracting(ColumnInfo::type, ColumnInfo::typeModifier)
        .containsExactly(PgType.VARCHAR, 24);
    assertThat(r.columns().get(1)).extracting(ColumnInfo::type, ColumnInfo::typeModifier)
        .containsExactly(PgType.NUMERIC, (10 << 16 | 2) + 4);
    assertThat(r.columns().get(2).type()).isEqualTo(PgType.INT4);
    assertThat(r.rows().next()[1]).isEqualTo(new BigDecimal("100.50"));
  }

  @Test
  void preparedStatementReportsParameterTypesAndReuses() throws Exception {
    Statement st = s.parse("SELECT name FROM emp WHERE id = $1 AND dept = $2").get(0);
    assertThat(st.parameterCount()).isEqualTo(2);
    Prepared p = s.prepare(st, List.of());
    assertThat(p.parameterTypes()).containsExactly(PgType.INT4, PgType.INT4);
    assertThat(p.columns()).extracting(ColumnInfo::name).containsExactly("name");
    assertThat(s.execute(p, List.of(1, 1)).rows().next()[0]).isEqualTo("ann");
    assertThat(s.execute(p, List.of(2, 1)).rows().next()[0]).isEqualTo("bob");
    assertThat(s.execute(p, List.of(3, 1)).rows().hasNext()).isFalse();
    Prepared ins = s.prepare(s.parse("INSERT INTO dept VALUES ($1, $2)").get(0), List.of());
    assertThat(ins.parameterTypes()).containsExactly(PgType.INT4, PgType.TEXT);
    assertThat(s.execute(ins, List.of(9, "nine")).commandTag()).isEqualTo("INSERT 0 1");
    assertThat(one("SELECT title FROM dept WHERE id = 9")).isEqualTo("nine");
  }

  @Test
  void declaredParameterTypesAreKeptAndValuesCoerced() throws Exception {
    // pgjdbc declares int4 for setInt and varchar for setString, and checks that the server's
    // ParameterDescription echoes what it declared (PostgreSQL does).
    Prepared p = s.prepare(s.parse("SELECT title FROM dept WHERE id = $1::bigint AND title <> $2").get(0),
        java.util.Arrays.asList(PgType.INT4, PgType.VARCHAR));
    assertThat(p.parameterTypes()).containsExactly(PgType.INT4, PgType.VARCHAR);
    Prepared ins = s.prepare(s.parse("INSERT INTO dept VALUES ($1, $2)").get(0), java.util.Arrays.asList(null, PgType.VARCHAR));
    assertThat(ins.parameterTypes()).containsExactly(PgType.INT4, PgType.VARCHAR);
    assertThat(s.execute(ins, List.of(10, "ten")).commandTag()).isEqualTo("INSERT 0 1");
    assertThat(s.execute(p, List.of(10, "x")).rows().next()[0]).isEqualTo("ten");
  }

  @Test
  void pgCastsAndRepeatedParameters() throws Exception {
    assertThat(one("SELECT '12'::int + 1")).isEqualTo(13);
    assertThat(rows("SELECT name FROM emp WHERE id = $1 OR dept = $1 ORDER BY id", 2))
        .containsExactly(List.of("bob"), List.of("cy"));
    Prepared p = s.prepare(s.parse("SELECT $1::bigint + id FROM emp WHERE id = $2").get(0), List.of());
    assertThat(p.parameterTypes()).containsExactly(PgType.INT8, PgType.INT4);
  }

  @Test
  void explainShowsPointLookupPlan() throws Exception {
    StatementResult r = run("EXPLAIN SELECT name FROM emp WHERE id = 1");
    assertThat(r.columns()).extracting(ColumnInfo::name).containsExactly("QUERY PLAN");
    assertThat(rows("EXPLAIN SELECT name FROM emp WHERE id = 1").toString()).contains("PointGet").contains("emp");
    assertThat(rows("EXPLAIN SELECT name FROM emp WHERE dept = 1").toString()).contains("emp").contains("filters");
    assertThat(rows("SELECT e.name AS n, * FROM emp e WHERE e.id = 2")).containsExactly(
        List.of("bob", 2, "bob", 1, new BigDecimal("200.00"), LocalDate.of(2021, 6, 1)));
  }

  @Test
  void returningOnConflictAndUpsert() throws Exception {
    assertThat(rows("INSERT INTO dept VALUES (10, 'ten') RETURNING id, upper(title)"))
        .containsExactly(List.of(10, "TEN"));
    assertThat(rows("UPDATE dept SET title = 'TEN' WHERE id = 10 RETURNING *")).containsExactly(List.of(10, "TEN"));
    assertThat(run("INSERT INTO dept VALUES (10, 'x') ON CONFLICT DO NOTHING").commandTag()).isEqualTo("INSERT 0 0");
    assertThat(run("INSERT INTO dept VALUES (10, 'x'), (11, 'y') ON CONFLICT (id) DO UPDATE SET title = "
        + "excluded.title || dept.title").commandTag()).isEqualTo("INSERT 0 2");
    assertThat(rows("SELECT id, title FROM dept WHERE id >= 10 ORDER BY id"))
        .containsExactly(List.of(10, "xTEN"), List.of(11, "y"));
    run("UPSERT INTO dept VALUES (11, 'z'), (12, 'w')");
    assertThat(rows("SELECT title FROM dept WHERE id >= 11 ORDER BY id")).containsExactly(List.of("z"), List.of("w"));
    assertThat(rows("DELETE FROM dept WHERE id > 10 RETURNING id")).containsExactlyInAnyOrder(List.of(11), List.of(12));
  }

  @Test
  void sequences() throws Exception {
    run("CREATE SEQUENCE seq START WITH 5 INCREMENT BY 2");
    assertThatThrownBy(() -> run("SELECT currval('seq')")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("55000"));
    assertThat(one("SELECT nextval('seq')")).isEqualTo(5L);
    assertThat(one("SELECT nextval('seq')")).isEqualTo(7L);
    assertThat(one("SELECT currval('seq')")).isEqualTo(7L);
    run("SELECT setval('seq', 100)");
    assertThat(one("SELECT nextval('seq')")).isEqualTo(102L);
    run("CREATE SEQUENCE tiny MAXVALUE 2");
    assertThat(one("SELECT nextval('tiny')")).isEqualTo(1L);
    assertThat(one("SELECT nextval('tiny')")).isEqualTo(2L);
    assertThatThrownBy(() -> run("SELECT nextval('tiny')")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.getMessage()).contains("maximum value"));
    run("CREATE TABLE small (id SMALLSERIAL PRIMARY KEY, v TEXT)");
    run("INSERT INTO small (v) VALUES ('a'), ('b')");
    assertThat(rows("SELECT id FROM small ORDER BY id")).containsExactly(List.of((short) 1), List.of((short) 2));
  }

  @Test
  void setShowAndReportedParameters() throws Exception {
    assertThat(s.reportedParameters()).containsEntry("server_version", "16.0").containsEntry("TimeZone", "UTC")
        .containsEntry("client_encoding", "UTF8").containsEntry("DateStyle", "ISO, MDY");
    run("SET application_name = 'myapp'");
    run("SET TIME ZONE 'UTC'");
    assertThat(one("SHOW application_name")).isEqualTo("myapp");
    assertThat(s.takeChangedParameters()).containsEntry("application_name", "myapp");
    assertThat(s.takeChangedParameters()).isEmpty();
    assertThat(one("SHOW transaction_isolation")).isEqualTo("serializable");
    run("SET extra_float_digits TO 3");
    assertThat(one("SHOW extra_float_digits")).isEqualTo("3");
    assertThatThrownBy(() -> run("SHOW nope")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("42704"));
  }

  @Test
  void truncateDropAndIndexes() throws Exception {
    run("CREATE INDEX emp_dept ON emp (dept)");
    assertThat(one("SELECT count(*) FROM emp WHERE dept = 1")).isEqualTo(2L);
    assertThat(run("TRUNCATE emp").commandTag()).isEqualTo("TRUNCATE TABLE");
    assertThat(one("SELECT count(*) FROM emp")).isEqualTo(0L);
    run("DROP TABLE emp");
    assertThatThrownBy(() -> run("SELECT * FROM emp")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    run("DROP TABLE IF EXISTS emp");
    run("CREATE TABLE emp (x INT)");
    assertThat(one("SELECT count(*) FROM emp")).isEqualTo(0L);
  }

  @Test
  void ddlIsTransactional() throws Exception {
    run("BEGIN");
    run("CREATE TABLE tx (id INT PRIMARY KEY)");
    run("INSERT INTO tx VALUES (1)");
    assertThat(one("SELECT count(*) FROM tx")).isEqualTo(1L);
    run("ROLLBACK");
    run("CREATE TABLE ty (b INT PRIMARY KEY)"); // takes the catalog version the rolled-back DDL had
    assertThat(rows("SELECT b FROM ty")).isEmpty();
    assertThatThrownBy(() -> run("SELECT * FROM tx")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("42P01"));
  }

  @Test
  void databasesAreSeparateNamespaces() throws Exception {
    SqlEngine engine = TroupeSqlEngine.create(new InMemoryTxnService());
    SqlSession a = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    for (Statement st : a.parse("CREATE DATABASE shop; CREATE DATABASE IF NOT EXISTS shop; CREATE TABLE t (x INT)")) {
      a.execute(a.prepare(st, List.of()), List.of());
    }
    SqlSession b = engine.openSession(new SessionParams("root", "shop", Map.of()));
    Statement sel = b.parse("SELECT * FROM t").get(0);
    assertThatThrownBy(() -> b.prepare(sel, List.of())).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    Statement dup = a.parse("CREATE DATABASE shop").get(0);
    assertThatThrownBy(() -> a.execute(a.prepare(dup, List.of()), List.of()))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P04"));
    Statement drop = a.parse("DROP DATABASE shop").get(0);
    assertThat(a.execute(a.prepare(drop, List.of()), List.of()).commandTag()).isEqualTo("DROP DATABASE");
    assertThatThrownBy(() -> engine.openSession(new SessionParams("root", "shop", Map.of())))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("3D000"));
  }

  @Test
  void unknownDatabaseIsRejected() {
    assertThatThrownBy(() -> TroupeSqlEngine.create(new InMemoryTxnService())
        .openSession(new SessionParams("root", "nope", Map.of())))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("3D000"));
  }
}
