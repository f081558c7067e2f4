package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * json and jsonb in process: columns, casts, operators and functions (expected values are
 * PostgreSQL 15's; JsonIT diffs the compat script json.sql with a real PostgreSQL).
 */
class JsonTypeTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private Object one(String sql) throws Exception {
    return rows(sql).get(0).get(0);
  }

  @Test
  void columnsKeepJsonAsWrittenAndNormaliseJsonb() throws Exception {
    rows("CREATE TABLE j (id int PRIMARY KEY, a json, b jsonb)");
    rows("INSERT INTO j VALUES (1, '{\"b\":1,  \"a\":2}', '{\"b\":1,  \"a\":2, \"b\":3}')");
    assertThat(rows("SELECT a, b FROM j")).containsExactly(List.of("{\"b\":1,  \"a\":2}", "{\"a\": 2, \"b\": 3}"));
    assertThat(rows("SELECT id FROM j WHERE b = '{\"a\":2,\"b\":3}'")).containsExactly(List.of(1));
    assertThat(rows("SELECT id FROM j WHERE b = '{\"a\":2}'::jsonb")).isEmpty();
    assertThatThrownBy(() -> rows("INSERT INTO j VALUES (2, '{', NULL)")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.detail()).isEqualTo("The input string ended unexpectedly."));
    assertThatThrownBy(() -> rows("CREATE TABLE k (b jsonb PRIMARY KEY)")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    assertThatThrownBy(() -> rows("CREATE INDEX j_b ON j (b)")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("0A000"));
  }

  @Test
  void castsCheckAndNormalise() throws Exception {
    assertThat(one("SELECT '{\"b\":[1, 2.50], \"a\":null}'::jsonb")).isEqualTo("{\"a\": null, \"b\": [1, 2.50]}");
    assertThat(one("SELECT CAST('[1,  2]' AS json)")).isEqualTo("[1,  2]");
    assertThat(one("SELECT ('{\"x\": 1}'::jsonb)::text")).isEqualTo("{\"x\": 1}");
    assertThatThrownBy(() -> rows("SELECT '{\"a\":tru}'::jsonb")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("22P02");
      assertThat(e.getMessage()).isEqualTo("invalid input syntax for type json");
      assertThat(e.detail()).isEqualTo("Token \"tru\" is invalid.");
      assertThat(e.context()).isEqualTo("JSON data, line 1: {\"a\":tru...");
    });
    rows("CREATE TABLE t (id int PRIMARY KEY, s text)");
    rows("INSERT INTO t VALUES (1, '{\"z\":1,\"y\":2}')");
    assertThat(one("SELECT s::jsonb FROM t")).isEqualTo("{\"y\": 2, \"z\": 1}");
  }

  @Test
  void operators() throws Exception {
    String doc = "'{\"a\": {\"b\": [10, 20, {\"c\": \"x\"}]}, \"k\": \"v\", \"n\": null}'::jsonb";
    assertThat(rows("SELECT " + doc + " -> 'a', " + doc + " ->> 'k', " + doc + " ->> 'n', " + doc + " -> 'zz'"))
        .containsExactly(java.util.Arrays.asList("{\"b\": [10, 20, {\"c\": \"x\"}]}", "v", null, null));
    assertThat(one("SELECT " + doc + " -> 'a' -> 'b' -> -1 ->> 'c'")).isEqualTo("x");
    assertThat(one("SELECT " + doc + " #> '{a,b,1}'")).isEqualTo("20");
    assertThat(one("SELECT " + doc + " #>> '{a,b,2,c}'")).isEqualTo("x");
    assertThat(rows("SELECT " + doc + " @> '{\"a\": {\"b\": [20]}}', " + doc + " @> '{\"k\": \"w\"}', '{\"k\": \"v\"}' <@ " + doc))
        .containsExactly(List.of(true, false, true));
    assertThat(rows("SELECT " + doc + " ? 'k', " + doc + " ? 'b', " + doc + " ?| '{b,k}', " + doc + " ?& '{a,b}'"))
        .containsExactly(List.of(true, false, true, false));
    assertThat(one("SELECT '{\"a\": 1}'::jsonb || '{\"b\": 2, \"a\": 3}'::jsonb")).isEqualTo("{\"a\": 3, \"b\": 2}");
    assertThat(one("SELECT '[1]'::jsonb || '2'::jsonb")).isEqualTo("[1, 2]");
    assertThat(one("SELECT " + doc + " -> 'a' ->> 'b' = '[10, 20, {\"c\": \"x\"}]'")).isEqualTo(true);
    assertThatThrownBy(() -> rows("SELECT " + doc + " - 'k'")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    assertThatThrownBy(() -> rows("SELECT 1 ->> 2")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.getMessage()).isEqualTo("operator does not exist: integer ->> integer"));
  }

  @Test
  void jsonOperatorsReturnThePartAsWritten() throws Exception {
    assertThat(rows("SELECT '{\"a\": [1,  2], \"a\": {\"q\" : 1e2}}'::json -> 'a', '[1, {\"b\" :  2}, \"z\"]'::json -> 1,"
        + " '[1, {\"b\" :  2}, \"z\"]'::json ->> 2, '{\"a\": {\"b\":  [ 1 ,2 ]}}'::json #> '{a,b}', '[1,2]'::json -> -1"))
        .containsExactly(List.of("{\"q\" : 1e2}", "{\"b\" :  2}", "z", "[ 1 ,2 ]", "2"));
  }

  @Test
  void functions() throws Exception {
    assertThat(rows("SELECT jsonb_typeof('1.5'), jsonb_typeof('{}'), jsonb_array_length('[1,2,3]')"))
        .containsExactly(List.of("number", "object", 3));
    assertThat(one("SELECT jsonb_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', '{\"x\":1}'::jsonb, 'e', 2.0)"))
        .isEqualTo("{\"a\": 1, \"b\": \"x\", \"c\": null, \"d\": {\"x\": 1}, \"e\": 2.0}");
    assertThat(one("SELECT jsonb_build_array(1, 'a', NULL, true)")).isEqualTo("[1, \"a\", null, true]");
    assertThat(one("SELECT json_build_object('a', '{\"x\": 1}'::json)")).isEqualTo("{\"a\" : {\"x\": 1}}");
    assertThat(one("SELECT to_jsonb(timestamp '2024-01-02 03:04:05.5')")).isEqualTo("\"2024-01-02T03:04:05.5\"");
    assertThat(one("SELECT jsonb_extract_path_text('{\"a\":{\"b\":\"c\"}}', 'a', 'b')")).isEqualTo("c");
    assertThat(one("SELECT jsonb_pretty('{\"a\":{},\"c\":[1]}')")).isEqualTo("{\n    \"a\": {\n    },\n    \"c\": [\n        1\n    ]\n}");
    assertThatThrownBy(() -> rows("SELECT jsonb_array_length('{}')")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.getMessage()).isEqualTo("cannot get array length of a non-array"));
    assertThatThrownBy(() -> rows("SELECT jsonb_object_keys('{}')")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("0A000"));
  }
}
