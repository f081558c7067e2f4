package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * One-dimensional arrays in process (issue 14): column types, the text form, constructors, casts,
 * array_agg, ANY/ALL, unnest and the array functions ({@code ArraysIT} diffs them with PostgreSQL).
 */
class ArrayTypeTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private static List<Object> list(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void textFormReadsAndWritesAsArrayInAndOut() throws Exception {
    assertThat(PgArrayLiteral.parse(" { 1 , NULL,\"NULL\", \"a,b\" ,c\\\"d , \"\" } "))
        .containsExactly("1", null, "NULL", "a,b", "c\"d", "");
    assertThat(PgArrayLiteral.parse("{}")).isEmpty();
    assertThat(PgArrayLiteral.formatTexts(Arrays.asList("1", null, "NULL", "a b", "q\"u", "b\\s", "", "x")))
        .isEqualTo("{1,NULL,\"NULL\",\"a b\",\"q\\\"u\",\"b\\\\s\",\"\",x}");
    for (String[] bad : new String[][] {{"1", "Array value must start with \"{\" or dimension information."},
        {"{1", "Unexpected end of input."}, {"{1,,2}", "Unexpected \",\" character."},
        {"{1} x", "Junk after closing right brace."}}) {
      assertThatThrownBy(() -> PgArrayLiteral.parse(bad[0])).isInstanceOf(SqlException.class)
          .hasMessage("malformed array literal: \"" + bad[0] + "\"")
          .satisfies(e -> assertThat(((SqlException) e).detail()).isEqualTo(bad[1]));
    }
    assertThatThrownBy(() -> PgArrayLiteral.parse("{{1},{2}}")).isInstanceOf(SqlException.class)
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED));
  }

  @Test
  void columnsOfEveryElementTypeStoreAndReadBack() throws Exception {
    run("CREATE TABLE d (id int PRIMARY KEY, i int[], bi bigint[], si smallint[], t text[], vc varchar(3)[],"
        + " n numeric(5,2)[], b bool[], f float8[], ds date[], ts timestamp[], u uuid[], ia integer ARRAY)");
    run("INSERT INTO d VALUES (1, '{1,NULL,3}', ARRAY[10000000000], '{7}', '{a,\"b c\",NULL,\"\"}', '{abc}',"
        + " '{1.234,NULL}', '{t,f}', '{1.5}', '{2024-01-02}', '{\"2024-01-02 03:04:05.5\"}',"
        + " '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', ARRAY[]::int[])");
    StatementResult r = run("SELECT * FROM d");
    assertThat(r.columns()).extracting(ColumnInfo::type).containsExactly(PgType.INT4, PgType.INT4_ARRAY,
        PgType.INT8_ARRAY, PgType.INT2_ARRAY, PgType.TEXT_ARRAY, PgType.TEXT_ARRAY, PgType.NUMERIC_ARRAY,
        PgType.BOOL_ARRAY, PgType.FLOAT8_ARRAY, PgType.DATE_ARRAY, PgType.TIMESTAMP_ARRAY, PgType.UUID_ARRAY,
        PgType.INT4_ARRAY);
    List<Object> row = SessionRunner.rows(r).get(0);
    assertThat(row.get(1)).isEqualTo(list(1, null, 3));
    assertThat(row.get(2)).isEqualTo(list(10000000000L));
    assertThat(row.get(3)).isEqualTo(list((short) 7));
    assertThat(row.get(4)).isEqualTo(list("a", "b c", null, ""));
    assertThat(row.get(6)).isEqualTo(list(new BigDecimal("1.23"), null));
    assertThat(row.get(7)).isEqualTo(list(true, false));
    assertThat(row.get(9)).isEqualTo(list(java.time.LocalDate.of(2024, 1, 2)));
    assertThat(row.get(10)).isEqualTo(list(java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000)));
    assertThat(row.get(11)).isEqualTo(list(java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
    assertThat(row.get(12)).isEqualTo(list());
    assertThat(rows("SELECT ts[1], ds[1], u[1] = ANY(u), ts[1] = ANY(ts) FROM d")).containsExactly(list(
        java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000), java.time.LocalDate.of(2024, 1, 2), true, true));
    assertThatThrownBy(() -> run("INSERT INTO d (id, vc) VALUES (2, '{abcd}')")).isInstanceOf(SqlException.class)
        .hasMessage("value too long for type character varying(3)");
    assertThatThrownBy(() -> run("INSERT INTO d (id, i) VALUES (2, '{1,x}')")).isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type integer: \"x\"");
    run("UPDATE d SET i = i || ARRAY[4] WHERE id = 1");
    assertThat(rows("SELECT i, i[1], i[2], i[9], cardinality(i), array_length(i, 1), array_length(i, 2),"
        + " array_position(i, 3), array_position(i, NULL) FROM d"))
        .containsExactly(list(list(1, null, 3, 4), 1, null, null, 4, 4, null, 3, 2));
  }

  @Test
  void constructorsCastsAndAggregates() throws Exception {
    run("CREATE TABLE t (id int PRIMARY KEY, x int, s text)");
    run("INSERT INTO t VALUES (1, 10, 'a'), (2, NULL, NULL), (3, 30, 'c d')");
    StatementResult r = run("SELECT ARRAY[1, 2, NULL], ARRAY['a', 'b c'], '{1,2}'::int[], ARRAY[1, 2]::bigint[]");
    assertThat(r.columns()).extracting(ColumnInfo::type)
        .containsExactly(PgType.INT4_ARRAY, PgType.TEXT_ARRAY, PgType.INT4_ARRAY, PgType.INT8_ARRAY);
    assertThat(SessionRunner.rows(r)).containsExactly(list(list(1, 2, null), list("a", "b c"), list(1, 2),
        list(1L, 2L)));
    assertThat(rows("SELECT array_agg(x) FROM t")).containsExactly(list(list(10, null, 30)));
    assertThat(rows("SELECT array_agg(x ORDER BY id DESC) FROM t")).containsExactly(list(list(30, null, 10)));
    assertThat(rows("SELECT array_agg(x) FROM t WHERE id > 5")).containsExactly(list((Object) null));
    assertThat(rows("SELECT id % 2, array_agg(s ORDER BY id) FROM t GROUP BY id % 2 ORDER BY 1"))
        .containsExactly(list(0, list((Object) null)), list(1, list("a", "c d")));
    assertThatThrownBy(() -> run("SELECT 'x'::int[]")).isInstanceOf(SqlException.class)
        .hasMessage("malformed array literal: \"x\"");
  }

  @Test
  void anyAllAndUnnest() throws Exception {
    run("CREATE TABLE t (id int PRIMARY KEY, x int)");
    run("INSERT INTO t VALUES (1, 10), (2, NULL), (3, 30)");
    assertThat(rows("SELECT id FROM t WHERE x = ANY(ARRAY[10, 20]) ORDER BY id")).containsExactly(list(1));
    assertThat(rows("SELECT id, x <> ALL(ARRAY[10, NULL]), x = SOME('{30}'::int[]) FROM t ORDER BY id"))
        .containsExactly(list(1, false, false), list(2, null, null), list(3, null, true));
    assertThat(rows("SELECT id FROM t WHERE id = ANY($1) ORDER BY id", list(3, 1, 7)))
        .containsExactly(list(1), list(3));
    assertThat(rows("SELECT id FROM t WHERE id = ANY($1::int[]) ORDER BY id", "{2,3}"))
        .containsExactly(list(2), list(3));
    assertThat(rows("SELECT 1 = ANY('{}'::int[]), 1 = ALL('{}'::int[])")).containsExactly(list(false, true));
    assertThat(rows("SELECT id FROM t WHERE id = ANY(SELECT 1)")).containsExactly(list(1));
    assertThatThrownBy(() -> run("SELECT 1 = ANY(1)")).isInstanceOf(SqlException.class)
        .hasMessage("op ANY/ALL (array) requires array on right side");
    StatementResult u = run("SELECT * FROM unnest(ARRAY[3, NULL, 1])");
    assertThat(u.columns()).extracting(ColumnInfo::name).containsExactly("unnest");
    assertThat(SessionRunner.rows(u)).containsExactly(list(3), list((Object) null), list(1));
    assertThat(run("SELECT * FROM unnest(ARRAY['a']) AS u").columns()).extracting(ColumnInfo::name)
        .containsExactly("u");
    assertThat(rows("SELECT unnest('{5,6}'::int[])")).containsExactly(list(5), list(6));
  }

  @Test
  void arraysAreNotKeys() throws Exception {
    assertThatThrownBy(() -> run("CREATE TABLE k (v int[] PRIMARY KEY)")).isInstanceOf(SqlException.class)
        .hasMessage("a primary key on an array column is not supported");
    run("CREATE TABLE k (id int PRIMARY KEY, v int[])");
    assertThatThrownBy(() -> run("CREATE INDEX k_v ON k (v)")).isInstanceOf(SqlException.class)
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED));
  }
}
