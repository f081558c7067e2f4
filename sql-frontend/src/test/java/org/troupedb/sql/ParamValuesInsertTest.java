package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * INSERT … VALUES of bare parameters takes a path without Calcite planning; its rows, types and
 * errors must be those of the same statement with literals (the planned path).
 */
class ParamValuesInsertTest implements SessionRunner {
  private static final String COLUMNS = "(id INT PRIMARY KEY, s SMALLINT, b BIGINT, n NUMERIC(5,2), v VARCHAR(3),"
      + " x TEXT, d DATE, ts TIMESTAMP, ok BOOLEAN, r REAL, nn INT NOT NULL DEFAULT 7)";

  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE lit " + COLUMNS);
    run("CREATE TABLE par " + COLUMNS);
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private String state(String sql, Object... params) {
    try {
      run(sql, params);
    } catch (SqlException e) {
      return e.sqlState();
    }
    return "ok";
  }

  @Test
  void parameterRowsEqualLiteralRows() throws Exception {
    run("INSERT INTO lit (id, s, b, n, v, x, d, ts, ok, r) VALUES"
        + " (1, 2, 3, 1.25, 'ab', 'text', '2024-02-29', '2024-02-29 13:14:15.5', true, 1.5),"
        + " (2, -32768, 9223372036854775807, -999.99, NULL, '', '1999-12-31', '2000-01-01 00:00:00', false, NULL)");
    StatementResult r = run("INSERT INTO par (id, s, b, n, v, x, d, ts, ok, r) VALUES"
        + " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), ($11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        1, "2", 3L, "1.25", "ab", "text", "2024-02-29", "2024-02-29 13:14:15.5", true, 1.5f,
        2, "-32768", "9223372036854775807", "-999.99", null, "", "1999-12-31", "2000-01-01 00:00:00", "false", null);
    assertThat(r.commandTag()).isEqualTo("INSERT 0 2");
    String all = "SELECT id, s, b, n, v, x, d, ts, ok, r, nn FROM %s ORDER BY id";
    assertThat(rows(all.formatted("par"))).isEqualTo(rows(all.formatted("lit"))).hasSize(2);
    // PostgreSQL rounds half away from zero into numeric(5,2).
    run("INSERT INTO par (id, n) VALUES ($1, $2), ($3, $4)", 3, "1.005", 4, "-1.005");
    assertThat(rows("SELECT n FROM par WHERE id >= 3 ORDER BY id"))
        .containsExactly(List.of(new java.math.BigDecimal("1.01")), List.of(new java.math.BigDecimal("-1.01")));
  }

  @Test
  void parametersTakeTheirColumnsTypes() throws Exception {
    Prepared p = s.prepare(s.parse("INSERT INTO par (id, b, v, ts) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)").get(0),
        List.of());
    // Character parameters are text, as on the planned path (the length is checked when stored).
    assertThat(p.parameterTypes()).containsExactly(PgType.INT4, PgType.INT8, PgType.TEXT, PgType.TIMESTAMP,
        PgType.INT4, PgType.INT8, PgType.TEXT, PgType.TIMESTAMP);
    assertThat(rows("EXPLAIN INSERT INTO par (id, b) VALUES ($1, $2), ($3, $4)").toString()).contains("ParamValues");
  }

  @Test
  void errorsAreThoseOfThePlannedPath() {
    String params = "INSERT INTO par (id, s, v, nn) VALUES ($1, $2, $3, $4)";
    String literals = "INSERT INTO lit (id, s, v, nn) VALUES (%s, %s, %s, %s)";
    assertThat(state(params, "1x", 1, "a", 1)).isEqualTo(state(literals.formatted("'1x'", 1, "'a'", 1)))
        .isEqualTo("22P02");
    assertThat(state(params, 1, 40000, "a", 1)).isEqualTo(state(literals.formatted(1, 40000, "'a'", 1)))
        .isEqualTo("22003");
    assertThat(state(params, 1, 1, "abcd", 1)).isEqualTo(state(literals.formatted(1, 1, "'abcd'", 1)))
        .isEqualTo("22001");
    assertThat(state(params, 1, 1, "a", null)).isEqualTo(state(literals.formatted(1, 1, "'a'", "NULL")))
        .isEqualTo("23502");
    assertThat(state(params, 1, 1, "a", 1)).isEqualTo("ok");
    assertThat(state(params, 1, 1, "a", 1)).isEqualTo("23505");
  }

  @Test
  void reusedParametersReturningAndConflicts() throws Exception {
    run("INSERT INTO par (id, b) VALUES ($1, $1), ($2, $2)", 10, 11);
    assertThat(rows("SELECT id, b FROM par ORDER BY id")).containsExactly(List.of(10, 10L), List.of(11, 11L));
    // One parameter for columns of two types: the planned path decides ($1 is then int and text).
    run("INSERT INTO par (id, x) VALUES ($1, $2)", 12, "twelve");
    assertThat(rows("INSERT INTO par (id, v) VALUES ($1, $2) RETURNING id, v, nn", 13, "abc"))
        .containsExactly(List.of(13, "abc", 7));
    assertThat(run("INSERT INTO par (id, v) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING", 13, "x", 14, "y")
        .commandTag()).isEqualTo("INSERT 0 1");
    assertThat(rows("SELECT v FROM par WHERE id = 13")).containsExactly(List.of("abc"));
    assertThatThrownBy(() -> run("INSERT INTO par (id, v) VALUES ($1, $2, $3)", 1, "a", "b"))
        .isInstanceOf(SqlException.class).hasMessageContaining("more expressions than target columns");
  }
}
