package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

class TypesTest implements SessionRunner {
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
  void everyColumnTypeRoundTripsThroughParametersAsItsJavaClass() throws Exception {
    run("CREATE TABLE all_types (k INT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER, l BIGINT, r REAL,"
        + " d DOUBLE PRECISION, n NUMERIC(8,3), v VARCHAR(5), c CHAR(3), t TEXT, dt DATE, ts TIMESTAMP,"
        + " tz TIMESTAMPTZ, bin BYTEA)");
    LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000);
    OffsetDateTime tz = OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2));
    Prepared ins = s.prepare(s.parse("INSERT INTO all_types VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        + " $11, $12, $13, $14, $15)").get(0), List.of());
    // Character parameters are reported as text (length is checked when the value is stored).
    assertThat(ins.parameterTypes()).containsExactly(PgType.INT4, PgType.BOOL, PgType.INT2, PgType.INT4,
        PgType.INT8, PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.TEXT, PgType.TEXT, PgType.TEXT,
        PgType.DATE, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.BYTEA);
    s.execute(ins, Arrays.asList(1, true, (short) 7, 42, 1L << 40, 1.5f, 2.25, new BigDecimal("12.3456"), "abc",
        "x", "text", LocalDate.of(2020, 2, 3), ts, tz, new byte[] {1, 0, 2}));
    s.execute(ins, Arrays.asList(2, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null));
    StatementResult r = run("SELECT b, s, i, l, r, d, n, v, c, t, dt, ts, tz, bin FROM all_types ORDER BY k");
    assertThat(r.columns()).extracting(ColumnInfo::type).containsExactly(PgType.BOOL, PgType.INT2, PgType.INT4,
        PgType.INT8, PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.VARCHAR, PgType.BPCHAR, PgType.TEXT,
        PgType.DATE, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.BYTEA);
    assertThat(r.columns().get(8).typeModifier()).isEqualTo(7);
    var it = r.rows();
    Object[] row = it.next();
    assertThat(Arrays.copyOf(row, 13)).containsExactly(true, (short) 7, 42, 1L << 40, 1.5f, 2.25,
        new BigDecimal("12.346"), "abc", "x  ", "text", LocalDate.of(2020, 2, 3), ts,
        tz.withOffsetSameInstant(ZoneOffset.UTC));
    assertThat((byte[]) row[13]).containsExactly(1, 0, 2);
    assertThat(it.next()).containsOnlyNulls();
  }

  @Test
  void insertSelectAndLiteralsOfEveryKind() throws Exception {
    run("CREATE TABLE src (id INT PRIMARY KEY, x NUMERIC, d DATE)");
    run("INSERT INTO src VALUES (1, 1.5, '2020-01-01'), (2, 2, '2021-12-31')");
    run("CREATE TABLE dst (id BIGINT PRIMARY KEY, x NUMERIC, d DATE)");
    assertThat(run("INSERT INTO dst SELECT id * 10, x * 2, d FROM src").commandTag()).isEqualTo("INSERT 0 2");
    var rows = run("SELECT id, x, d FROM dst ORDER BY id").rows();
    Object[] first = rows.next();
    assertThat(first[0]).isEqualTo(10L);
    assertThat(((BigDecimal) first[1]).compareTo(new BigDecimal("3"))).isZero();
    assertThat(first[2]).isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(rows.next()[2]).isEqualTo(LocalDate.of(2021, 12, 31));
  }

  @Test
  void emptyAndMultiStatementQueries() throws Exception {
    assertThat(s.parse("")).isEmpty();
    assertThat(s.parse("  ;  ; ")).isEmpty();
    List<Statement> sts = s.parse("CREATE TABLE m (a INT); INSERT INTO m VALUES (1); SELECT a FROM m");
    assertThat(sts).extracting(Statement::commandTag).containsExactly("CREATE TABLE", "INSERT", "SELECT");
    StatementResult last = null;
    for (Statement st : sts) {
      last = s.execute(s.prepare(st, List.of()), List.of());
    }
    assertThat(last.commandTag()).isEqualTo("SELECT 1");
  }
}
