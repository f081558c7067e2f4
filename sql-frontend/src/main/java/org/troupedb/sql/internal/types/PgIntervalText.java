package org.troupedb.sql.internal.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import org.troupedb.sql.Interval;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL's interval text: {@link #parse} reads {@code interval_in}'s forms (postgres style
 * {@code 1 year 2 mons 3 days 04:05:06.5}, units with fractions {@code 1.5 months}, {@code @ 1 day
 * ago}, SQL standard {@code 1-2} and {@code 3 04:05:06}, ISO 8601 {@code P1Y2M3DT4H5M6S}), {@link
 * #format} writes IntervalStyle {@code postgres}; {@link #encode}/{@link #decode} convert to and
 * from the internal text a value has inside plans and rows (see {@code PgIntervalType}):
 *
 * <pre>
 *   '#' key(31 digits) ':' months ':' days ':' micros
 *   key = months·30·86400·10⁶ + days·86400·10⁶ + micros + 2¹⁰⁰   (PostgreSQL's interval_cmp_value, offset)
 * </pre>
 */
public final class PgIntervalText {
  private PgIntervalText() {}

  public static final long MICROS_PER_DAY = 86_400_000_000L;
  public static final long MICROS_PER_HOUR = 3_600_000_000L;
  private static final BigInteger OFFSET = BigInteger.ONE.shiftLeft(100);
  private static final int KEY_WIDTH = 31;

  /** The internal text of {@code iv}. */
  public static String encode(Interval iv) {
    String key = cmpValue(iv).add(OFFSET).toString();
    StringBuilder sb = new StringBuilder(64).append('#');
    for (int i = key.length(); i < KEY_WIDTH; i++) {
      sb.append('0');
    }
    return sb.append(key).append(':').append(iv.months()).append(':').append(iv.days()).append(':')
        .append(iv.micros()).toString();
  }

  /** PostgreSQL's {@code interval_cmp_value}: the interval in microseconds, a month as 30 days. */
  public static BigInteger cmpValue(Interval iv) {
    return BigInteger.valueOf(iv.months()).multiply(BigInteger.valueOf(30 * MICROS_PER_DAY))
        .add(BigInteger.valueOf(iv.days()).multiply(BigInteger.valueOf(MICROS_PER_DAY)))
        .add(BigInteger.valueOf(iv.micros()));
  }

  /** True for internal text ({@link #encode}). */
  public static boolean isEncoded(String s) {
    return s.length() > KEY_WIDTH + 1 && s.charAt(0) == '#' && s.charAt(KEY_WIDTH + 1) == ':';
  }

  /** The interval of internal text, or of PostgreSQL input text. */
  public static Interval decode(String s) throws SqlException {
    if (!isEncoded(s)) {
      return parse(s);
    }
    int a = KEY_WIDTH + 1;
    int b = s.indexOf(':', a + 1);
    int c = s.indexOf(':', b + 1);
    return new Interval(Integer.parseInt(s.substring(a + 1, b)), Integer.parseInt(s.substring(b + 1, c)),
        Long.parseLong(s.substring(c + 1)));
  }

  /** IntervalStyle postgres: {@code 1 year 2 mons -3 days +04:05:06.5}. */
  public static String format(Interval iv) {
    StringBuilder sb = new StringBuilder();
    boolean negSeen = field(sb, iv.months() / 12, "year", false);
    negSeen = field(sb, iv.months() % 12, "mon", negSeen);
    negSeen = field(sb, iv.days(), "day", negSeen);
    long micros = iv.micros();
    if (micros != 0 || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (micros < 0) {
        sb.append('-');
      } else if (negSeen) {
        sb.append('+');
      }
      BigInteger a = BigInteger.valueOf(micros).abs(); // Long.MIN_VALUE has no long absolute value
      long us = a.mod(BigInteger.valueOf(1_000_000)).longValue();
      long secs = a.divide(BigInteger.valueOf(1_000_000)).longValue();
      pad(sb, secs / 3600).append(':');
      pad(sb, secs % 3600 / 60).append(':');
      pad(sb, secs % 60);
      if (us != 0) {
        String f = Long.toString(1_000_000 + us).substring(1);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
          end--;
        }
        sb.append('.').append(f, 0, end);
      }
    }
    return sb.toString();
  }

  private static boolean field(StringBuilder sb, long v, String unit, boolean negSeen) {
    if (v == 0) {
      return negSeen;
    }
    if (sb.length() > 0) {
      sb.append(' ');
    }
    if (negSeen && v > 0) {
      sb.append('+');
    }
    sb.append(v).append(' ').append(unit).append(v != 1 ? "s" : "");
    return negSeen || v < 0;
  }

  private static StringBuilder pad(StringBuilder sb, long v) {
    return sb.append(v < 10 ? "0" : "").append(v);
  }

  /** Months, days and microseconds being added up, each field's fraction cascading down. */
  private static final class Acc {
    BigDecimal months = BigDecimal.ZERO;
    BigDecimal days = BigDecimal.ZERO;
    BigDecimal micros = BigDecimal.ZERO;

    void months(BigDecimal n) {
      BigDecimal whole = n.setScale(0, RoundingMode.DOWN);
      months = months.add(whole);
      days(n.subtract(whole).multiply(BigDecimal.valueOf(30)));
    }

    void days(BigDecimal n) {
      BigDecimal whole = n.setScale(0, RoundingMode.DOWN);
      days = days.add(whole);
      micros = micros.add(n.subtract(whole).multiply(BigDecimal.valueOf(MICROS_PER_DAY)));
    }

    void seconds(BigDecimal n) {
      micros = micros.add(n.movePointRight(6));
    }

    Interval result(String text, boolean negate) throws SqlException {
      try {
        int m = months.intValueExact();
        int d = days.intValueExact();
        long us = micros.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        return negate ? new Interval(Math.negateExact(m), Math.negateExact(d), Math.negateExact(us))
            : new Interval(m, d, us);
      } catch (ArithmeticException e) {
        throw new SqlException(SqlState.INTERVAL_FIELD_OVERFLOW, "interval field value out of range: \"" + text + "\"");
      }
    }
  }

  /** {@code interval_in}: 22007 for text it cannot read, 22015 for a field out of range. */
  public static Interval parse(String text) throws SqlException {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return iso8601(s, text);
      }
      return postgres(s, text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(text);
    }
  }

  private static Interval postgres(String s, String text) throws SqlException {
    String[] tok = split(s);
    Acc acc = new Acc();
    boolean any = false;
    boolean ago = false;
    for (int i = 0; i < tok.length; i++) {
      String t = tok[i];
      if (t.equals("@")) {
        continue;
      }
      if (t.equals("ago") && any && i == tok.length - 1) {
        ago = true;
        continue;
      }
      if (t.indexOf(':') >= 0) {
        acc.seconds(clock(t, text));
        any = true;
        continue;
      }
      if (t.matches("[+-]?\\d+-\\d+")) { // SQL standard year-month
        boolean neg = t.startsWith("-");
        String[] ym = t.replaceFirst("^[+-]", "").split("-");
        BigDecimal months = BigDecimal.valueOf(Long.parseLong(ym[0]) * 12 + Long.parseLong(ym[1]));
        acc.months(neg ? months.negate() : months);
        any = true;
        continue;
      }
      BigDecimal n = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
      String unit = i + 1 < tok.length ? tok[i + 1] : null;
      if (unit == null || unit.equals("ago")) {
        acc.seconds(n); // a number alone is seconds
      } else if (unit.indexOf(':') >= 0) {
        acc.days(n); // SQL standard: days before a time of day
      } else {
        i++;
        if (!unit(acc, n, unit)) {
          throw invalid(text);
        }
      }
      any = true;
    }
    if (!any) {
      throw invalid(text);
    }
    return acc.result(text, ago);
  }

  /** Splits at blanks, and a number from a unit written against it ({@code 10d}, {@code 2hours}). */
  private static String[] split(String s) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String w : s.split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher m = NUMBER_UNIT.matcher(w);
      if (m.matches()) {
        out.add(m.group(1));
        out.add(m.group(2));
      } else {
        out.add(w);
      }
    }
    return out.toArray(new String[0]);
  }

  private static final java.util.regex.Pattern NUMBER_UNIT =
      java.util.regex.Pattern.compile("([+-]?\\d+(?:\\.\\d*)?)([a-z]+)");

  private static boolean unit(Acc acc, BigDecimal n, String unit) {
    switch (unit) {
      case "millennium", "millennia", "millenniums", "mil", "mils" -> years(acc, n.multiply(BigDecimal.valueOf(1000)));
      case "century", "centuries", "c", "cent" -> years(acc, n.multiply(BigDecimal.valueOf(100)));
      case "decade", "decades", "dec", "decs" -> years(acc, n.multiply(BigDecimal.TEN));
      case "year", "years", "y", "yr", "yrs" -> years(acc, n);
      case "month", "months", "mon", "mons" -> acc.months(n);
      case "week", "weeks", "w" -> acc.days(n.multiply(BigDecimal.valueOf(7)));
      case "day", "days", "d" -> acc.days(n);
      case "hour", "hours", "h", "hr", "hrs" -> acc.seconds(n.multiply(BigDecimal.valueOf(3600)));
      case "minute", "minutes", "m", "min", "mins" -> acc.seconds(n.multiply(BigDecimal.valueOf(60)));
      case "second", "seconds", "s", "sec", "secs" -> acc.seconds(n);
      case "millisecond", "milliseconds", "ms", "msec", "msecs" -> acc.seconds(n.movePointLeft(3));
      case "microsecond", "microseconds", "us", "usec", "usecs" -> acc.seconds(n.movePointLeft(6));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Years (and decades …): whole months, a fraction of a month rounded away as PostgreSQL does. */
  private static void years(Acc acc, BigDecimal years) {
    acc.months = acc.months.add(years.multiply(BigDecimal.valueOf(12)).setScale(0, RoundingMode.HALF_EVEN));
  }

  /** {@code [+-]h:m[:s[.f]]} in seconds. */
  private static BigDecimal clock(String t, String text) throws SqlException {
    boolean neg = t.startsWith("-");
    String[] hms = (t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t).split(":", -1);
    if (hms.length < 2 || hms.length > 3 || hms[0].isEmpty() || hms[1].isEmpty()
        || hms[0].contains(".") || hms[1].contains(".")) {
      throw invalid(text);
    }
    long h = Long.parseLong(hms[0]);
    long m = Long.parseLong(hms[1]);
    if (m > 59 || h < 0 || m < 0) {
      throw new SqlException(SqlState.INTERVAL_FIELD_OVERFLOW, "interval field value out of range: \"" + text + "\"");
    }
    BigDecimal s = BigDecimal.valueOf(h * 3600 + m * 60);
    if (hms.length == 3) {
      BigDecimal sec = new BigDecimal(hms[2]);
      if (sec.signum() < 0 || sec.compareTo(BigDecimal.valueOf(60)) >= 0) {
        throw new SqlException(SqlState.INTERVAL_FIELD_OVERFLOW, "interval field value out of range: \"" + text + "\"");
      }
      s = s.add(sec);
    }
    return neg ? s.negate() : s;
  }

  /** ISO 8601 with designators: {@code P1Y2M3W4DT5H6M7.5S}. */
  private static Interval iso8601(String s, String text) throws SqlException {
    Acc acc = new Acc();
    boolean time = false;
    int i = 1;
    boolean any = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == 't' && !time) {
        time = true;
        i++;
        continue;
      }
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '-'
          || s.charAt(i) == '+')) {
        i++;
      }
      if (start == i || i >= s.length()) {
        throw invalid(text);
      }
      BigDecimal n = new BigDecimal(s.substring(start, i));
      char d = s.charAt(i++);
      if (!time) {
        switch (d) {
          case 'y' -> years(acc, n);
          case 'm' -> acc.months(n);
          case 'w' -> acc.days(n.multiply(BigDecimal.valueOf(7)));
          case 'd' -> acc.days(n);
          default -> throw invalid(text);
        }
      } else {
        switch (d) {
          case 'h' -> acc.seconds(n.multiply(BigDecimal.valueOf(3600)));
          case 'm' -> acc.seconds(n.multiply(BigDecimal.valueOf(60)));
          case 's' -> acc.seconds(n);
          default -> throw invalid(text);
        }
      }
      any = true;
    }
    if (!any) {
      throw invalid(text);
    }
    return acc.result(text, false);
  }

  private static SqlException invalid(String text) {
    return new SqlException(SqlState.INVALID_DATETIME_FORMAT, "invalid input syntax for type interval: \"" + text + "\"");
  }
}
