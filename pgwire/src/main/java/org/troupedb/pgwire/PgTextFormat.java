package org.troupedb.pgwire;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import org.troupedb.sql.Interval;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL text format of every {@link PgType}: values as PostgreSQL 15 prints them (DateStyle
 * ISO, IntervalStyle postgres, bytea_output hex, extra_float_digits 1 i.e. shortest round-trip
 * floats), and parsing of text parameters into the Java classes listed in {@link PgType}.
 */
final class PgTextFormat {
  private PgTextFormat() {}

  private static final long MICROS_PER_SECOND = 1_000_000L;

  // ---------------------------------------------------------------- encode

  /** The text form of {@code value} (never null) as a value of {@code type}. */
  static String encode(PgType type, Object value, ZoneId zone) {
    switch (type) {
      case BOOL:
        return ((Boolean) value) ? "t" : "f";
      case FLOAT4:
        return formatFloat(((Number) value).floatValue());
      case FLOAT8:
        return formatDouble(((Number) value).doubleValue());
      case NUMERIC:
        return value instanceof BigDecimal bd ? bd.toPlainString() : value.toString();
      case BYTEA:
        return "\\x" + HexFormat.of().formatHex((byte[]) value);
      case DATE:
        return formatDate((LocalDate) value);
      case TIMESTAMP:
        return formatTimestamp((LocalDateTime) value);
      case TIMESTAMPTZ:
        return formatTimestamptz((OffsetDateTime) value, zone);
      case INTERVAL:
        return formatInterval((Interval) value);
      case TIME:
        return formatTime((java.time.LocalTime) value);
      default:
        return type.isArray() ? PgArrayFormat.encodeText(type, value, zone) : value.toString();
    }
  }

  /** {@code time_out}: {@code HH:MM:SS} and the fraction's significant digits. */
  static String formatTime(java.time.LocalTime t) {
    String s = String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    if (t.getNano() == 0) {
      return s;
    }
    String frac = String.format(java.util.Locale.ROOT, "%06d", t.getNano() / 1000);
    return s + "." + frac.replaceAll("0+$", "");
  }

  /** PostgreSQL's float8 output: shortest round-trip digits, exponent form outside [1e-4, 1e15). */
  static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal shortest = shorten(new BigDecimal(Double.toString(d)), new BigDecimal(d),
        c -> c.doubleValue() == d);
    return formatShortest(shortest, 15);
  }

  /** PostgreSQL's float4 output: shortest round-trip digits, exponent form outside [1e-4, 1e6). */
  static String formatFloat(float f) {
    if (Float.isNaN(f)) {
      return "NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "Infinity" : "-Infinity";
    }
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal shortest = shorten(new BigDecimal(Float.toString(f)), new BigDecimal(f),
        c -> c.floatValue() == f);
    return formatShortest(shortest, 6);
  }

  /**
   * The shortest decimal that reads back as the same binary value. NB: Java's toString (before JDK
   * 19) always gives at least two digits and sometimes more than needed; {@code javaDigits} is a
   * round-trip starting point, shortened using the exact binary value.
   */
  private static BigDecimal shorten(BigDecimal javaDigits, BigDecimal exact,
      java.util.function.Predicate<BigDecimal> roundTrips) {
    BigDecimal best = javaDigits.stripTrailingZeros();
    int p = best.precision();
    // Monotone: the nearest (q+1)-digit decimal is at least as close as the nearest q-digit one,
    // so shorten one digit at a time until the value no longer reads back.
    while (p > 1) {
      BigDecimal c = exact.round(new MathContext(p - 1, RoundingMode.HALF_EVEN));
      if (!roundTrips.test(c)) {
        break;
      }
      best = c;
      p--;
    }
    return best;
  }

  /** Fixed notation for decimal exponents in [-4, maxFixedExp), else d.ddde±XX (as Ryu in PG). */
  private static String formatShortest(BigDecimal v, int maxFixedExp) {
    v = v.stripTrailingZeros();
    String digits = v.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - v.scale();
    String sign = v.signum() < 0 ? "-" : "";
    if (exp >= -4 && exp < maxFixedExp) {
      return sign + v.abs().toPlainString();
    }
    StringBuilder sb = new StringBuilder(sign).append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    return sb.append(a).toString();
  }

  static String formatDate(LocalDate d) {
    if (d.equals(LocalDate.MAX)) {
      return "infinity";
    }
    if (d.equals(LocalDate.MIN)) {
      return "-infinity";
    }
    int year = d.getYear();
    boolean bc = year <= 0;
    StringBuilder sb = new StringBuilder(16);
    pad(sb, bc ? 1 - year : year, 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    pad(sb, d.getDayOfMonth(), 2);
    if (bc) {
      sb.append(" BC");
    }
    return sb.toString();
  }

  static String formatTimestamp(LocalDateTime t) {
    if (t.equals(LocalDateTime.MAX)) {
      return "infinity";
    }
    if (t.equals(LocalDateTime.MIN)) {
      return "-infinity";
    }
    return dateTime(t, null);
  }

  /** In the session's time zone, with the offset as PostgreSQL prints it (+00, +05:30). */
  static String formatTimestamptz(OffsetDateTime t, ZoneId zone) {
    if (t.equals(OffsetDateTime.MAX)) {
      return "infinity";
    }
    if (t.equals(OffsetDateTime.MIN)) {
      return "-infinity";
    }
    OffsetDateTime local = zone == null ? t : t.atZoneSameInstant(zone).toOffsetDateTime();
    return dateTime(local.toLocalDateTime(), local.getOffset());
  }

  private static String dateTime(LocalDateTime t, ZoneOffset offset) {
    int year = t.getYear();
    boolean bc = year <= 0;
    StringBuilder sb = new StringBuilder(40);
    pad(sb, bc ? 1 - year : year, 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    time(sb, t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    if (offset != null) {
      int secs = offset.getTotalSeconds();
      sb.append(secs < 0 ? '-' : '+');
      secs = Math.abs(secs);
      pad(sb, secs / 3600, 2);
      if (secs % 3600 != 0) {
        sb.append(':');
        pad(sb, secs % 3600 / 60, 2);
        if (secs % 60 != 0) {
          sb.append(':');
          pad(sb, secs % 60, 2);
        }
      }
    }
    if (bc) {
      sb.append(" BC");
    }
    return sb.toString();
  }

  private static void time(StringBuilder sb, long h, int m, int s, int micros) {
    pad(sb, h, 2).append(':');
    pad(sb, m, 2).append(':');
    pad(sb, s, 2);
    if (micros != 0) {
      String f = Integer.toString(1_000_000 + micros).substring(1);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
  }

  /**
   * IntervalStyle postgres: {@code 1 year 2 mons -3 days +04:05:06.5}; the SQL layer's own text of
   * an interval ({@link Interval#toString()}), so the wire and {@code ::text} print alike.
   */
  static String formatInterval(Interval iv) {
    return iv.toString();
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  // ---------------------------------------------------------------- decode

  /**
   * Parses a text parameter into the Java class of {@code type}.
   *
   * @throws SqlException 22P02 (or 22003 / 22007 / 22008) if the text is not a valid value
   */
  static Object decode(PgType type, String s, ZoneId zone) throws SqlException {
    try {
      switch (type) {
        case BOOL:
          return parseBool(s);
        case INT2:
          return Short.valueOf((short) integer(s, Short.MIN_VALUE, Short.MAX_VALUE, "smallint"));
        case INT4:
          return Integer.valueOf((int) integer(s, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer"));
        case INT8:
          return integer(s, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
        case OID:
        case REGCLASS:
        case REGTYPE:
        case REGPROC:
          return integer(s, 0, 0xFFFF_FFFFL, "oid");
        case FLOAT4:
          return Float.valueOf((float) parseDouble(s, "real"));
        case FLOAT8:
          return Double.valueOf(parseDouble(s, "double precision"));
        case NUMERIC:
          return new BigDecimal(s.trim());
        case BYTEA:
          return parseBytea(s);
        case DATE:
          return parseDate(s.trim());
        case TIMESTAMP:
          return parseTimestamp(s.trim());
        case TIMESTAMPTZ:
          return parseTimestamptz(s.trim(), zone);
        case INTERVAL:
          return parseInterval(s);
        default:
          return type.isArray() ? PgArrayFormat.decodeText(type, s, zone) : s;
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw invalid(type, s);
    }
  }

  static SqlException invalid(PgType type, String s) {
    return new SqlException(
        SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type " + type.typname() + ": \"" + s + "\"");
  }

  private static Boolean parseBool(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "t": case "true": case "y": case "yes": case "on": case "1":
        return Boolean.TRUE;
      case "f": case "false": case "n": case "no": case "off": case "0":
        return Boolean.FALSE;
      default:
        throw new NumberFormatException(s);
    }
  }

  private static long integer(String s, long min, long max, String typeName) throws SqlException {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 40) {
      throw new NumberFormatException(s);
    }
    BigDecimal v = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
    if (v.scale() > 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0 || t.indexOf('.') >= 0) {
      throw new NumberFormatException(s);
    }
    if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new SqlException(
          SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value \"" + s + "\" is out of range for type " + typeName);
    }
    return v.longValueExact();
  }

  private static double parseDouble(String s, String typeName) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "nan":
        return Double.NaN;
      case "infinity": case "+infinity": case "inf": case "+inf":
        return Double.POSITIVE_INFINITY;
      case "-infinity": case "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        // Java accepts suffixes like 1d / 1f and hex floats; PostgreSQL does not.
        if (t.isEmpty() || !t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
          throw new NumberFormatException(typeName);
        }
        return Double.parseDouble(t);
    }
  }

  /** Hex ({@code \x0a0b}) or escape format ({@code a\\b\001}). */
  static byte[] parseBytea(String s) {
    if (s.startsWith("\\x") || s.startsWith("\\X")) {
      String hex = s.substring(2).replaceAll("\\s", "");
      if (hex.length() % 2 != 0) {
        throw new NumberFormatException("odd hex digits");
      }
      return HexFormat.of().parseHex(hex);
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b != '\\') {
        out.write(b);
      } else if (i + 1 < in.length && in[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < in.length + 0 && octal(in[i + 1]) && octal(in[i + 2]) && octal(in[i + 3])
          && in[i + 1] <= '3') {
        out.write((in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0'));
        i += 3;
      } else {
        throw new NumberFormatException("bad escape");
      }
    }
    return out.toByteArray();
  }

  private static boolean octal(byte b) {
    return b >= '0' && b <= '7';
  }

  private static LocalDate parseDate(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "infinity": return LocalDate.MAX;
      case "-infinity": return LocalDate.MIN;
      default:
        boolean bc = s.toUpperCase(Locale.ROOT).endsWith(" BC");
        LocalDate d = LocalDate.parse(bc ? s.substring(0, s.length() - 3).trim() : s);
        return bc ? d.withYear(1 - d.getYear()) : d;
    }
  }

  private static LocalDateTime parseTimestamp(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "infinity": return LocalDateTime.MAX;
      case "-infinity": return LocalDateTime.MIN;
      default:
        Object[] parts = splitTimestamp(s);
        return (LocalDateTime) parts[0];
    }
  }

  private static OffsetDateTime parseTimestamptz(String s, ZoneId zone) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "infinity": return OffsetDateTime.MAX;
      case "-infinity": return OffsetDateTime.MIN;
      default:
        Object[] parts = splitTimestamp(s);
        LocalDateTime local = (LocalDateTime) parts[0];
        OffsetDateTime t = parts[1] != null
            ? OffsetDateTime.of(local, (ZoneOffset) parts[1])
            : local.atZone(zone == null ? ZoneOffset.UTC : zone).toOffsetDateTime();
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }
  }

  /** {@code yyyy-mm-dd[( |T)hh:mm[:ss[.f]]][Z|±hh[:mm[:ss]]|±hhmm][ BC]} → {LocalDateTime, offset}. */
  private static Object[] splitTimestamp(String s) {
    boolean bc = s.toUpperCase(Locale.ROOT).endsWith(" BC");
    String t = bc ? s.substring(0, s.length() - 3).trim() : s;
    if (t.length() < 10) {
      throw new NumberFormatException(s);
    }
    LocalDate date = LocalDate.parse(t.substring(0, 10));
    if (bc) {
      date = date.withYear(1 - date.getYear());
    }
    String rest = t.substring(10).trim();
    if (rest.startsWith("T") || rest.startsWith("t")) {
      rest = rest.substring(1);
    }
    if (rest.isEmpty()) {
      return new Object[] {date.atStartOfDay(), null};
    }
    int z = indexOfZone(rest);
    ZoneOffset offset = null;
    if (z >= 0) {
      offset = parseOffset(rest.substring(z).trim());
      rest = rest.substring(0, z).trim();
    }
    LocalTime time = rest.isEmpty() ? LocalTime.MIDNIGHT : LocalTime.parse(rest.length() == 5 ? rest + ":00" : rest);
    return new Object[] {LocalDateTime.of(date, time), offset};
  }

  private static int indexOfZone(String rest) {
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '+' || c == '-' || c == 'Z' || c == 'z') {
        return i;
      }
    }
    return -1;
  }

  private static ZoneOffset parseOffset(String o) {
    if (o.equalsIgnoreCase("z")) {
      return ZoneOffset.UTC;
    }
    int sign = o.charAt(0) == '-' ? -1 : 1;
    String digits = o.substring(1).replace(":", "");
    if (digits.isEmpty() || digits.length() > 6 || digits.length() % 2 != 0 || !digits.chars().allMatch(Character::isDigit)) {
      throw new NumberFormatException(o);
    }
    int h = Integer.parseInt(digits.substring(0, 2));
    int m = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
    int sec = digits.length() == 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
    return ZoneOffset.ofTotalSeconds(sign * (h * 3600 + m * 60 + sec));
  }

  /**
   * Parses the postgres style ({@code 1 year 2 mons 3 days 04:05:06.5}), its verbose form ({@code @
   * 1 day 2 hours ago}) and unit words as pgjdbc's PGInterval sends them.
   */
  static Interval parseInterval(String s) {
    String[] tok = s.trim().toLowerCase(Locale.ROOT).split("\\s+");
    long months = 0;
    long days = 0;
    BigDecimal micros = BigDecimal.ZERO;
    boolean any = false;
    boolean ago = false;
    for (int i = 0; i < tok.length; i++) {
      String t = tok[i];
      if (t.isEmpty() || t.equals("@")) {
        continue;
      }
      if (t.equals("ago")) {
        ago = true;
        continue;
      }
      if (t.indexOf(':') > 0) {
        boolean neg = t.startsWith("-");
        String[] hms = (t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t).split(":");
        if (hms.length < 2 || hms.length > 3) {
          throw new NumberFormatException(s);
        }
        BigDecimal v = new BigDecimal(hms[0]).multiply(BigDecimal.valueOf(3600))
            .add(new BigDecimal(hms[1]).multiply(BigDecimal.valueOf(60)))
            .add(hms.length == 3 ? new BigDecimal(hms[2]) : BigDecimal.ZERO)
            .multiply(BigDecimal.valueOf(MICROS_PER_SECOND));
        micros = micros.add(neg ? v.negate() : v);
        any = true;
        continue;
      }
      BigDecimal n = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
      if (i + 1 >= tok.length) {
        throw new NumberFormatException(s);
      }
      String unit = tok[++i];
      switch (unit) {
        case "year": case "years": case "y": case "yr": case "yrs":
          months += n.multiply(BigDecimal.valueOf(12)).longValueExact(); break;
        case "mon": case "mons": case "month": case "months":
          months += n.longValueExact(); break;
        case "week": case "weeks": case "w":
          days += n.multiply(BigDecimal.valueOf(7)).longValueExact(); break;
        case "day": case "days": case "d":
          days += n.longValueExact(); break;
        case "hour": case "hours": case "h": case "hr": case "hrs":
          micros = micros.add(n.multiply(BigDecimal.valueOf(3600 * MICROS_PER_SECOND))); break;
        case "min": case "mins": case "minute": case "minutes": case "m":
          micros = micros.add(n.multiply(BigDecimal.valueOf(60 * MICROS_PER_SECOND))); break;
        case "sec": case "secs": case "second": case "seconds": case "s":
          micros = micros.add(n.multiply(BigDecimal.valueOf(MICROS_PER_SECOND))); break;
        case "ms": case "millisecond": case "milliseconds":
          micros = micros.add(n.multiply(BigDecimal.valueOf(1000))); break;
        case "us": case "microsecond": case "microseconds":
          micros = micros.add(n); break;
        default:
          throw new NumberFormatException(s);
      }
      any = true;
    }
    if (!any) {
      throw new NumberFormatException(s);
    }
    long us = micros.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    Interval iv = new Interval(Math.toIntExact(months), Math.toIntExact(days), us);
    return ago ? new Interval(-iv.months(), -iv.days(), -iv.micros()) : iv;
  }
}
