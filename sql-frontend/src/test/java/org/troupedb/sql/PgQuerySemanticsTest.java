package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** Query results that must match PostgreSQL's: ordering, column names, numeric and date results. */
class PgQuerySemanticsTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    SqlEngine engine = TroupeSqlEngine.create(new InMemoryTxnService());
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE customers (id INT PRIMARY KEY, name TEXT NOT NULL, city TEXT)");
    run("CREATE INDEX customers_city_idx ON customers (city, name)");
    run("INSERT INTO customers VALUES (1, 'Ann', 'Berlin'), (2, 'Bob', 'Paris'), (3, 'Cat', 'Berlin'),"
        + " (4, 'Dan', 'Munich'), (5, 'Eve', 'Rome'), (6, 'Fay', NULL)");
    run("CREATE TABLE orders (customer_id INT NOT NULL, order_no INT NOT NULL, status TEXT NOT NULL,"
        + " PRIMARY KEY (customer_id, order_no))");
    run("INSERT INTO orders VALUES (1, 1, 'shipped'), (1, 2, 'new'), (2, 1, 'shipped'), (3, 1, 'new'),"
        + " (5, 1, 'paid')");
    run("CREATE TABLE lines (customer_id INT NOT NULL, order_no INT NOT NULL, line_no SMALLINT NOT NULL,"
        + " qty INT NOT NULL, PRIMARY KEY (customer_id, order_no, line_no))");
    run("INSERT INTO lines VALUES (1, 1, 1, 10), (1, 1, 2, 6), (1, 2, 1, 1), (2, 1, 1, 3), (2, 1, 2, 1),"
        + " (2, 1, 3, 2), (5, 1, 1, 1)");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private List<Object> column(String sql) throws SqlException {
    List<Object> out = new ArrayList<>();
    for (List<Object> row : rows(sql)) {
      out.add(row.get(0));
    }
    return out;
  }

  @Test
  void orderByIsHonouredWhenItSortsTheOutputColumns() throws Exception {
    assertThat(column("SELECT DISTINCT city FROM customers WHERE city IS NOT NULL ORDER BY city"))
        .containsExactly("Berlin", "Munich", "Paris", "Rome");
    assertThat(rows("SELECT city, count(*) FROM customers WHERE city IS NOT NULL GROUP BY city ORDER BY city"))
        .containsExactly(List.of("Berlin", 2L), List.of("Munich", 1L), List.of("Paris", 1L), List.of("Rome", 1L));
    assertThat(column("SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT 'Paris' ORDER BY 1"))
        .containsExactly("Berlin", "Munich", "Paris", "Rome");
    assertThat(column("SELECT customer_id FROM orders UNION ALL SELECT id FROM customers WHERE id > 3 ORDER BY 1"))
        .containsExactly(1, 1, 2, 3, 4, 5, 5, 6);
    assertThat(rows("SELECT DISTINCT customer_id, status FROM orders ORDER BY customer_id, status"))
        .containsExactly(List.of(1, "new"), List.of(1, "shipped"), List.of(2, "shipped"), List.of(3, "new"),
            List.of(5, "paid"));
    assertThat(column("SELECT name, city FROM customers ORDER BY city DESC NULLS LAST, name"))
        .containsExactly("Eve", "Bob", "Dan", "Ann", "Cat", "Fay");
    assertThat(column("SELECT name FROM customers ORDER BY city NULLS FIRST, name DESC"))
        .containsExactly("Fay", "Cat", "Ann", "Dan", "Bob", "Eve");
    assertThat(rows("SELECT o.customer_id, o.order_no, l.line_no FROM orders o"
        + " JOIN lines l ON l.customer_id = o.customer_id AND l.order_no = o.order_no"
        + " ORDER BY o.customer_id, o.order_no, l.line_no"))
        .containsExactly(List.of(1, 1, (short) 1), List.of(1, 1, (short) 2), List.of(1, 2, (short) 1),
            List.of(2, 1, (short) 1), List.of(2, 1, (short) 2), List.of(2, 1, (short) 3), List.of(5, 1, (short) 1));
    assertThat(column("SELECT t.city FROM (SELECT city, count(*) AS n FROM customers GROUP BY city) AS t"
        + " WHERE t.n >= 1 AND t.city IS NOT NULL ORDER BY t.city"))
        .containsExactly("Berlin", "Munich", "Paris", "Rome");
    assertThat(column("SELECT id FROM customers ORDER BY id DESC LIMIT 3")).containsExactly(6, 5, 4);
  }

  private List<String> names(String sql) throws SqlException {
    List<String> out = new ArrayList<>();
    for (ColumnInfo c : run(sql).columns()) {
      out.add(c.name());
    }
    return out;
  }

  @Test
  void unaliasedColumnsAreNamedLikePostgres() throws Exception {
    assertThat(names("SELECT min(id), max(id), count(*), sum(id), avg(id), id, c.name, name AS n"
        + " FROM customers c GROUP BY id, name"))
        .containsExactly("min", "max", "count", "sum", "avg", "id", "name", "n");
    assertThat(names("SELECT upper(name), coalesce(city, 'x'), nullif(1, 2), CASE WHEN id = 1 THEN 1 END,"
        + " (SELECT count(*) FROM orders), EXTRACT(YEAR FROM DATE '2024-01-01') FROM customers"))
        .containsExactly("upper", "coalesce", "nullif", "case", "count", "extract");
    assertThat(names("SELECT CAST(id AS TEXT), id::BIGINT, CAST(7 AS TEXT), '12.5'::NUMERIC(5, 2),"
        + " CAST('42' AS INTEGER), CAST(2.5 AS DOUBLE PRECISION), 'abc'::VARCHAR(2), 1::BOOLEAN FROM customers"))
        .containsExactly("id", "id", "text", "numeric", "int4", "float8", "varchar", "bool");
    assertThat(names("SELECT 1, 2 + 3, id IS NULL, name || 'x', TRUE, DATE '2024-01-01' FROM customers"))
        .containsExactly("?column?", "?column?", "?column?", "?column?", "bool", "date");
    assertThat(names("SELECT 1 UNION SELECT 2 ORDER BY 1")).containsExactly("?column?");
    assertThat(names("SELECT count(*) FROM customers UNION ALL SELECT 1")).containsExactly("count");
    assertThat(names("SELECT * FROM customers")).containsExactly("id", "name", "city");
  }

  @Test
  void integerOverflowRaisesOutOfRange() throws Exception {
    assertThatThrownBy(() -> rows("SELECT 2147483647 + 1")).isInstanceOf(SqlException.class)
        .hasMessage("integer out of range")
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo("22003"));
    assertThatThrownBy(() -> rows("SELECT id * 2147483647 FROM customers")).hasMessage("integer out of range");
    assertThatThrownBy(() -> rows("SELECT 9223372036854775807 + 1")).hasMessage("bigint out of range");
    assertThatThrownBy(() -> rows("SELECT -9223372036854775807 - 2")).hasMessage("bigint out of range");
    assertThatThrownBy(() -> rows("SELECT CAST(32767 AS SMALLINT) + CAST(1 AS SMALLINT)"))
        .hasMessage("smallint out of range");
    assertThat(rows("SELECT -2147483648::BIGINT - 1, 7 / 2, -7 % 3, 2 + 3 * 4"))
        .containsExactly(List.of(-2147483649L, 3, -1, 14));
  }

  @Test
  void numericResultsMatchPostgres() throws Exception {
    // select_div_scale: at least 16 significant digits
    assertThat(rows("SELECT 7.0 / 2, 7 / 2.0, 10.000 / 4, 1 / 3.0, 1.0 / 8").get(0).stream().map(String::valueOf)
        .toList()).containsExactly("3.5000000000000000", "3.5000000000000000", "2.5000000000000000",
            "0.33333333333333333333", "0.12500000000000000000");
    assertThat(one("SELECT avg(qty) FROM lines").toString()).isEqualTo("3.4285714285714286");
    assertThat(one("SELECT round(avg(qty), 2) FROM lines").toString()).isEqualTo("3.43");
    // numeric to integer rounds half away from zero, float to integer half to even (rint)
    assertThat(rows("SELECT CAST(3.7 AS INTEGER), CAST(-2.5 AS INTEGER), 2.5::SMALLINT, CAST(2.5e0 AS INTEGER),"
        + " CAST(3.5e0 AS BIGINT), -3.5::INTEGER"))
        .containsExactly(List.of(4, -3, (short) 3, 2, 4L, -4));
    assertThat(rows("SELECT CAST(qty + 0.5 AS INTEGER), CAST(CAST(qty + 0.5 AS DOUBLE PRECISION) AS INTEGER)"
        + " FROM lines WHERE customer_id = 2 ORDER BY line_no"))
        .containsExactly(List.of(4, 4), List.of(2, 2), List.of(3, 2));
    // integer to boolean: non-zero is true
    assertThat(rows("SELECT 1::BOOLEAN, 0::BOOLEAN, CAST(2 AS BOOLEAN)")).containsExactly(List.of(true, false, true));
    assertThat(column("SELECT CAST(qty - 1 AS BOOLEAN) FROM lines WHERE customer_id = 2 ORDER BY line_no"))
        .containsExactly(true, false, true);
    assertThatThrownBy(() -> rows("SELECT 1.0 / 0")).hasMessage("division by zero");
  }

  private Object one(String sql) throws SqlException {
    return rows(sql).get(0).get(0);
  }

  @Test
  void dateArithmeticLikePostgres() throws Exception {
    run("CREATE TABLE ev (id INT PRIMARY KEY, placed DATE NOT NULL, ts TIMESTAMP)");
    run("INSERT INTO ev VALUES (1, DATE '2024-01-05', TIMESTAMP '2024-01-15 10:30:00'),"
        + " (2, DATE '2024-03-15', TIMESTAMP '1999-12-31 23:59:59.5')");
    assertThat(rows("SELECT placed + 30, 30 + placed, placed - 5, DATE '2024-03-01' - placed,"
        + " EXTRACT(YEAR FROM placed), EXTRACT(DAY FROM placed + 30) FROM ev ORDER BY id"))
        .containsExactly(
            List.of(LocalDate.of(2024, 2, 4), LocalDate.of(2024, 2, 4), LocalDate.of(2023, 12, 31), 56, new java.math.BigDecimal("2024"), new java.math.BigDecimal("4")),
            List.of(LocalDate.of(2024, 4, 14), LocalDate.of(2024, 4, 14), LocalDate.of(2024, 3, 10), -14, new java.math.BigDecimal("2024"),
                new java.math.BigDecimal("14"))); // extract is numeric, as in PostgreSQL
    StatementResult r = run("SELECT DATE '2024-03-01' - DATE '2024-01-01'");
    assertThat(r.columns().get(0).type()).isEqualTo(PgType.INT4);
    assertThat(rows("SELECT TIMESTAMP '2024-03-01 00:00:00' - TIMESTAMP '2024-02-28 12:00:00'"))
        .containsExactly(List.of(new Interval(0, 1, 12L * 3600 * 1_000_000)));
    assertThat(rows("SELECT ts + INTERVAL '1 day', date_trunc('month', ts), EXTRACT(HOUR FROM ts) FROM ev ORDER BY id"))
        .containsExactly(
            List.of(LocalDateTime.of(2024, 1, 16, 10, 30), LocalDateTime.of(2024, 1, 1, 0, 0), new java.math.BigDecimal("10")),
            List.of(LocalDateTime.of(2000, 1, 1, 23, 59, 59, 500_000_000), LocalDateTime.of(1999, 12, 1, 0, 0), new java.math.BigDecimal("23")));
    // ordinary arithmetic is untouched
    assertThat(rows("SELECT 1 + 2, 5 - 3, 1.5 - 1")).containsExactly(List.of(3, 2, new java.math.BigDecimal("0.5")));
  }

  @Test
  void timestampTzLiterals() throws Exception {
    run("CREATE TABLE tz (id INT PRIMARY KEY, tstz TIMESTAMPTZ)");
    run("INSERT INTO tz VALUES (1, TIMESTAMPTZ '2024-01-15 10:30:00+00'),"
        + " (2, TIMESTAMP WITH TIME ZONE '2000-01-01 01:00:00+02'), (3, timestamptz '1999-12-31 23:00:00.5')");
    java.time.OffsetDateTime y2k = java.time.OffsetDateTime.of(1999, 12, 31, 23, 0, 0, 0, java.time.ZoneOffset.UTC);
    assertThat(rows("SELECT tstz, CAST(tstz AS DATE) FROM tz ORDER BY id")).containsExactly(
        List.of(java.time.OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, java.time.ZoneOffset.UTC), LocalDate.of(2024, 1, 15)),
        List.of(y2k, LocalDate.of(1999, 12, 31)),
        List.of(y2k.plusNanos(500_000_000), LocalDate.of(1999, 12, 31)));
    assertThat(names("SELECT TIMESTAMPTZ '2024-01-15 10:30:00+00'")).containsExactly("timestamptz");
    assertThat(column("SELECT id FROM tz WHERE tstz < TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00' ORDER BY id"))
        .containsExactly(2, 3);
    assertThatThrownBy(() -> rows("SELECT TIMESTAMPTZ 'yesterday-ish'")).isInstanceOf(SqlException.class);
  }

  @Test
  void charColumnsDropTrailingBlanksInTextContexts() throws Exception {
    run("CREATE TABLE bp (id INT PRIMARY KEY, c CHAR(5), v VARCHAR(5))");
    run("INSERT INTO bp VALUES (1, 'ab', 'ab '), (2, 'abcde', 'x'), (3, NULL, NULL)");
    // SELECT c shows the stored, blank-padded value
    assertThat(column("SELECT c FROM bp ORDER BY id")).containsExactly("ab   ", "abcde", null);
    // || and length() see the value through the bpchar-to-text cast: trailing blanks dropped
    assertThat(rows("SELECT c || '|', length(c), char_length(c) FROM bp ORDER BY id")).containsExactly(
        List.of("ab|", 2, 2), List.of("abcde|", 5, 5), Arrays.asList(null, null, null));
    // octet_length(bpchar) counts the stored bytes, pads included (as in PostgreSQL)
    assertThat(column("SELECT octet_length(c) FROM bp WHERE id = 1 OR id = 2 ORDER BY id")).containsExactly(5, 5);
    assertThat(column("SELECT CAST(c AS TEXT) || '|' FROM bp WHERE id = 1 OR id = 2 ORDER BY id"))
        .containsExactly("ab|", "abcde|");
    assertThat(column("SELECT CAST(c AS VARCHAR(10)) FROM bp WHERE id = 1 OR id = 2 ORDER BY id"))
        .containsExactly("ab", "abcde");
    assertThat(column("SELECT upper(c) || '|' FROM bp WHERE id = 1 OR id = 2 ORDER BY id"))
        .containsExactly("AB|", "ABCDE|");
    assertThat(column("SELECT '|' || c || v || '|' FROM bp WHERE id = 1 OR id = 2 ORDER BY id"))
        .containsExactly("|abab |", "|abcdex|");
    // comparisons ignore the pad; literals and VARCHAR keep their blanks
    assertThat(column("SELECT id FROM bp WHERE c = 'ab'")).containsExactly(1);
    assertThat(column("SELECT id FROM bp WHERE c = 'ab   '")).containsExactly(1);
    assertThat(column("SELECT length(v) || ('a ' || 'b') FROM bp WHERE id = 1")).containsExactly("3a b");
  }

  @Test
  void multiRowInsertTypesEachValueAgainstItsColumn() throws Exception {
    run("CREATE TABLE all_types (id INTEGER PRIMARY KEY, b BOOLEAN, si SMALLINT, i INTEGER, bi BIGINT, r REAL,"
        + " d DOUBLE PRECISION, n NUMERIC(10, 2), vc VARCHAR(20), c CHAR(5), t TEXT, dt DATE, ts TIMESTAMP,"
        + " tstz TIMESTAMPTZ, bin BYTEA)");
    run("INSERT INTO all_types VALUES"
        + " (1, TRUE, 1, 10, 10000000000, 1.5, 2.25, 12.34, 'hello', 'ab', 'some text',"
        + "  DATE '2024-01-15', TIMESTAMP '2024-01-15 10:30:00', TIMESTAMPTZ '2024-01-15 10:30:00+00', '\\xdeadbeef'),"
        + " (2, FALSE, -32768, -2147483648, -9223372036854775808, -0.25, -1e10, -99999999.99, '', 'abcde',"
        + "  'quote''s', DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59.5', TIMESTAMPTZ '2000-01-01 01:00:00+02',"
        + "  '\\x00'),"
        + " (3, NULL, 32767, 2147483647, 9223372036854775807, 0, 0.5, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    List<List<Object>> r = rows("SELECT * FROM all_types ORDER BY id");
    assertThat(r).hasSize(3);
    java.time.ZoneOffset utc = java.time.ZoneOffset.UTC;
    assertThat(r.get(0).subList(0, 14)).containsExactly(1, true, (short) 1, 10, 10_000_000_000L, 1.5f, 2.25,
        new java.math.BigDecimal("12.34"), "hello", "ab   ", "some text", LocalDate.of(2024, 1, 15),
        LocalDateTime.of(2024, 1, 15, 10, 30), java.time.OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, utc));
    assertThat((byte[]) r.get(0).get(14)).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(r.get(1).subList(0, 14)).containsExactly(2, false, (short) -32768, Integer.MIN_VALUE, Long.MIN_VALUE,
        -0.25f, -1e10, new java.math.BigDecimal("-99999999.99"), "", "abcde", "quote's", LocalDate.of(1999, 12, 31),
        LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500_000_000),
        java.time.OffsetDateTime.of(1999, 12, 31, 23, 0, 0, 0, utc));
    assertThat((byte[]) r.get(1).get(14)).containsExactly(0);
    assertThat(r.get(2)).containsExactly(3, null, (short) 32767, Integer.MAX_VALUE, Long.MAX_VALUE, 0f, 0.5,
        new java.math.BigDecimal("0.00"), null, null, null, null, null, null, null);
    // integer and decimal literals into NUMERIC; string literals into DATE / TIMESTAMP / BYTEA / BOOLEAN
    run("CREATE TABLE typed (id INT PRIMARY KEY, n NUMERIC, dt DATE, ts TIMESTAMP, b BOOLEAN, bin BYTEA)");
    run("INSERT INTO typed VALUES (1, 1, '2024-01-15', '2024-01-15 10:30:00', 'yes', 'ab'),"
        + " (2, 2.5, DATE '2024-01-16', '2024-01-16 00:00:00.25', false, '\\x0102'), (3, -3, NULL, NULL, 't', NULL)");
    assertThat(rows("SELECT id, n, dt, ts, b FROM typed ORDER BY id")).containsExactly(
        List.of(1, new java.math.BigDecimal("1"), LocalDate.of(2024, 1, 15), LocalDateTime.of(2024, 1, 15, 10, 30), true),
        List.of(2, new java.math.BigDecimal("2.5"), LocalDate.of(2024, 1, 16),
            LocalDateTime.of(2024, 1, 16, 0, 0, 0, 250_000_000), false),
        Arrays.asList(3, new java.math.BigDecimal("-3"), null, null, true));
    assertThat((byte[]) column("SELECT bin FROM typed WHERE id = 1").get(0)).containsExactly('a', 'b');
    assertThat((byte[]) column("SELECT bin FROM typed WHERE id = 2").get(0)).containsExactly(1, 2);
    // PostgreSQL's range checks and input errors, whichever row they are in
    assertThatThrownBy(() -> run("INSERT INTO all_types (id, si) VALUES (10, 1), (11, 32768)"))
        .isInstanceOf(SqlException.class).hasMessageContaining("smallint out of range");
    assertThatThrownBy(() -> run("INSERT INTO all_types (id, dt) VALUES (10, DATE '2024-01-01'), (11, 'nope')"))
        .isInstanceOf(SqlException.class);
    assertThat(column("SELECT count(*) FROM all_types")).containsExactly(3L);
    run("INSERT INTO all_types (id, d, n) VALUES (20, 2.25 * 1, 1 + 1), (21, -1e10 * 1, 2.5 * 2)");
    assertThat(column("SELECT d FROM all_types WHERE id >= 20 ORDER BY id")).containsExactly(2.25, -1e10);
  }

  @Test
  void aValuesShorterThanTheTableFillsTheFirstColumnsAsInPostgres() throws Exception {
    // PostgreSQL 15: the rest of the row takes its defaults; VALUES rows must all be as long, and the
    // error points at the first value of the first row that differs
    run("CREATE TABLE ti (a int, b int DEFAULT 7, c text)");
    run("INSERT INTO ti VALUES (1)");
    run("INSERT INTO ti VALUES (2, 3), (4, 5)");
    assertThat(rows("SELECT a, b, c FROM ti ORDER BY a"))
        .containsExactly(Arrays.asList(1, 7, null), Arrays.asList(2, 3, null), Arrays.asList(4, 5, null));
    String sql = "INSERT INTO ti VALUES (1), (1, 2)";
    assertThatThrownBy(() -> run(sql)).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("42601");
      assertThat(e.getMessage()).isEqualTo("VALUES lists must all be the same length");
      assertThat(e.position()).isEqualTo(sql.indexOf("(1, 2)") + 2);
    });
    assertThatThrownBy(() -> run("INSERT INTO ti (a, b) VALUES (1, 2), (3)"))
        .hasMessage("VALUES lists must all be the same length");
    assertThatThrownBy(() -> run("INSERT INTO ti (a, b) VALUES (1)"))
        .hasMessage("INSERT has more target columns than expressions");
    assertThat(rows("SELECT count(*) FROM ti")).containsExactly(List.of(3L));
  }
}
