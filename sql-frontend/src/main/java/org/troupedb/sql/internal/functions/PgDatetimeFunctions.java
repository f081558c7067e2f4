package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Arrays;
import java.util.Locale;
import java.util.TimeZone;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * The datetime functions of {@link PgScalarFunctions}, as generated plan code calls them:
 * {@code to_char}, {@code to_date}, {@code to_timestamp}, {@code date_part}, {@code EXTRACT},
 * {@code make_date}, {@code make_timestamp} and {@code date + time}. Timestamps arrive as
 * microseconds since the epoch, dates as days, times as milliseconds since midnight.
 * NB: public only because generated plan code calls its methods.
 */
public final class PgDatetimeFunctions {
  private PgDatetimeFunctions() {}

  /** {@code date + time}: microseconds since the epoch (days since the epoch, milliseconds since midnight). */
  public static long datePlusTime(int days, int millis) {
    return days * 86_400_000_000L + millis * 1000L;
  }


  public static String toCharTimestamp(long micros, String format) {
    return PgDateFormat.format(LocalDateTime.ofInstant(ColumnType.instant(micros), ZoneOffset.UTC), format);
  }

  public static String toCharTimestampTz(long micros, String format, TimeZone zone) {
    return PgDateFormat.format(LocalDateTime.ofInstant(ColumnType.instant(micros), zone.toZoneId()), format);
  }

  public static String toCharDate(int days, String format) {
    return PgDateFormat.format(LocalDate.ofEpochDay(days).atStartOfDay(), format);
  }

  public static String toCharNumber(BigDecimal value, String format) {
    return PgNumberFormat.format(value, format);
  }

  public static int toDate(String text, String format) {
    return (int) PgDateFormat.parse(text, format).toLocalDate().toEpochDay();
  }

  /** {@code to_timestamp(text, format)}: the local time the text names, in the session's zone. */
  public static long toTimestamp(String text, String format, TimeZone zone) {
    return ColumnType.micros(PgDateFormat.parse(text, format).atZone(zone.toZoneId()).toInstant());
  }

  /** {@code to_timestamp(seconds since the epoch)}. */
  public static long toTimestampEpoch(double seconds) {
    return Math.round(seconds * 1_000_000d);
  }

  public static double datePartTimestamp(String field, long micros) {
    return datePart(field, LocalDateTime.ofInstant(ColumnType.instant(micros), ZoneOffset.UTC), micros);
  }

  public static double datePartTimestampTz(String field, long micros, TimeZone zone) {
    return datePart(field, LocalDateTime.ofInstant(ColumnType.instant(micros), zone.toZoneId()), micros);
  }

  public static double datePartDate(String field, int days) {
    return datePartTimestamp(field, Math.multiplyExact((long) days, 86_400_000_000L));
  }

  /** PostgreSQL's {@code date_part}: double precision; seconds carry their fraction. */
  private static double datePart(String field, LocalDateTime t, long epochMicros) {
    double secondsWithFraction = t.getSecond() + t.getNano() / 1e9;
    return switch (field.toLowerCase(Locale.ROOT).trim()) {
      case "year", "years", "y" -> t.getYear();
      case "month", "months", "mon" -> t.getMonthValue();
      case "day", "days", "d" -> t.getDayOfMonth();
      case "hour", "hours", "h" -> t.getHour();
      case "minute", "minutes", "min", "m" -> t.getMinute();
      case "second", "seconds", "sec", "s" -> secondsWithFraction;
      case "milliseconds", "millisecond", "ms" -> secondsWithFraction * 1000;
      case "microseconds", "microsecond", "us" -> t.getSecond() * 1_000_000d + t.getNano() / 1000;
      case "epoch" -> epochMicros / 1e6;
      case "dow" -> t.getDayOfWeek().getValue() % 7;
      case "isodow" -> t.getDayOfWeek().getValue();
      case "doy" -> t.getDayOfYear();
      case "week" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case "isoyear" -> t.get(IsoFields.WEEK_BASED_YEAR);
      case "quarter" -> (t.getMonthValue() - 1) / 3 + 1;
      case "decade" -> Math.floorDiv(t.getYear(), 10);
      case "century" -> t.getYear() > 0 ? (t.getYear() + 99) / 100 : -((99 - t.getYear()) / 100);
      case "millennium" -> t.getYear() > 0 ? (t.getYear() + 999) / 1000 : -((999 - t.getYear()) / 1000);
      default -> throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "unit \"" + field + "\" not recognized for type timestamp"));
    };
  }


  public static BigDecimal extractTimestamp(String field, long micros) {
    return extract(field, LocalDateTime.ofInstant(ColumnType.instant(micros), ZoneOffset.UTC), micros, 6);
  }

  public static BigDecimal extractTimestampTz(String field, long micros, TimeZone zone) {
    return extract(field, LocalDateTime.ofInstant(ColumnType.instant(micros), zone.toZoneId()), micros, 6);
  }

  /** From a date, PostgreSQL has no time fields and an integral epoch. */
  public static BigDecimal extractDate(String field, int days) {
    if (Arrays.asList("hour", "minute", "second", "millisecond", "microsecond").contains(field)) {
      throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
          "unit \"" + field + "\" not supported for type date"));
    }
    return extract(field, LocalDate.ofEpochDay(days).atStartOfDay(), days * 86_400_000_000L, 0);
  }

  private static BigDecimal extract(String field, LocalDateTime t, long epochMicros, int epochScale) {
    long subSecondMicros = t.getNano() / 1000;
    return switch (field) {
      case "second" -> BigDecimal.valueOf(t.getSecond() * 1_000_000L + subSecondMicros, 6);
      case "millisecond" -> BigDecimal.valueOf(t.getSecond() * 1_000_000L + subSecondMicros, 3);
      case "microsecond" -> BigDecimal.valueOf(t.getSecond() * 1_000_000L + subSecondMicros);
      case "epoch" -> BigDecimal.valueOf(epochMicros, 6).setScale(epochScale, RoundingMode.UNNECESSARY);
      default -> BigDecimal.valueOf((long) datePart(field, t, epochMicros));
    };
  }

  /** From a time of day (milliseconds since midnight; see PgTime). */
  public static BigDecimal extractTime(String field, int millis) {
    return switch (field) {
      case "hour", "minute", "second", "millisecond", "microsecond" -> extract(field,
          LocalDate.EPOCH.atTime(org.troupedb.sql.internal.types.PgTime.toLocalTime(millis)), 0, 0);
      case "epoch" -> BigDecimal.valueOf(millis * 1000L, 6);
      default -> throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
          "unit \"" + field + "\" not supported for type time without time zone"));
    };
  }

  public static double datePartTime(String field, int millis) {
    return extractTime(field, millis).doubleValue();
  }

  /** From a day-time interval (Calcite: milliseconds). */
  public static BigDecimal extractMillis(String field, long millis) {
    return switch (field) {
      case "day" -> BigDecimal.valueOf(millis / 86_400_000L);
      case "hour" -> BigDecimal.valueOf(millis % 86_400_000L / 3_600_000L);
      case "minute" -> BigDecimal.valueOf(millis % 3_600_000L / 60_000L);
      case "second" -> BigDecimal.valueOf(millis % 60_000L * 1000, 6);
      case "millisecond" -> BigDecimal.valueOf(millis % 60_000L * 1000, 3);
      case "microsecond" -> BigDecimal.valueOf(millis % 60_000L * 1000);
      case "epoch" -> BigDecimal.valueOf(millis * 1000, 6);
      default -> throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
          "unit \"" + field + "\" not supported for type interval"));
    };
  }

  /** From a year-month interval (Calcite: months). */
  public static BigDecimal extractMonths(String field, int months) {
    return switch (field) {
      case "year" -> BigDecimal.valueOf(months / 12);
      case "month" -> BigDecimal.valueOf(months % 12);
      case "quarter" -> BigDecimal.valueOf(months % 12 / 3 + 1);
      case "decade" -> BigDecimal.valueOf(months / 120);
      case "century" -> BigDecimal.valueOf(months / 1200);
      case "millennium" -> BigDecimal.valueOf(months / 12000);
      case "epoch" -> BigDecimal.valueOf(months / 12 * 31_557_600L + months % 12 * 2_592_000L).setScale(6);
      default -> BigDecimal.ZERO;
    };
  }

  public static int makeDate(int year, int month, int day) {
    try {
      return (int) LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW,
          "date field value out of range: " + year + "-" + String.format("%02d-%02d", month, day)));
    }
  }

  public static long makeTimestamp(int year, int month, int day, int hour, int minute, BigDecimal seconds) {
    long micros = seconds.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    try {
      LocalDateTime t = LocalDateTime.of(year, month, day, hour, minute).plus(micros, ChronoUnit.MICROS);
      if (micros < 0 || micros >= 60_000_000L) {
        throw new java.time.DateTimeException("seconds");
      }
      return ColumnType.micros(t.toInstant(ZoneOffset.UTC));
    } catch (java.time.DateTimeException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW,
          "date/time field value out of range: " + year + "-" + String.format("%02d-%02d %02d:%02d:%s", month, day,
              hour, minute, seconds.toPlainString())));
    }
  }
}
