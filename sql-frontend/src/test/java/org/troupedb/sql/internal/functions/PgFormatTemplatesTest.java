package org.troupedb.sql.internal.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/** to_char / to_timestamp templates; expected texts are PostgreSQL 15's answers to the same calls. */
class PgFormatTemplatesTest {
  @ParameterizedTest(name = "to_char({0}, ''{1}'') = ''{2}''")
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
      "0.5|9.99|  .50",
      "0|999|   0",
      "0|9.99|  .00",
      "12|9,999|    12",
      "-12|9999|  -12",
      "12345|999| ###",
      "5|9099|  005",
      "12|FM99.99|12.",
      "1234.5|FM9,999.90|1,234.50",
      "-1234.567|99G999D99| -1,234.57",
      "12|S999| +12",
      "-12|999MI| 12-",
      "-0.5|9.9| -.5",
      "-12|FM9999|-12",
      "123|0000| 0123",
      "0.5|0.99| 0.50",
      "-5|S9|-5",
      "485|\"n=\"999|n= 485",
      "12|99.99 x| 12.00 x"})
  void numbers(String value, String template, String expected) {
    assertThat(PgNumberFormat.format(new BigDecimal(value), template)).isEqualTo(expected);
  }

  @Test
  void datetimes() {
    LocalDateTime t = LocalDateTime.of(2024, 12, 31, 23, 59, 59, 123_456_000);
    assertThat(PgDateFormat.format(t, "DD Mon YYYY HH12:MI:SS AM MS US")).isEqualTo("31 Dec 2024 11:59:59 PM 123 123456");
    assertThat(PgDateFormat.format(t, "Dy DY dy Mon MON mon Q DDD D")).isEqualTo("Tue TUE tue Dec DEC dec 4 366 3");
    assertThat(PgDateFormat.format(t, "Month, Day|FMMonth")).isEqualTo("December , Tuesday  |December");
    assertThat(PgDateFormat.format(t, "\"Q\"Q IW")).isEqualTo("Q4 01");
  }

  @Test
  void parsing() {
    assertThat(PgDateFormat.parse("02/01/2024 01:14 PM", "DD/MM/YYYY HH12:MI AM"))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 13, 14));
    assertThat(PgDateFormat.parse("05 Mar 2023", "DD Mon YYYY")).isEqualTo(LocalDateTime.of(2023, 3, 5, 0, 0));
    assertThat(PgDateFormat.parse("2024-01-02 03:04:05.5", "YYYY-MM-DD HH24:MI:SS.US"))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000));
    assertThatThrownBy(() -> PgDateFormat.parse("2024-13-01", "YYYY-MM-DD")).isInstanceOf(SqlRuntimeException.class);
  }
}
