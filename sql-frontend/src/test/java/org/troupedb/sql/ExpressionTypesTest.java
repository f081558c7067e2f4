package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** Issue-2 type and expression fixes, in process (TypesIT compares the same with PostgreSQL). */
class ExpressionTypesTest implements SessionRunner {
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
  void timestampsKeepMicroseconds() throws Exception {
    rows("CREATE TABLE t (k TIMESTAMP PRIMARY KEY, tz TIMESTAMPTZ, txt TEXT)");
    rows("INSERT INTO t VALUES ('2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.654321+00', '2024-01-01 00:00:00.000001'),"
        + " (TIMESTAMP '2024-01-02 03:04:05.123457', NULL, NULL)");
    LocalDateTime k1 = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
    assertThat(rows("SELECT k, tz, txt::timestamp FROM t ORDER BY k").get(0)).containsExactly(k1,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 654_321_000, ZoneOffset.UTC), LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000));
    assertThat(rows("SELECT count(*) FROM t WHERE k = '2024-01-02 03:04:05.123456'").get(0).get(0)).isEqualTo(1L);
    assertThat(rows("SELECT count(*) FROM t WHERE k > $1", k1).get(0).get(0)).isEqualTo(1L);
    assertThat(rows("SELECT k::text, max(k) OVER () = k FROM t ORDER BY k DESC").get(0))
        .containsExactly("2024-01-02 03:04:05.123457", true);
    assertThat(rows("SELECT '2024-01-02 03:04:05.123456'::timestamp + INTERVAL '1' DAY").get(0).get(0))
        .isEqualTo(LocalDateTime.of(2024, 1, 3, 3, 4, 5, 123_000_000)); // NB: arithmetic is milliseconds (README)
    assertThat(rows("SELECT extract(year FROM k), k::date FROM t ORDER BY k").get(0).get(0))
        .isEqualTo(new BigDecimal("2024"));
  }

  @Test
  void isoTextAndHexByteaCastAsInPostgres() throws Exception {
    // psycopg2 sends datetimes as '…T…'::timestamp and bytes as '\x…'::bytea.
    assertThat(rows("SELECT '2024-05-06T07:08:09'::timestamp, '2024-05-06T07:08:09'::date").get(0))
        .containsExactly(LocalDateTime.of(2024, 5, 6, 7, 8, 9), java.time.LocalDate.of(2024, 5, 6));
    assertThat(rows("SELECT '2024-05-06T07:08:09.5+02:00'::timestamptz").get(0).get(0))
        .isEqualTo(OffsetDateTime.of(2024, 5, 6, 5, 8, 9, 500_000_000, ZoneOffset.UTC));
    assertThat((byte[]) rows("SELECT '\\x0001ff'::bytea").get(0).get(0)).containsExactly(0, 1, 0xff);
    assertThat(rows("SELECT TIMESTAMP '2024-01-01 10:00', timestamp '2024-05-06T07:08:09.5'").get(0))
        .containsExactly(LocalDateTime.of(2024, 1, 1, 10, 0), LocalDateTime.of(2024, 5, 6, 7, 8, 9, 500_000_000));
    rows("CREATE TABLE bt (id INT PRIMARY KEY, b BYTEA, ts TIMESTAMP)");
    rows("INSERT INTO bt VALUES (1, '\\x0001ff'::bytea, '2024-05-06T07:08:09'::timestamp)");
    List<Object> row = rows("SELECT b, ts FROM bt").get(0);
    assertThat((byte[]) row.get(0)).containsExactly(0, 1, 0xff);
    assertThat(row.get(1)).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
  }

  @Test
  void timestamptzTextIsReadInTheSessionZone() throws Exception {
    rows("CREATE TABLE z (id INT PRIMARY KEY, txt TEXT)");
    rows("INSERT INTO z VALUES (1, '2024-01-01 10:00'), (2, '2024-01-01 10:00+01')");
    rows("SET TIME ZONE '+05:30'"); // POSIX: 5:30 west of UTC
    assertThat(rows("SELECT txt::timestamptz FROM z ORDER BY id")).extracting(r -> r.get(0)).containsExactly(
        OffsetDateTime.of(2024, 1, 1, 15, 30, 0, 0, ZoneOffset.UTC), OffsetDateTime.of(2024, 1, 1, 9, 0, 0, 0, ZoneOffset.UTC));
    assertThat(rows("SELECT '2024-01-01 10:00'::timestamptz, TIMESTAMPTZ '2024-01-01 10:00'").get(0))
        .containsOnly(OffsetDateTime.of(2024, 1, 1, 15, 30, 0, 0, ZoneOffset.UTC));
    rows("SET TimeZone = 'Asia/Kolkata'");
    assertThat(rows("SHOW TimeZone").get(0).get(0)).isEqualTo("Asia/Kolkata");
    assertThat(rows("SELECT txt::timestamptz FROM z WHERE id = $1", 1).get(0).get(0))
        .isEqualTo(OffsetDateTime.of(2024, 1, 1, 4, 30, 0, 0, ZoneOffset.UTC));
    assertThat(TimeZoneSetting.zone("UTC+3")).isEqualTo(ZoneOffset.ofHours(-3));
    assertThat(TimeZoneSetting.zone("<+02>-02")).isEqualTo(ZoneOffset.ofHours(2));
    assertThatThrownBy(() -> rows("SELECT 'nope'::text::timestamptz"))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22007"));
  }

  @Test
  void numericMixesWithIntegerTypes() throws Exception {
    rows("CREATE TABLE n (id INT PRIMARY KEY, x BIGINT, y NUMERIC(10,2))");
    rows("INSERT INTO n VALUES (1, 10, 1.50), (2, 20, 2.25)");
    assertThat(rows("SELECT y + (SELECT sum(x) FROM n) FROM n ORDER BY id").get(0).get(0))
        .isEqualTo(new BigDecimal("31.50"));
    assertThat(rows("SELECT avg(x) + y, x::numeric FROM n GROUP BY x, y ORDER BY 1").get(0))
        .containsExactly(new BigDecimal("11.5000000000000000"), new BigDecimal("10"));
    assertThat(rows("SELECT 123.456::numeric(6,2), extract(dow FROM DATE '2024-05-19')").get(0))
        .containsExactly(new BigDecimal("123.46"), BigDecimal.ZERO);
    assertThat(rows("SELECT '1.5'::numeric, ' -2.50 '::numeric, '1.5'::numeric(5,2)").get(0))
        .containsExactly(new BigDecimal("1.5"), new BigDecimal("-2.50"), new BigDecimal("1.50"));
    assertThatThrownBy(() -> rows("SELECT 99999::smallint")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("22003");
      assertThat(e.getMessage()).isEqualTo("smallint out of range");
    });
    rows("CREATE TABLE b (id INT PRIMARY KEY, t TEXT, f BOOLEAN)");
    rows("INSERT INTO b VALUES (1, ' on ', true)");
    assertThat(rows("SELECT t::boolean, 'no'::bool, f::text, true::text FROM b").get(0))
        .containsExactly(true, false, "true", "true");
  }

  @Test
  void untypedParametersAreText() throws Exception {
    Prepared p = s.prepare(s.parse("SELECT $1, $2 || 'x', $3::int + 1").get(0), List.of());
    assertThat(p.parameterTypes()).containsExactly(PgType.TEXT, PgType.TEXT, PgType.INT4);
    assertThat(s.execute(p, Arrays.asList("a", "b", 41)).rows().next()).containsExactly("a", "bx", 42);
  }
}
