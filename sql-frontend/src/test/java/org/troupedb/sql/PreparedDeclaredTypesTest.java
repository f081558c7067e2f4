package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PREPARE's declared parameter types type the parameters, as in PostgreSQL, whatever the context
 * would infer (issue 14: {@code PREPARE p(numeric) AS SELECT $1*2; EXECUTE p(1.25)} answered 2).
 * The expected values are PostgreSQL 15's (node's {@code compat/sessions.sql} diffs them).
 */
class PreparedDeclaredTypesTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = SessionRunner.newSession();
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void aDeclaredNumericIsNotTheOtherOperandsInteger() throws Exception {
    run("PREPARE p(numeric) AS SELECT $1*2");
    assertThat(rows("EXECUTE p(1.25)")).containsExactly(List.of(new BigDecimal("2.50")));
    run("PREPARE pn2(numeric) AS SELECT $1 / 2");
    assertThat(((BigDecimal) rows("EXECUTE pn2(5)").get(0).get(0)).compareTo(new BigDecimal("2.5"))).isZero();
  }

  @Test
  void aDeclaredNumericKeepsItsScaleAgainstANumericColumn() throws Exception {
    run("CREATE TABLE m (id INT PRIMARY KEY, v NUMERIC(5,2))");
    run("INSERT INTO m VALUES (1, 1.23)");
    run("PREPARE q(numeric) AS SELECT id FROM m WHERE v = $1");
    assertThat(rows("EXECUTE q(1.234)")).isEmpty(); // PostgreSQL: 1.23 = 1.234 is false
    assertThat(rows("EXECUTE q(1.23)")).containsExactly(List.of(1));
    run("INSERT INTO m VALUES (2, 5.00)");
    run("PREPARE k(numeric) AS SELECT id FROM m WHERE id = $1"); // a primary-key get
    assertThat(rows("EXECUTE k(1.5)")).isEmpty(); // not rounded to the int key 2
    assertThat(rows("EXECUTE k(2)")).containsExactly(List.of(2));
    run("PREPARE k8(bigint) AS SELECT id, v FROM m WHERE id = $1");
    assertThat(rows("EXECUTE k8(3000000000)")).isEmpty(); // PostgreSQL: no row, not 22003
    assertThat(rows("EXECUTE k8(1)")).containsExactly(List.of(1, new BigDecimal("1.23")));
  }

  @Test
  void declaredIntegersRoundTheirArguments() throws Exception {
    run("PREPARE pi(int) AS SELECT $1*2, $1");
    assertThat(rows("EXECUTE pi(1.7)")).containsExactly(List.of(4, 2));
    assertThat(rows("EXECUTE pi(2.5)")).containsExactly(List.of(6, 3));
    assertThat(rows("EXECUTE pi('3')")).containsExactly(List.of(6, 3));
    run("PREPARE pbig(bigint) AS SELECT $1 * 2");
    assertThat(rows("EXECUTE pbig(3000000000)")).containsExactly(List.of(6000000000L));
    run("PREPARE pi2(int) AS SELECT $1 / 2");
    assertThat(rows("EXECUTE pi2(5)")).containsExactly(List.of(2));
  }

  @Test
  void otherDeclaredTypes() throws Exception {
    run("PREPARE pt(text) AS SELECT $1 || 'x', length($1)");
    assertThat(rows("EXECUTE pt('ab')")).containsExactly(List.of("abx", 2));
    assertThat(rows("EXECUTE pt(12)")).containsExactly(List.of("12x", 2));
    run("PREPARE pd(date) AS SELECT $1 + 1, $1");
    assertThat(rows("EXECUTE pd('2024-02-28')"))
        .containsExactly(List.of(LocalDate.of(2024, 2, 29), LocalDate.of(2024, 2, 28)));
    run("PREPARE pb(bool) AS SELECT NOT $1, $1");
    assertThat(rows("EXECUTE pb(true)")).containsExactly(List.of(false, true));
    assertThat(rows("EXECUTE pb('t')")).containsExactly(List.of(false, true));
    run("PREPARE pf(float8) AS SELECT $1 * 2");
    assertThat(rows("EXECUTE pf(1.5)")).containsExactly(List.of(3.0));
  }

  @Test
  void aDeclaredNumericsTypmodIsDropped() throws Exception {
    // PostgreSQL keeps no typmod for a parameter: numeric(5,2) reads 1.234 and 12345.678 unrounded.
    run("PREPARE pn(numeric(5,2)) AS SELECT $1, $1*2");
    assertThat(rows("EXECUTE pn(1.234)")).containsExactly(List.of(new BigDecimal("1.234"), new BigDecimal("2.468")));
    assertThat(rows("EXECUTE pn(12345.678)"))
        .containsExactly(List.of(new BigDecimal("12345.678"), new BigDecimal("24691.356")));
  }
}
