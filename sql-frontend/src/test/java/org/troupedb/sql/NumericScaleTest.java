package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * An unconstrained {@code numeric} keeps the scale PostgreSQL gives each value (issue 14): an
 * integer literal stored into it is {@code 8}, not {@code 8.0000000000000000}, whichever way it is
 * written. Every expected text is PostgreSQL 15's answer to the same statements.
 */
class NumericScaleTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE n (id int PRIMARY KEY, x numeric, y numeric(10,2))");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  /** The rows of {@code sql} as PostgreSQL's text output spells them (numbers in plain notation). */
  private List<List<String>> texts(String sql, Object... params) throws SqlException {
    List<List<String>> out = new ArrayList<>();
    for (List<Object> row : rows(sql, params)) {
      List<String> r = new ArrayList<>();
      for (Object v : row) {
        r.add(v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
      }
      out.add(r);
    }
    return out;
  }

  @Test
  void everyWayOfWritingKeepsTheValuesScale() throws Exception {
    run("INSERT INTO n VALUES (1, 8, 8)");
    run("INSERT INTO n VALUES (2, 8.5, 1), (3, 7, 2)");
    run("INSERT INTO n SELECT 4, 9, 9");
    run("INSERT INTO n SELECT 5, id, id FROM n WHERE id = 1");
    run("INSERT INTO n VALUES (6, 2.50, 3)");
    run("INSERT INTO n (id, x) VALUES (7, 1 + 2)");
    run("INSERT INTO n (id, x) VALUES (8, -3)");
    run("INSERT INTO n (id, x) VALUES (9, '4.10')");
    run("INSERT INTO n (id, x) VALUES (10, '8')");
    assertThat(texts("SELECT id, x, y FROM n ORDER BY id").toString()).isEqualTo("[[1, 8, 8.00], [2, 8.5, 1.00], "
        + "[3, 7, 2.00], [4, 9, 9.00], [5, 1, 1.00], [6, 2.50, 3.00], [7, 3, null], [8, -3, null], [9, 4.10, null], "
        + "[10, 8, null]]");
    run("UPDATE n SET x = 10 WHERE id = 1");
    run("UPDATE n SET x = 2.0 WHERE id = 3");
    run("UPDATE n SET x = x * 2 WHERE id = 6");
    run("INSERT INTO n (id, x) VALUES (2, 5) ON CONFLICT (id) DO UPDATE SET x = 11");
    assertThat(texts("INSERT INTO n (id, x) VALUES (12, 5) RETURNING x, x + 1").toString()).isEqualTo("[[5, 6]]");
    assertThat(texts("SELECT x FROM n WHERE id IN (1, 2, 3, 6) ORDER BY id").toString())
        .isEqualTo("[[10], [11], [2.0], [5.00]]");
  }

  @Test
  void boundParametersKeepTheirScale() throws Exception {
    run("INSERT INTO n VALUES ($1, $2, $3)", 1, "8", "8");
    run("INSERT INTO n VALUES ($1, $2, $3)", 2, 8, 8);
    run("INSERT INTO n VALUES ($1, $2, $3)", 3, new BigDecimal("2.50"), new BigDecimal("2.5"));
    run("UPDATE n SET x = $1 WHERE id = 1", "9");
    assertThat(texts("SELECT id, x, y FROM n ORDER BY id").toString())
        .isEqualTo("[[1, 9, 8.00], [2, 8, 8.00], [3, 2.50, 2.50]]");
  }

  @Test
  void copyKeepsTheTextsScale() throws Exception {
    CopyIn in = (CopyIn) run("COPY n (id, x) FROM STDIN");
    in.write(List.<String[]>of(new String[] {"1", "8"}, new String[] {"2", "2.50"}), 1);
    in.finish();
    assertThat(texts("SELECT x FROM n ORDER BY id").toString()).isEqualTo("[[8], [2.50]]");
  }

  @Test
  void anIntegerCastToNumericIsANumeric() throws Exception {
    // 8::numeric was folded to the integer 8: 1::numeric / 3 divided integers (0).
    assertThat(texts("SELECT 8::numeric, CAST(8 AS numeric) + 0, 1::numeric / 3, CAST(-1 AS numeric) / 3").toString())
        .isEqualTo("[[8, 8, 0.33333333333333333333, -0.33333333333333333333]]");
    assertThat(rows("SELECT 8::numeric").get(0).get(0)).isInstanceOf(BigDecimal.class);
    assertThat(texts("SELECT 8::numeric * 2, 8::numeric + 1.5, (1 + 2)::numeric, '8'::numeric, '8.50'::numeric, "
        + "2.50::numeric * 2, 10000000000000000000000::numeric, 8::numeric(5,2), 1.5::numeric::integer").toString())
        .isEqualTo("[[16, 9.5, 3, 8, 8.50, 5.00, 10000000000000000000000, 8.00, 2]]");
  }

  @Test
  void aFloatCastToNumericHasPostgresDigits() throws Exception {
    // float8_numeric prints with 15 significant digits (%g), float4_numeric with 6
    assertThat(texts("SELECT 1000::float8::numeric, 0.1::float8::numeric, 1e20::float8::numeric, "
        + "1.5e-7::float8::numeric, 123456789.123456789::float8::numeric, 0.1::float4::numeric, "
        + "3.14159274::float4::numeric, 0::float8::numeric, -2.5::float8::numeric").toString())
        .isEqualTo("[[1000, 0.1, 100000000000000000000, 0.00000015, 123456789.123457, 0.1, 3.14159, 0, -2.5]]");
    run("CREATE TABLE f (id int PRIMARY KEY, d float8)");
    run("INSERT INTO f VALUES (1, 1000), (2, 0.1), (3, 1e20)");
    assertThat(texts("SELECT d::numeric FROM f ORDER BY id").toString())
        .isEqualTo("[[1000], [0.1], [100000000000000000000]]");
  }

  @Test
  void arithmeticAndAggregatesOverStoredValues() throws Exception {
    run("INSERT INTO n (id, x) VALUES (1, 11), (2, 9.5), (3, 2.0), (4, 5.00), (5, -3), (6, 4.10)");
    assertThat(texts("SELECT x + 1, x - x, x * 2, -x, abs(x), round(x), x % 3 FROM n ORDER BY id").toString())
        .isEqualTo("[[12, 0, 22, -11, 11, 11, 2], [10.5, 0.0, 19.0, -9.5, 9.5, 10, 0.5], [3.0, 0.0, 4.0, -2.0, 2.0, 2, 2.0], "
            + "[6.00, 0.00, 10.00, -5.00, 5.00, 5, 2.00], [-2, 0, -6, 3, 3, -3, 0], [5.10, 0.00, 8.20, -4.10, 4.10, 4, 1.10]]");
    assertThat(texts("SELECT sum(x), avg(x), min(x), max(x) FROM n").toString())
        .isEqualTo("[[28.60, 4.7666666666666667, -3, 11]]");
  }
}
