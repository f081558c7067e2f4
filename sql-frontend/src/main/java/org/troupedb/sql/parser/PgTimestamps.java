package org.troupedb.sql.parser;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimestampString;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Turns a PostgreSQL {@code TIMESTAMPTZ '…'} / {@code TIMESTAMP WITH TIME ZONE '…'} literal
 * ({@code '2024-01-15 10:30:00+00'}, {@code '2000-01-01 01:00:00.5+02:00'}) into a Calcite
 * TIMESTAMP WITH LOCAL TIME ZONE literal of the UTC time, resolved at parse time; without an offset
 * the time is the session's local time, so it is left to execution.
 */
public final class PgTimestamps {
  private static final Pattern OFFSET = Pattern.compile("\\s*(?:([+-])(\\d{1,2})(?::?(\\d{2}))?|z|utc)$",
      Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd")
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendPattern("HH:mm")
      .optionalStart().appendPattern(":ss").optionalEnd()
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .optionalEnd()
      .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
      .toFormatter(Locale.ROOT);

  private PgTimestamps() {}

  /**
   * The literal of the instant when the text carries an offset; otherwise the text cast to
   * timestamptz, read at execution in the session's TimeZone. Throws IllegalArgumentException on bad
   * text.
   */
  public static SqlNode toTimestampTz(String text, SqlParserPos pos) {
    Object[] parts = split(text);
    if (parts[1] == null) {
      return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text, pos),
          new SqlDataTypeSpec(new SqlPgTypeNameSpec("timestamptz", SqlPgTypeNameSpec.UNSPECIFIED,
              SqlPgTypeNameSpec.UNSPECIFIED, false, pos), pos));
    }
    LocalDateTime utc = OffsetDateTime.of((LocalDateTime) parts[0], (ZoneOffset) parts[1])
        .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    TimestampString ts = new TimestampString(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(),
        utc.getHour(), utc.getMinute(), utc.getSecond()).withNanos(utc.getNano());
    return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, ts, 6, pos);
  }

  /** The literal of a timestamp (without time zone) text, microseconds kept; IllegalArgumentException on bad text. */
  public static SqlNode toTimestamp(String text, SqlParserPos pos) {
    LocalDateTime t = parseLocal(text);
    return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, new TimestampString(t.getYear(), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()).withNanos(t.getNano()), 6, pos);
  }

  /** The instant a timestamptz text names; text without an offset is local time in {@code zone}. */
  public static Instant parseTimestampTz(String text, ZoneId zone) {
    Object[] parts = split(text);
    LocalDateTime local = (LocalDateTime) parts[0];
    return parts[1] != null ? local.toInstant((ZoneOffset) parts[1]) : local.atZone(zone).toInstant();
  }

  /** The local date and time of a timestamp text, any offset in it ignored (as timestamp input does). */
  public static LocalDateTime parseLocal(String text) {
    return (LocalDateTime) split(text)[0];
  }

  /** {local date-time, offset or null}; IllegalArgumentException on bad text. */
  private static Object[] split(String text) {
    String t = text.trim();
    ZoneOffset offset = null;
    Matcher m = OFFSET.matcher(t);
    if (m.find() && m.start() >= 10) {
      offset = ZoneOffset.UTC;
      if (m.group(1) != null) {
        int h = Integer.parseInt(m.group(2));
        int min = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int sign = m.group(1).equals("-") ? -1 : 1;
        offset = ZoneOffset.ofHoursMinutes(sign * h, sign * min);
      }
      t = t.substring(0, m.start());
    }
    try {
      return new Object[] {LocalDateTime.parse(t.trim(), LOCAL), offset};
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid input syntax for type timestamp with time zone: \"" + text + "\"", e);
    }
  }
}
