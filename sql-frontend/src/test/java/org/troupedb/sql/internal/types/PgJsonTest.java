package org.troupedb.sql.internal.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.troupedb.sql.SqlException;

/** The jsonb normaliser and json_in's errors against PostgreSQL 15.18's outputs (psql, {@code SELECT 'x'::jsonb}). */
class PgJsonTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"b\":1, \"aa\":[1, 2.50,{\"x\":null}], \"a\":\"s\", \"b\":2}|{\"a\": \"s\", \"b\": 2, \"aa\": [1, 2.50, {\"x\": null}]}",
      "`  [ 1 , -0 , 1e2, 1.5E-3, 1.50e1, -12.000, 0.0 ]  `|[1, 0, 100, 0.0015, 15.0, -12.000, 0.0]",
      "{\"é\":1,\"z\":2,\"ab\":3,\"\":4}|{\"\": 4, \"z\": 2, \"ab\": 3, \"é\": 1}",
      "\"tab\\there \\\"q\\\" \\\\ \\/ \\u00e9 \\u0001\"|\"tab\\there \\\"q\\\" \\\\ / é \\u0001\"",
      "{\"a\":{\"d\":1,\"c\":[true,false,null]},\"b\":{}}|{\"a\": {\"c\": [true, false, null], \"d\": 1}, \"b\": {}}",
      "[]|[]",
      "\"x\"|\"x\"",
      "null|null",
      "123456789012345678901234567890.5|123456789012345678901234567890.5",
      "{\"key with space\": \"line\\nbreak\", \"a1\": [[], [{}]]}|{\"a1\": [[], [{}]], \"key with space\": \"line\\nbreak\"}",
  })
  void normalisesAsJsonbOut(String in, String pg) throws SqlException {
    assertThat(PgJson.normalise(in)).isEqualTo(pg);
    assertThat(PgJson.normalise(pg)).isEqualTo(pg);
  }

  @Test
  void jsonKeepsTheTextAsWritten() throws SqlException {
    assertThat(PgJson.checkJson("{\"b\":1,   \"a\" : 2}")).isEqualTo("{\"b\":1,   \"a\" : 2}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"a\":tru}|Token \"tru\" is invalid.|JSON data, line 1: {\"a\":tru...",
      "{\"a\":1|The input string ended unexpectedly.|JSON data, line 1: {\"a\":1",
      "{\"a\" 1}|Expected \":\", but found \"1\".|JSON data, line 1: {\"a\" 1...",
      "``|The input string ended unexpectedly.|`JSON data, line 1: `",
      "{\"a\":1}x|Token \"x\" is invalid.|JSON data, line 1: {\"a\":1}x",
      "{\"a\":01}|Token \"01\" is invalid.|JSON data, line 1: {\"a\":01...",
      "[1,,2]|Expected JSON value, but found \",\".|JSON data, line 1: [1,,...",
      "{\"a\":1,}|Expected string, but found \"}\".|JSON data, line 1: {\"a\":1,}",
      "\"\\u00zz\"|\"\\u\" must be followed by four hexadecimal digits.|JSON data, line 1: \"\\u00z...",
      "1 2|Expected end of input, but found \"2\".|JSON data, line 1: 1 2",
      "\"abc|Token \"\"abc\" is invalid.|JSON data, line 1: \"abc",
      "\"\\q\"|Escape sequence \"\\q\" is invalid.|JSON data, line 1: \"\\q...",
      "{\"a\":1 \"b\"}|Expected \",\" or \"}\", but found \"\"b\"\".|JSON data, line 1: {\"a\":1 \"b\"...",
      "[1 2]|Expected \",\" or \"]\", but found \"2\".|JSON data, line 1: [1 2...",
      "{1:2}|Expected string or \"}\", but found \"1\".|JSON data, line 1: {1...",
      "-|Token \"-\" is invalid.|JSON data, line 1: -",
      "1.|Token \"1.\" is invalid.|JSON data, line 1: 1.",
      "nul|Token \"nul\" is invalid.|JSON data, line 1: nul",
      "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":x}|Token \"x\" is invalid.|JSON data, line 1: ...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":x...",
      "{\"a\":1}}|Expected end of input, but found \"}\".|JSON data, line 1: {\"a\":1}}",
      "@|Token \"@\" is invalid.|JSON data, line 1: @",
  })
  void errorsAsJsonIn(String in, String detail, String context) {
    assertThatThrownBy(() -> PgJson.parse(in)).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("22P02");
      assertThat(e.getMessage()).isEqualTo("invalid input syntax for type json");
      assertThat(e.detail()).isEqualTo(detail);
      assertThat(e.context()).isEqualTo(context);
    });
  }

  @Test
  void errorOnALaterLineCountsLines() {
    assertThatThrownBy(() -> PgJson.parse("[1,\nx]")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.context()).isEqualTo("JSON data, line 2: x..."));
    assertThatThrownBy(() -> PgJson.parse("{\"a\":\"x\ny\"}")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.detail()).isEqualTo("Character with value 0x0a must be escaped.");
      assertThat(e.context()).isEqualTo("JSON data, line 1: {\"a\":\"x");
    });
  }
}
