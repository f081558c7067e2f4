package org.troupedb.sql.parser;

import java.math.BigDecimal;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Turns PostgreSQL interval text ({@code '1 day'}, {@code '2 hours 30 minutes'}, {@code '1 year
 * 2 mons'}, {@code '3 days 04:05:06.5'}) into a Calcite interval literal: YEAR TO MONTH when only
 * months are given, DAY TO SECOND otherwise.
 *
 * <p>NB: Calcite intervals are either year-month or day-time, so text mixing both (e.g. {@code
 * '1 month 2 days'}) is rejected; days are counted as 24 hours.
 */
public final class PgIntervals {
  private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

  private PgIntervals() {}

  /** Parses {@code text}; throws IllegalArgumentException with a PostgreSQL-like message. */
  public static SqlLiteral toLiteral(String text, SqlParserPos pos) {
    String[] words = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
    long months = 0;
    BigDecimal seconds = BigDecimal.ZERO;
    boolean any = false;
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (w.isEmpty() || w.equals("@")) {
        continue;
      }
      if (w.contains(":")) {
        seconds = seconds.add(clock(w, text));
        any = true;
        continue;
      }
      BigDecimal n;
      try {
        n = new BigDecimal(w);
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
      String unit = i + 1 < words.length ? words[++i] : "second";
      any = true;
      switch (unit) {
        case "year": case "years": case "y": case "yr": case "yrs":
          months += n.multiply(BigDecimal.valueOf(12)).longValueExact();
          break;
        case "mon": case "mons": case "month": case "months":
          months += n.longValueExact();
          break;
        case "week": case "weeks": case "w":
          seconds = seconds.add(n.multiply(SECONDS_PER_DAY).multiply(BigDecimal.valueOf(7)));
          break;
        case "day": case "days": case "d":
          seconds = seconds.add(n.multiply(SECONDS_PER_DAY));
          break;
        case "hour": case "hours": case "h": case "hr": case "hrs":
          seconds = seconds.add(n.multiply(BigDecimal.valueOf(3600)));
          break;
        case "minute": case "minutes": case "min": case "mins": case "m":
          seconds = seconds.add(n.multiply(BigDecimal.valueOf(60)));
          break;
        case "second": case "seconds": case "sec": case "secs": case "s":
          seconds = seconds.add(n);
          break;
        case "millisecond": case "milliseconds": case "ms":
          seconds = seconds.add(n.movePointLeft(3));
          break;
        default:
          throw invalid(text);
      }
    }
    if (!any) {
      throw invalid(text);
    }
    if (months != 0 && seconds.signum() != 0) {
      throw new IllegalArgumentException(
          "interval \"" + text + "\" mixes months and days, which TroupeDB does not support");
    }
    if (months != 0) {
      int sign = Long.signum(months);
      long m = Math.abs(months);
      String value = (m / 12) + "-" + (m % 12);
      return SqlLiteral.createInterval(sign, value,
          new SqlIntervalQualifier(TimeUnit.YEAR, digits(m / 12), TimeUnit.MONTH, -1, pos), pos);
    }
    int sign = seconds.signum() < 0 ? -1 : 1;
    BigDecimal abs = seconds.abs();
    long days = abs.divideToIntegralValue(SECONDS_PER_DAY).longValueExact();
    BigDecimal rest = abs.subtract(BigDecimal.valueOf(days).multiply(SECONDS_PER_DAY));
    long whole = rest.longValue();
    BigDecimal frac = rest.subtract(BigDecimal.valueOf(whole));
    String value = String.format(Locale.ROOT, "%d %02d:%02d:%02d%s", days, whole / 3600,
        (whole % 3600) / 60, whole % 60,
        frac.signum() == 0 ? "" : frac.stripTrailingZeros().toPlainString().substring(1));
    return SqlLiteral.createInterval(sign, value,
        new SqlIntervalQualifier(TimeUnit.DAY, digits(days), TimeUnit.SECOND, 6, pos), pos);
  }

  private static BigDecimal clock(String w, String text) {
    boolean negative = w.startsWith("-");
    String[] parts = (negative ? w.substring(1) : w).split(":");
    if (parts.length < 2 || parts.length > 3) {
      throw invalid(text);
    }
    try {
      BigDecimal s = BigDecimal.valueOf(Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60);
      if (parts.length == 3) {
        s = s.add(new BigDecimal(parts[2]));
      }
      return negative ? s.negate() : s;
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
  }

  private static int digits(long n) {
    return Math.max(2, Long.toString(n).length());
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid input syntax for type interval: \"" + text + "\"");
  }
}
