package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.internal.types.PgIntervalMath;
import org.troupedb.sql.internal.types.PgIntervalText;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * interval in process: input forms, output, the internal text's order, arithmetic as PostgreSQL's
 * timestamp.c, columns and parameters (IntervalIT diffs {@code compat/interval.sql} with PostgreSQL 15).
 */
class IntervalTypeTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private static String roundTrip(String text) throws SqlException {
    return PgIntervalText.format(PgIntervalText.parse(text));
  }

  @Test
  void inputFormsAndPostgresStyleOutput() throws Exception {
    assertThat(PgIntervalText.parse("1 year 2 mons 3 days 04:05:06.5")).isEqualTo(new Interval(14, 3, 14_706_500_000L));
    assertThat(roundTrip("1 day")).isEqualTo("1 day");
    assertThat(roundTrip("2 hours 30 minutes")).isEqualTo("02:30:00");
    assertThat(roundTrip("P1Y2M3DT4H5M6S")).isEqualTo("1 year 2 mons 3 days 04:05:06");
    assertThat(roundTrip("-1 day +02:00")).isEqualTo("-1 days +02:00:00");
    assertThat(roundTrip("@ 1 day 2 hours ago")).isEqualTo("-1 days -02:00:00");
    assertThat(roundTrip("1.5 months")).isEqualTo("1 mon 15 days");
    assertThat(roundTrip("1 12:00:00")).isEqualTo("1 day 12:00:00");
    assertThat(roundTrip("1-2")).isEqualTo("1 year 2 mons");
    assertThat(roundTrip("10d")).isEqualTo("10 days");
    assertThat(roundTrip("-14 mons")).isEqualTo("-1 years -2 mons");
    assertThat(roundTrip("0")).isEqualTo("00:00:00");
    assertThatThrownBy(() -> PgIntervalText.parse("1 fortnight")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_DATETIME_FORMAT);
      assertThat(e.getMessage()).isEqualTo("invalid input syntax for type interval: \"1 fortnight\"");
    });
    assertThatThrownBy(() -> PgIntervalText.parse("10:60")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.INTERVAL_FIELD_OVERFLOW));
  }

  @Test
  void internalTextOrdersAsPostgresComparesAndKeepsTheParts() throws Exception {
    List<String> texts = List.of("-3 hours", "1 day 02:00:00", "2 days", "1 mon", "1 year", "-1 years", "25 hours");
    List<String> sorted = texts.stream().map(t -> {
      try {
        return PgIntervalText.encode(PgIntervalText.parse(t));
      } catch (SqlException e) {
        throw new AssertionError(e);
      }
    }).sorted().map(e -> {
      try {
        return PgIntervalText.format(PgIntervalText.decode(e));
      } catch (SqlException x) {
        throw new AssertionError(x);
      }
    }).toList();
    assertThat(sorted).containsExactly("-1 years", "-03:00:00", "25:00:00", "1 day 02:00:00", "2 days", "1 mon", "1 year");
    assertThat(PgIntervalText.cmpValue(new Interval(1, 0, 0))).isEqualTo(PgIntervalText.cmpValue(new Interval(0, 30, 0)));
    Interval extreme = new Interval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);
    assertThat(PgIntervalText.decode(PgIntervalText.encode(extreme))).isEqualTo(extreme);
  }

  @Test
  void arithmeticAsPostgres() throws Exception {
    assertThat(PgIntervalText.format(PgIntervalMath.times(PgIntervalText.parse("1 day 2 hours"), 1.5)))
        .isEqualTo("1 day 15:00:00");
    assertThat(PgIntervalText.format(PgIntervalMath.divide(PgIntervalText.parse("1 mon"), 4))).isEqualTo("7 days 12:00:00");
    assertThat(PgIntervalText.format(PgIntervalMath.justifyInterval(PgIntervalText.parse("1 mon -1 hour"))))
        .isEqualTo("29 days 23:00:00");
    assertThat(PgIntervalText.format(PgIntervalMath.justifyDays(PgIntervalText.parse("-35 days"))))
        .isEqualTo("-1 mons -5 days");
    long jan31 = java.time.LocalDateTime.of(2024, 1, 31, 10, 0).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;
    long feb29 = java.time.LocalDateTime.of(2024, 2, 29, 10, 0).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;
    assertThat(PgIntervalMath.plusTimestamp(jan31, new Interval(1, 0, 0))).isEqualTo(feb29);
    long a = java.time.LocalDateTime.of(2024, 3, 15, 10, 0).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;
    long b = java.time.LocalDateTime.of(2023, 1, 20, 12, 30).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;
    assertThat(PgIntervalText.format(PgIntervalMath.age(a, b))).isEqualTo("1 year 1 mon 25 days 21:30:00");
    assertThat(PgIntervalText.format(PgIntervalMath.age(b, a))).isEqualTo("-1 years -1 mons -25 days -21:30:00");
  }

  @Test
  void columnsParametersAndOperators() throws Exception {
    run("CREATE TABLE ti (id int PRIMARY KEY, d interval)");
    run("INSERT INTO ti VALUES (1, '1 mon'), (2, '30 days'), (3, NULL), (4, $1)", new Interval(0, 1, 3_600_000_000L));
    assertThat(rows("SELECT id, d FROM ti ORDER BY d, id")).containsExactly(List.of(4, new Interval(0, 1, 3_600_000_000L)),
        List.of(1, new Interval(1, 0, 0)), List.of(2, new Interval(0, 30, 0)), java.util.Arrays.asList(3, null));
    assertThat(rows("SELECT id FROM ti WHERE d = $1 ORDER BY id", new Interval(0, 30, 0)))
        .containsExactly(List.of(1), List.of(2));
    assertThat(rows("SELECT (d + interval '1 day')::text, (d * 2)::text FROM ti WHERE id = 4"))
        .containsExactly(List.of("2 days 01:00:00", "2 days 02:00:00"));
    assertThat(rows("SELECT (timestamp '2024-01-31' + d)::text FROM ti WHERE id = 1"))
        .containsExactly(List.of("2024-02-29 00:00:00"));
    assertThat(rows("SELECT sum(d)::text, avg(d)::text FROM ti")).containsExactly(List.of("1 mon 31 days 01:00:00",
        "20 days 08:20:00")); // as PostgreSQL 15: interval_div cascades the month
    assertThatThrownBy(() -> run("CREATE TABLE tk (d interval PRIMARY KEY)")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED));
    assertThatThrownBy(() -> rows("SELECT interval '1 day' + 1")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.UNDEFINED_FUNCTION));
    assertThatThrownBy(() -> rows("SELECT CAST(id AS interval) FROM ti")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.getMessage()).isEqualTo("cannot cast type integer to interval"));
  }
}
