package org.troupedb.sql.internal.functions;

import java.time.ZoneId;
import java.util.Locale;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * The session's TimeZone parameter: a zone of the tz database ({@code America/New_York},
 * {@code UTC}, {@code EST5EDT}, matched regardless of case and shown as the database spells it),
 * a number of hours east of UTC ({@code SET TIME ZONE -5}), shown the way PostgreSQL shows
 * such a zone ({@code <-05>+05}), or a POSIX offset ({@code '+05:30'}, {@code 'UTC+3'}: hours west
 * of UTC, see {@link org.troupedb.sql.TimeZoneSetting}), shown as written.
 */
public final class PgTimeZone {
  private PgTimeZone() {}

  /** The value SHOW prints for a SET value; 22023 for a zone that does not exist. */
  public static String canonical(String value) throws SqlException {
    if (value.equalsIgnoreCase("local") || value.equalsIgnoreCase("default")) {
      return "UTC";
    }
    try {
      double hours = Double.parseDouble(value);
      if (Math.abs(hours) >= 24 * 7) {
        throw invalid(value);
      }
      int seconds = (int) Math.round(hours * 3600);
      String east = offsetText(seconds);
      return "<" + east + ">" + offsetText(-seconds);
    } catch (NumberFormatException notANumber) {
      // a zone name
    }
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (id.equalsIgnoreCase(value)) {
        return id;
      }
    }
    if (org.troupedb.sql.TimeZoneSetting.isPosixOffset(value)) {
      return value.trim(); // PostgreSQL shows a POSIX zone as it was written
    }
    throw invalid(value);
  }

  /**
   * The zone a value names; UTC for one Java does not know (a startup option is taken as the
   * client sent it, unchecked).
   */
  public static ZoneId zone(String value) {
    return org.troupedb.sql.TimeZoneSetting.zone(value);
  }

  private static String offsetText(int seconds) {
    int abs = Math.abs(seconds);
    String s = String.format(Locale.ROOT, "%s%02d", seconds < 0 ? "-" : "+", abs / 3600);
    return abs % 3600 == 0 ? s : s + String.format(Locale.ROOT, ":%02d", abs % 3600 / 60);
  }

  private static SqlException invalid(String value) {
    return new SqlException(SqlState.INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"TimeZone\": \"" + value + "\"");
  }
}
