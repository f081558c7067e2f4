package org.troupedb.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time-valued session settings ({@code statement_timeout}, {@code lock_timeout},
 * {@code idle_in_transaction_session_timeout}, {@code idle_session_timeout}) read and printed as
 * PostgreSQL does: a bare number is milliseconds, a unit may follow ({@code us}, {@code ms},
 * {@code s}, {@code min}, {@code h}, {@code d}), 0 means off, and SHOW prints the largest unit
 * that divides the value ({@code 5000} → {@code 5s}).
 */
public final class TimeoutSetting {
  /** The settings this class reads, all with a base unit of milliseconds. */
  public static final String STATEMENT = "statement_timeout";
  public static final String LOCK = "lock_timeout";
  public static final String IDLE_IN_TRANSACTION = "idle_in_transaction_session_timeout";
  public static final String IDLE_SESSION = "idle_session_timeout";

  private static final Pattern VALUE = Pattern.compile("\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+))\\s*([a-z]*)\\s*");
  private static final String[] UNITS = {"d", "h", "min", "s", "ms"};
  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};

  private TimeoutSetting() {}

  /** Whether {@code name} (lower case) is one of these settings. */
  public static boolean isTimeout(String name) {
    return name.equals(STATEMENT) || name.equals(LOCK) || name.equals(IDLE_IN_TRANSACTION)
        || name.equals(IDLE_SESSION);
  }

  /**
   * The value in milliseconds; 22023 with PostgreSQL's message for a malformed value or one
   * outside 0 .. 2147483647 ms.
   */
  public static long millis(String name, String value) throws SqlException {
    Matcher m = VALUE.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(name, value);
    }
    BigDecimal unitMillis = switch (m.group(2)) {
      case "", "ms" -> BigDecimal.ONE;
      case "us" -> new BigDecimal("0.001");
      case "s" -> BigDecimal.valueOf(1000);
      case "min" -> BigDecimal.valueOf(60_000);
      case "h" -> BigDecimal.valueOf(3_600_000);
      case "d" -> BigDecimal.valueOf(86_400_000);
      default -> throw invalid(name, value);
    };
    BigDecimal ms = new BigDecimal(m.group(1)).multiply(unitMillis).setScale(0, RoundingMode.HALF_EVEN);
    if (ms.signum() < 0 || ms.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, ms.toPlainString()
          + " ms is outside the valid range for parameter \"" + name + "\" (0 .. 2147483647)");
    }
    return ms.longValueExact();
  }

  /** The milliseconds of a value already checked by {@link #canonical}; 0 (off) if it is not one. */
  public static long millisOrOff(String value) {
    if (value == null || value.equals("0")) {
      return 0; // the default, checked once per statement: no parsing
    }
    try {
      return value == null ? 0 : millis("", value);
    } catch (SqlException e) {
      return 0;
    }
  }

  /** The value as SHOW prints it: {@code 0}, or a whole number of the largest unit that divides it. */
  public static String canonical(String name, String value) throws SqlException {
    long ms = millis(name, value);
    if (ms == 0) {
      return "0";
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (ms % UNIT_MILLIS[i] == 0) {
        return ms / UNIT_MILLIS[i] + UNITS[i];
      }
    }
    throw new AssertionError(); // ms divides by 1
  }

  private static SqlException invalid(String name, String value) {
    return new SqlException(SqlState.INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"" + name + "\": \"" + value + "\"", null,
        "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".", null);
  }
}
