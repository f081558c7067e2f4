package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** PostgreSQL's string, math and date functions, in process (TypesIT compares them with PostgreSQL). */
class FunctionsTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
    run("CREATE TABLE f (id INT PRIMARY KEY, i INT, b BIGINT, t TEXT, y BYTEA, ts TIMESTAMP, tz TIMESTAMPTZ, d DATE,"
        + " n NUMERIC(10,2))");
    run("INSERT INTO f VALUES (1, 3, 4, 'héllo', '\\x00ff10'::bytea, '2024-01-02 03:04:05.123456',"
        + " '2024-01-02 03:04:05.654321+00', '2024-03-04', -1234.56)");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private List<Object> row(String sql, Object... params) throws SqlException {
    List<List<Object>> out = rows(sql, params);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private static void assertState(ThrowingCall call, String sqlState, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo(sqlState);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void functionsTakingIntegersAcceptLiteralsColumnsAndParameters() throws Exception {
    assertThat(row("SELECT lpad('ab', 5, '*'), rpad('ab', 5, '*'), repeat('ab', 3), split_part('a,b,c', ',', 2),"
        + " left('abc', 2), right('abc', 2), substr('abcdef', 2, 3), substr('abc', 2), round(2.567, 2), chr(65)"))
        .containsExactly("***ab", "ab***", "ababab", "b", "ab", "bc", "bcd", "bc", new BigDecimal("2.57"), "A");
    assertThat(row("SELECT lpad('a', i), repeat('x', i), split_part('a,b,c', ',', i), round(2.5678, i),"
        + " greatest(i, b, 2), least(i, 2.5) FROM f"))
        .containsExactly("  a", "xxx", "c", new BigDecimal("2.568"), 4L, new BigDecimal("2.5"));
    assertThat(row("SELECT lpad('ab', $1, '*'), left('abcdef', $2)", 4, 2)).containsExactly("**ab", "ab");
    assertThat(row("SELECT left('abcdef', -2), right('abcdef', -2), right('héllo', 3), left(t, b) FROM f"))
        .containsExactly("abcd", "cdef", "llo", "héll");
    // upper case is folded as PostgreSQL folds it; quoted names are exact
    assertThat(row("SELECT LPAD('ab', 3), Md5('abc'), strpos('hello', 'l')"))
        .containsExactly(" ab", "900150983cd24fb0d6963f7d28e17f72", 3);
  }

  @Test
  void lengthsCountCharactersOfTextAndBytesOfBytea() throws Exception {
    assertThat(row("SELECT length(y), octet_length(y), length(t), octet_length(t), char_length(t) FROM f"))
        .containsExactly(3, 3, 5, 6, 5);
  }

  @Test
  void toCharFormatsDatetimesAndNumbers() throws Exception {
    assertThat(row("SELECT to_char(ts, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(ts, 'FMDay, DD Mon YYYY HH12:MI AM MS'),"
        + " to_char(d, 'Month DD, YYYY Dy'), to_char(d, 'FMMonth \"q\"Q') FROM f"))
        .containsExactly("2024-01-02 03:04:05.123456", "Tuesday, 02 Jan 2024 03:04 AM 123", "March     04, 2024 Mon",
            "March q1");
    run("SET TIME ZONE 'Asia/Kolkata'");
    assertThat(row("SELECT to_char(tz, 'YYYY-MM-DD HH24:MI:SS') FROM f").get(0)).isEqualTo("2024-01-02 08:34:05");
    assertThat(row("SELECT to_char(n, '99G999D99'), to_char(i, '000'), to_char(1234.5, 'FM9,999.90'),"
        + " to_char(0.5, '9.99'), to_char(-12, '9999'), to_char(12345, '999'), to_char(12, 'S999'), to_char(-12, '999MI')"
        + " FROM f")).containsExactly(" -1,234.56", " 003", "1,234.50", "  .50", "  -12", " ###", " +12", " 12-");
  }

  @Test
  void datesAndTimestampsFromPartsAndText() throws Exception {
    assertThat(row("SELECT to_date('2024-01-02', 'YYYY-MM-DD'), to_timestamp('02 Jan 2024 01:14:15 PM',"
        + " 'DD Mon YYYY HH12:MI:SS AM')::text, make_date(2024, 2, 29), make_timestamp(2024, 1, 2, 3, 4, 5.5)"))
        .containsExactly(java.time.LocalDate.of(2024, 1, 2), "2024-01-02 13:14:15+00", java.time.LocalDate.of(2024, 2, 29),
            java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000));
    assertThat(row("SELECT date_part('epoch', ts), date_part('second', ts), date_part('dow', d), date_part('year', tz)"
        + " FROM f")).containsExactly(1704164645.123456, 5.123456, 1.0, 2024.0);
    assertThat(row("SELECT extract(year FROM ts), extract(second FROM ts), extract(epoch FROM ts), extract(dow FROM d),"
        + " extract(epoch FROM d), extract(milliseconds FROM ts), extract(hour FROM interval '3 days 04:05:06') FROM f"))
        .containsExactly(new BigDecimal("2024"), new BigDecimal("5.123456"), new BigDecimal("1704164645.123456"),
            new BigDecimal("1"), new BigDecimal("1709510400"), new BigDecimal("5123.456"), new BigDecimal("4"));
    assertState(() -> row("SELECT extract(hour FROM d) FROM f"), "0A000", "unit \"hour\" not supported for type date");
    assertState(() -> row("SELECT make_date(2023, 2, 29)"), "22008", "date field value out of range: 2023-02-29");
    assertState(() -> row("SELECT to_date('2024-xx-01', 'YYYY-MM-DD')"), "22007",
        "invalid value \"2024-xx-01\" for \"MM\"");
  }

  @Test
  void numericAndTrimFunctions() throws Exception {
    assertThat(row("SELECT trunc(2.567, 2), trunc(-2.567), div(7, 2), div(-7.5, 2), btrim('xxaxx', 'x'),"
        + " ltrim('xxa', 'x'), rtrim('axx', 'x'), ltrim('  a')")).containsExactly(new BigDecimal("2.56"),
            new BigDecimal("-2"), new BigDecimal("3"), new BigDecimal("-3"), "a", "a", "a", "a");
  }

  @Test
  void regexSubstringAndCurrentTimes() throws Exception {
    assertThat(row("SELECT substring('hello123' from '[0-9]+'), substring('foobar' from 'o(.)b'), substring('abc' from 'x'),"
        + " substring(t from 2 for 2), clock_timestamp() = now() FROM f")).containsExactly("123", "o", null, "él", true);
    assertState(() -> row("SELECT substring('abc' from '(')"), "2201B", "invalid regular expression: Unclosed group");
  }

  @Test
  void byteaEncodingsAndBitFunctions() throws Exception {
    assertThat(row("SELECT encode(y, 'hex'), encode(y, 'base64'), encode(y, 'escape'), to_hex(255), to_hex(-1),"
        + " to_hex(b), bit_length(t), starts_with(t, 'hé') FROM f"))
        .containsExactly("00ff10", "AP8Q", "\\000\\377\u0010", "ff", "ffffffff", "4", 48, true);
    assertThat((byte[]) row("SELECT decode('YWI=', 'base64')").get(0)).containsExactly('a', 'b');
    assertThat((byte[]) row("SELECT decode('a\\\\b\\001', 'escape')").get(0)).containsExactly('a', '\\', 'b', 1);
    assertState(() -> row("SELECT decode('0g', 'hex')"), "22023", "invalid hexadecimal digit: \"g\"");
    assertState(() -> row("SELECT encode(y, 'foo') FROM f"), "22023", "unrecognized encoding: \"foo\"");
  }

  @Test
  void unknownAndUnsupportedFunctionsSayWhich() throws Exception {
    assertThatThrownBy(() -> row("SELECT foo(1)")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("42883");
      assertThat(e.getMessage()).isEqualTo("function foo(integer) does not exist");
      assertThat(e.hint()).startsWith("No function matches the given name and argument types.");
    });
    assertState(() -> row("SELECT foo('a', 2.5, 10000000000, NULL, i) FROM f"), "42883",
        "function foo(unknown, numeric, bigint, unknown, numeric) does not exist");
    assertState(() -> row("SELECT to_char(true, 'x')"), "42883", "function to_char(boolean, unknown) does not exist");
    assertState(() -> row("SELECT lpad('x')"), "42883", "function lpad(unknown) does not exist");
    assertState(() -> row("SELECT regexp_match('a', 'a')"), "0A000", "regexp_match() is not supported: arrays are not supported");
    assertThat(row("SELECT 1").get(0)).isEqualTo(1); // the session is still usable
  }
}
