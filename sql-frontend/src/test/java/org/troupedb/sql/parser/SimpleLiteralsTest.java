package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which literals of a simple query become parameters, and which never do. */
class SimpleLiteralsTest {

  private static String shape(String sql) {
    SimpleLiterals.Shape s = SimpleLiterals.parameterize(sql);
    return s == null ? null : s.sql() + " " + java.util.Arrays.toString(s.values());
  }

  @Test
  void comparisonsWithColumnsBecomeParameters() {
    assertThat(shape("SELECT abalance FROM pgbench_accounts WHERE aid = 12345;"))
        .isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = $1; [12345]");
    assertThat(shape("select * from t where a=1 and t.b >= 22 order by a limit 5"))
        .isEqualTo("select * from t where a=$1 and t.b >= $2 order by a limit 5 [1, 22]");
    assertThat(shape("UPDATE t SET x = 5 WHERE id = 7")).isEqualTo("UPDATE t SET x = $1 WHERE id = $2 [5, 7]");
    assertThat(shape("DELETE FROM t WHERE \"Id\" <> 3 OR k != 4")).isEqualTo("DELETE FROM t WHERE \"Id\" <> $1 OR k != $2 [3, 4]");
    assertThat(shape("SELECT * FROM t WHERE s = 'a = 1' AND n < 9"))
        .isEqualTo("SELECT * FROM t WHERE s = 'a = 1' AND n < $1 [9]");
    assertThat(shape("SELECT * FROM t WHERE s = 'it''s' AND (n = 9)"))
        .isEqualTo("SELECT * FROM t WHERE s = 'it''s' AND (n = $1) [9]");
    assertThat(shape("SELECT * FROM t WHERE a = 123456789012345678")).endsWith("[123456789012345678]");
  }

  @Test
  void otherLiteralsAndOtherStatementsStayText() {
    for (String sql : new String[] {
        "SELECT 1", "SELECT * FROM t LIMIT 10", "SELECT * FROM t WHERE a = 1.5", "SELECT * FROM t WHERE a = - 1",
        "SELECT * FROM t WHERE a = 1::text", "SELECT * FROM t WHERE a = 1 + b", "SELECT * FROM t WHERE a IN (1, 2)",
        "SELECT * FROM t WHERE a BETWEEN 1 AND 2", "SELECT * FROM t WHERE name = '1'", "SELECT * FROM t WHERE a = $1",
        "SELECT * FROM t WHERE a = 1 -- note", "SELECT * FROM t /* c */ WHERE a = 1", "SELECT * FROM t WHERE a = 1; SELECT 2",
        "INSERT INTO t SELECT 1", "INSERT INTO t VALUES ((1))", "INSERT INTO t VALUES (1 + 2)",
        "SELECT -5 FROM t", "SELECT CASE WHEN a THEN -5 END FROM t", "SELECT 1 + 5 FROM t", "UPDATE t SET x = x * 5",
        "UPDATE t SET x = x + 5 * 2", "UPDATE t SET x = x || 5", "UPDATE t SET x = f(x) + 5", "WITH x AS (SELECT 1) SELECT * FROM x WHERE a = 1", "EXPLAIN SELECT * FROM t WHERE a = 1",
        "SELECT * FROM t WHERE s = E'\\\\' AND a = 1", "SELECT * FROM t WHERE a = 1e5", "SELECT * FROM t WHERE a = 1234567890123456789",
        "SELECT * FROM t WHERE a = 'unterminated AND b = 1", "SELECT * FROM t2 WHERE x1 = y2", "SELECT * FROM t WHERE a = 1 IS TRUE"}) {
      assertThat(shape(sql)).as(sql).isNull();
    }
  }

  @Test
  void arithmeticOperandsOfColumnsBecomeParameters() {
    SimpleLiterals.Shape s = SimpleLiterals.parameterize(
        "UPDATE pgbench_accounts SET abalance = abalance + -2345 WHERE aid = 123;");
    assertThat(s.sql()).isEqualTo("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;");
    assertThat(s.values()).containsExactly(-2345, 123);
    assertThat(s.contexts()).containsExactly(SimpleLiterals.Context.ARITHMETIC, SimpleLiterals.Context.COMPARED);
    assertThat(shape("UPDATE t SET x = x - 5")).isEqualTo("UPDATE t SET x = x - $1 [5]");
    assertThat(shape("UPDATE t SET x = x -5")).as("a binary minus stays in the text").isEqualTo("UPDATE t SET x = x -$1 [5]");
    assertThat(shape("UPDATE t SET x = x - -5")).isEqualTo("UPDATE t SET x = x - $1 [-5]");
    assertThat(shape("SELECT * FROM t WHERE a = -1")).isEqualTo("SELECT * FROM t WHERE a = $1 [-1]");
    assertThat(shape("SELECT * FROM t WHERE a >-1")).isEqualTo("SELECT * FROM t WHERE a >$1 [-1]");
  }

  @Test
  void theItemsOfAnInsertsValuesBecomeParameters() {
    SimpleLiterals.Shape s = SimpleLiterals.parameterize("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
        + " VALUES (5, 1, 123, -2345, CURRENT_TIMESTAMP);");
    assertThat(s.sql()).isEqualTo(
        "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);");
    assertThat(s.values()).containsExactly(5, 1, 123, -2345);
    assertThat(s.contexts()).containsOnly(SimpleLiterals.Context.VALUE);
    assertThat(shape("insert into t values (1, 'x', 2), (3, 'y', 4) returning id"))
        .isEqualTo("insert into t values ($1, 'x', $2), ($3, 'y', $4) returning id [1, 2, 3, 4]");
    assertThat(shape("INSERT INTO t (a, b) VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = t.b + 1"))
        .isEqualTo("INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = t.b + $3 [1, 2, 1]");
  }
}
