package org.troupedb.sql.internal.types;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL's {@code time} (without time zone) on Calcite's TIME: a value is an Integer count of
 * <em>milliseconds</em> since midnight, Calcite's representation. Input reads {@code HH:MM},
 * {@code HH:MM:SS}, {@code HH:MM:SS.ffffff} and {@code HHMMSS}, with optional {@code AM}/{@code PM};
 * output is {@code HH:MM:SS} with the fraction's significant digits, as {@code time_out} prints it.
 * NB: PostgreSQL keeps microseconds; TroupeDB keeps milliseconds (digits past the third are
 * rounded), and {@code 24:00:00} is refused.
 */
public final class PgTime {
  private PgTime() {}

  public static final int MILLIS_PER_DAY = 86_400_000;

  private static final Pattern TEXT = Pattern.compile(
      "(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d*))?)?\\s*(am|pm)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern COMPACT = Pattern.compile("(\\d{2})(\\d{2})(\\d{2})(?:\\.(\\d*))?");

  /** Parses {@code text} as {@code time_in} does; 22007 if it is not a time of day. */
  public static int parse(String text) throws SqlException {
    String s = text.trim();
    Matcher m = TEXT.matcher(s);
    boolean full = m.matches();
    if (!full) {
      m = COMPACT.matcher(s);
      if (!m.matches()) {
        throw invalid(text);
      }
    }
    int h = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    int sec = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    String frac = m.group(4) == null ? "" : m.group(4);
    if (full && m.group(5) != null) {
      if (h < 1 || h > 12) {
        throw outOfRange(text);
      }
      h = h % 12 + (m.group(5).equalsIgnoreCase("pm") ? 12 : 0);
    }
    if (h > 23 || min > 59 || sec > 59) {
      throw outOfRange(text);
    }
    long millis = Math.round(Double.parseDouble("0." + (frac.isEmpty() ? "0" : frac)) * 1000);
    long total = ((h * 60L + min) * 60L + sec) * 1000L + millis;
    if (total >= MILLIS_PER_DAY) {
      throw outOfRange(text);
    }
    return (int) total;
  }

  /** {@code time_out}: {@code HH:MM:SS[.fff]} without trailing zeros. */
  public static String format(int millis) {
    int ms = millis % 1000;
    int s = millis / 1000;
    String out = String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    if (ms == 0) {
      return out;
    }
    String frac = String.format(java.util.Locale.ROOT, "%03d", ms);
    while (frac.endsWith("0")) {
      frac = frac.substring(0, frac.length() - 1);
    }
    return out + "." + frac;
  }

  /** {@link #format} for generated code ({@code time::text}). */
  @org.apache.calcite.linq4j.function.Strict
  public static String timeOut(int millis) {
    return format(millis);
  }

  public static LocalTime toLocalTime(int millis) {
    return LocalTime.ofNanoOfDay(millis * 1_000_000L);
  }

  /** Milliseconds since midnight of {@code t} (sub-millisecond digits rounded, as a cast to time(3) does). */
  public static int millis(LocalTime t) {
    long ms = Math.round(t.toNanoOfDay() / 1_000_000.0);
    return (int) Math.min(ms, MILLIS_PER_DAY - 1);
  }

  private static SqlException invalid(String text) {
    return new SqlException(SqlState.INVALID_DATETIME_FORMAT,
        "invalid input syntax for type time: \"" + text + "\"");
  }

  private static SqlException outOfRange(String text) {
    return new SqlException(SqlState.DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"" + text + "\"");
  }
}
