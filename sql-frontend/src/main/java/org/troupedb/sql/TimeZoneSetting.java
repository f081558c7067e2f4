package org.troupedb.sql;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The zone a session's TimeZone setting stands for, as PostgreSQL reads it: a tz database name
 * ({@code America/New_York}), a POSIX-style offset whose sign counts hours <em>west</em> of UTC
 * ({@code +05:30} and {@code UTC+3} are 5:30 and 3 hours behind UTC, so PostgreSQL prints
 * {@code -05:30} and {@code -03}), or the {@code <+02>-02} form SHOW prints for {@code SET TIME ZONE 2}.
 */
public final class TimeZoneSetting {
  /** Optional abbreviation (letters or {@code <…>}), then {@code [+-]hh[:mm[:ss]]}. */
  private static final Pattern POSIX =
      Pattern.compile("([A-Za-z]{3,}|<[^>]*>)?([+-]?)(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2}))?");

  private TimeZoneSetting() {}

  /** True if {@code value} is a POSIX-style offset zone ({@code +05:30}, {@code UTC+3}, {@code <+02>-02}). */
  public static boolean isPosixOffset(String value) {
    Matcher m = POSIX.matcher(value.trim());
    return m.matches() && Integer.parseInt(m.group(3)) < 168;
  }

  /** The zone of a setting; UTC for one that names nothing known. */
  public static ZoneId zone(String value) {
    String v = value.trim();
    Matcher m = POSIX.matcher(v);
    try {
      if (m.matches()) {
        int west = Integer.parseInt(m.group(3)) * 3600
            + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)) * 60)
            + (m.group(5) == null ? 0 : Integer.parseInt(m.group(5)));
        return ZoneOffset.ofTotalSeconds(m.group(2).equals("-") ? west : -west);
      }
      return ZoneId.of(v, ZoneId.SHORT_IDS);
    } catch (RuntimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
