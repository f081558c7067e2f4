package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Timeout values read and printed as PostgreSQL 15 does (SET statement_timeout = …; SHOW). */
class TimeoutSettingTest {
  private static String show(String value) throws SqlException {
    return TimeoutSetting.canonical(TimeoutSetting.STATEMENT, value);
  }

  @Test
  void bareNumbersAreMillisecondsAndShowPicksTheLargestWholeUnit() throws SqlException {
    assertThat(show("0")).isEqualTo("0");
    assertThat(show("5000")).isEqualTo("5s");
    assertThat(show("200")).isEqualTo("200ms");
    assertThat(show("200ms")).isEqualTo("200ms");
    assertThat(show("2s")).isEqualTo("2s");
    assertThat(show("1.5s")).isEqualTo("1500ms");
    assertThat(show("90s")).isEqualTo("90s");
    assertThat(show("120 s")).isEqualTo("2min");
    assertThat(show("1h")).isEqualTo("1h");
    assertThat(show("24h")).isEqualTo("1d");
    assertThat(show("1500us")).isEqualTo("2ms");
    assertThat(TimeoutSetting.millis(TimeoutSetting.LOCK, "2min")).isEqualTo(120_000);
  }

  @Test
  void badValuesAre22023WithPostgresMessages() {
    SqlException unit = catchThrowableOfType(() -> show("5 parsecs"), SqlException.class);
    assertThat(unit.sqlState()).isEqualTo("22023");
    assertThat(unit.getMessage()).isEqualTo("invalid value for parameter \"statement_timeout\": \"5 parsecs\"");
    assertThat(unit.hint()).contains("\"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\"");
    SqlException negative = catchThrowableOfType(() -> show("-1"), SqlException.class);
    assertThat(negative.getMessage())
        .isEqualTo("-1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. 2147483647)");
    assertThat(catchThrowableOfType(() -> show("3000000000"), SqlException.class).sqlState()).isEqualTo("22023");
  }

  @Test
  void anUnreadableValueCountsAsOff() {
    assertThat(TimeoutSetting.millisOrOff(null)).isZero();
    assertThat(TimeoutSetting.millisOrOff("nonsense")).isZero();
    assertThat(TimeoutSetting.millisOrOff("250ms")).isEqualTo(250);
  }
}
