package org.troupedb.sql.internal.session;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.hlc.Timestamp;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * The read timestamp of {@code SELECT … AS OF SYSTEM TIME expr}, as CockroachDB takes it: a
 * negative interval relative to now ({@code '-10s'}, {@code '-1h30m'}, {@code '-2 minutes'}),
 * a timestamp ({@code '2026-11-24 10:00:00'}, UTC unless it has an offset), or a decimal number
 * of nanoseconds since the epoch. The future is refused (22023); a time older than the MVCC GC
 * window is refused by the transaction layer.
 */
final class AsOfSystemTime {
  private static final Pattern PART = Pattern.compile(
      "\\s*(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s|m|h|d|microseconds?|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|days?)",
      Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter();

  private AsOfSystemTime() {}

  /** The timestamp {@code expr} names, with {@code nowNanos} as "now". */
  static Timestamp resolve(SqlNode expr, long nowNanos) throws SqlException {
    if (!(expr instanceof SqlLiteral lit)) {
      throw SqlException.unsupported("AS OF SYSTEM TIME with a non-constant expression");
    }
    long nanos;
    if (lit.getValue() instanceof BigDecimal n) {
      nanos = n.longValue();
    } else {
      String text = lit.getValueAs(String.class).trim();
      nanos = text.startsWith("-") ? nowNanos - intervalNanos(text.substring(1), text) : timestampNanos(text);
    }
    if (nanos > nowNanos) {
      throw new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "AS OF SYSTEM TIME: cannot specify timestamp in the future");
    }
    return new Timestamp(nanos, 0);
  }

  private static long intervalNanos(String text, String original) throws SqlException {
    Matcher m = PART.matcher(text);
    long total = 0;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(original);
      }
      BigDecimal amount = new BigDecimal(m.group(1));
      String unit = m.group(2).toLowerCase(java.util.Locale.ROOT);
      long per = switch (unit) {
        case "us", "µs", "microsecond", "microseconds" -> 1_000L;
        case "ms", "millisecond", "milliseconds" -> 1_000_000L;
        case "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
        case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
        case "h", "hour", "hours" -> 3_600_000_000_000L;
        default -> 86_400_000_000_000L;
      };
      total += amount.multiply(BigDecimal.valueOf(per)).longValue();
      at = m.end();
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
    if (total == 0) {
      throw invalid(original);
    }
    return total;
  }

  private static long timestampNanos(String text) throws SqlException {
    Instant at;
    try {
      var parsed = TIMESTAMP.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
      at = parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw invalid(text);
    }
    try {
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    } catch (ArithmeticException e) {
      // Beyond what nanoseconds since the epoch hold (after 2262 or before 1677).
      throw at.isAfter(Instant.EPOCH) ? new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "AS OF SYSTEM TIME: cannot specify timestamp in the future") : invalid(text);
    }
  }

  private static SqlException invalid(String text) {
    return new SqlException(SqlState.INVALID_PARAMETER_VALUE,
        "AS OF SYSTEM TIME: value is neither a negative interval nor a timestamp: \"" + text + "\"");
  }
}
