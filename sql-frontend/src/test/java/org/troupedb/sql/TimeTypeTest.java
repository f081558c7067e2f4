package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.internal.types.PgTime;
import org.troupedb.testkit.InMemoryTxnService;

/** The time type in process: input forms, storage, keys, parameters, extract (TypesIT diffs it with PostgreSQL). */
class TimeTypeTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void inputAndOutputFormsAsTimeInAndOut() throws Exception {
    assertThat(PgTime.parse("04:05")).isEqualTo(14_700_000);
    assertThat(PgTime.parse(" 4:05:06.5 ")).isEqualTo(14_706_500);
    assertThat(PgTime.parse("040506")).isEqualTo(14_706_000);
    assertThat(PgTime.parse("4:05 PM")).isEqualTo(PgTime.parse("16:05"));
    assertThat(PgTime.parse("12:00 am")).isZero();
    assertThat(PgTime.format(14_706_500)).isEqualTo("04:05:06.5");
    assertThat(PgTime.format(0)).isEqualTo("00:00:00");
    assertThatThrownBy(() -> PgTime.parse("nope")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_DATETIME_FORMAT);
      assertThat(e.getMessage()).isEqualTo("invalid input syntax for type time: \"nope\"");
    });
    assertThatThrownBy(() -> PgTime.parse("25:00")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.DATETIME_FIELD_OVERFLOW));
  }

  @Test
  void columnsKeysParametersAndExtract() throws Exception {
    rows("CREATE TABLE tt (t time PRIMARY KEY, n int, u time without time zone)");
    rows("INSERT INTO tt VALUES ('04:05:06.5', 1, '23:59:59'), ('00:00', 2, NULL), ('16:05', 3, '4:05 PM')");
    assertThat(rows("SELECT t FROM tt ORDER BY t")).extracting(r -> r.get(0))
        .containsExactly(LocalTime.of(0, 0), LocalTime.of(4, 5, 6, 500_000_000), LocalTime.of(16, 5));
    assertThat(rows("SELECT n FROM tt WHERE t = $1", LocalTime.of(16, 5))).containsExactly(List.of(3));
    assertThat(rows("SELECT n FROM tt WHERE t > '04:05:06' AND t < u ORDER BY n")).containsExactly(List.of(1));
    assertThat(rows("SELECT t::text FROM tt WHERE n = 1")).containsExactly(List.of("04:05:06.5"));
    assertThat(rows("SELECT extract(hour FROM t), extract(second FROM t), extract(epoch FROM t) FROM tt WHERE n = 1"))
        .containsExactly(List.of(new BigDecimal("4"), new BigDecimal("6.500000"), new BigDecimal("14706.500000")));
    assertThat(rows("SELECT '4:05 PM'::time, CAST('040506' AS time)").get(0))
        .containsExactly(LocalTime.of(16, 5), LocalTime.of(4, 5, 6));
    assertThat(rows("SELECT date '2024-05-06' + t, t + date '2024-05-06' FROM tt WHERE n = 1").get(0)).containsOnly(
        java.time.LocalDateTime.of(2024, 5, 6, 4, 5, 6, 500_000_000));
    assertThat(rows("SELECT u - t, t - u FROM tt WHERE n = 1").get(0)) // 23:59:59 - 04:05:06.5
        .containsExactly(new Interval(0, 0, 71_692_500_000L), new Interval(0, 0, -71_692_500_000L));
    rows("UPDATE tt SET u = $1 WHERE n = 2", LocalTime.of(1, 2, 3));
    assertThat(rows("SELECT u FROM tt WHERE n = 2")).containsExactly(List.of(LocalTime.of(1, 2, 3)));
    assertThat(run("SELECT t FROM tt LIMIT 1").columns().get(0).type()).isEqualTo(PgType.TIME);
    assertThatThrownBy(() -> rows("SELECT 'nope'::time")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_DATETIME_FORMAT));
    assertThatThrownBy(() -> rows("CREATE TABLE tz (t time with time zone)")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED));
    for (String sql : List.of("SELECT '04:05+02'::timetz", "SELECT '<a/>'::xml", "SELECT CAST('::1' AS inet)")) {
      assertThatThrownBy(() -> rows(sql)).as(sql).isInstanceOfSatisfying(SqlException.class, e -> {
        assertThat(e.sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
        assertThat(e.getMessage()).matches("type (timetz|xml|inet) is not supported");
      });
    }
  }
}
