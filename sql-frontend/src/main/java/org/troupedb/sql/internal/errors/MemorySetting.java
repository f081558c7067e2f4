package org.troupedb.sql.internal.errors;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Memory-valued settings read and printed as PostgreSQL reads {@code work_mem}: a bare number is
 * kilobytes, a unit may follow ({@code B}, {@code kB}, {@code MB}, {@code GB}, {@code TB}, case
 * as PostgreSQL spells them, also accepted in any case), and SHOW prints the largest unit that
 * divides the value ({@code 65536} → {@code 64MB}).
 */
public final class MemorySetting {
  private static final Pattern VALUE = Pattern.compile("\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-zA-Z]*)\\s*");
  private static final String[] UNITS = {"TB", "GB", "MB", "kB"};
  private static final long[] UNIT_BYTES = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
  /** The smallest budget accepted: 64 kB, as PostgreSQL's work_mem. */
  public static final long MIN_BYTES = 64 * 1024;
  /** The largest, in kB, as PostgreSQL's (2 TB). */
  static final long MAX_KB = Integer.MAX_VALUE;

  private MemorySetting() {}

  /** The value in bytes; 22023 with PostgreSQL 15's wording for a malformed value or one out of range. */
  public static long bytes(String name, String value) throws SqlException {
    Matcher m = VALUE.matcher(value);
    if (!m.matches()) {
      throw invalid(name, value);
    }
    long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "kb" -> 1L << 10;
      case "b" -> 1L;
      case "mb" -> 1L << 20;
      case "gb" -> 1L << 30;
      case "tb" -> 1L << 40;
      default -> throw invalid(name, value);
    };
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    long kb = bytes.divide(BigDecimal.valueOf(1024), 0, java.math.RoundingMode.HALF_EVEN)
        .min(BigDecimal.valueOf(Long.MAX_VALUE / 1024)).longValue();
    if (kb < MIN_BYTES / 1024 || kb > MAX_KB) {
      throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, kb + " kB is outside the valid range for parameter \""
          + name + "\" (64 .. " + MAX_KB + ")");
    }
    return bytes.longValue();
  }

  /** The value as SHOW prints it: a whole number of the largest unit that divides it. */
  public static String canonical(String name, String value) throws SqlException {
    return print(bytes(name, value));
  }

  /** {@code bytes} in the largest unit that divides it ({@code 64MB}, {@code 1536kB}, {@code 100B}). */
  public static String print(long bytes) {
    for (int i = 0; i < UNITS.length; i++) {
      if (bytes % UNIT_BYTES[i] == 0) {
        return (bytes / UNIT_BYTES[i]) + UNITS[i];
      }
    }
    return bytes + "B";
  }

  /** The bytes of a value already checked by {@link #canonical}, or {@code dflt} if it is not one. */
  public static long bytesOr(String value, long dflt) {
    try {
      return value == null ? dflt : bytes("", value);
    } catch (SqlException e) {
      return dflt;
    }
  }

  private static SqlException invalid(String name, String value) {
    return new SqlException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter \"" + name + "\": \""
        + value + "\"", null, "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".", null);
  }
}
