package org.troupedb.sql.internal.functions;

import java.time.LocalDateTime;
import java.time.Month;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * PostgreSQL's datetime template patterns ({@code to_char(timestamp, text)}, {@code to_timestamp(text,
 * text)}, {@code to_date}): {@code YYYY YYY YY Y MM DD DDD D ID HH24 HH12 HH MI SS MS US AM PM Q WW IW},
 * the names {@code Month MONTH month Mon MON mon Day DAY day Dy DY dy} (full names padded to 9
 * characters unless {@code FM}), the {@code FM} prefix (no padding), {@code "quoted"} text and any
 * other character as itself. NB: keywords are matched case-insensitively, longest first, as
 * PostgreSQL does; the case of a name keyword says how the name is written.
 */
final class PgDateFormat {
  private PgDateFormat() {}

  /** The keywords, longest first where one is a prefix of another. */
  private static final List<String> KEYWORDS = List.of("HH24", "HH12", "HH", "MI", "SS", "MS", "US", "AM", "PM",
      "YYYY", "YYY", "YY", "Y", "MONTH", "MON", "MM", "DAY", "DY", "DDD", "DD", "D", "ID", "IW", "Q", "WW");

  /** One piece of a template: a keyword (with its FM flag and spelling) or literal text. */
  private record Token(String keyword, String spelling, boolean fillMode, String literal) {}

  private static List<Token> tokens(String format) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < format.length()) {
      boolean fm = format.regionMatches(true, i, "FM", 0, 2);
      int at = fm ? i + 2 : i;
      String kw = null;
      for (String k : KEYWORDS) {
        if (format.regionMatches(true, at, k, 0, k.length())) {
          kw = k;
          break;
        }
      }
      if (kw != null) {
        out.add(new Token(kw, format.substring(at, at + kw.length()), fm, null));
        i = at + kw.length();
      } else if (format.charAt(i) == '"') {
        int end = format.indexOf('"', i + 1);
        end = end < 0 ? format.length() : end;
        out.add(new Token(null, null, false, format.substring(i + 1, end)));
        i = end + 1;
      } else {
        out.add(new Token(null, null, false, String.valueOf(format.charAt(i))));
        i++;
      }
    }
    return out;
  }

  /** {@code to_char} of a local date-time. */
  static String format(LocalDateTime t, String format) {
    StringBuilder sb = new StringBuilder();
    for (Token tok : tokens(format)) {
      if (tok.keyword() == null) {
        sb.append(tok.literal());
        continue;
      }
      boolean fm = tok.fillMode();
      int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
      switch (tok.keyword()) {
        case "HH24" -> sb.append(num(t.getHour(), 2, fm));
        case "HH12", "HH" -> sb.append(num(hour12, 2, fm));
        case "MI" -> sb.append(num(t.getMinute(), 2, fm));
        case "SS" -> sb.append(num(t.getSecond(), 2, fm));
        case "MS" -> sb.append(num(t.getNano() / 1_000_000, 3, fm));
        case "US" -> sb.append(num(t.getNano() / 1_000, 6, fm));
        case "AM", "PM" -> sb.append(cased(t.getHour() < 12 ? "AM" : "PM", tok.spelling()));
        case "YYYY" -> sb.append(num(t.getYear(), 4, fm));
        case "YYY" -> sb.append(num(t.getYear() % 1000, 3, fm));
        case "YY" -> sb.append(num(t.getYear() % 100, 2, fm));
        case "Y" -> sb.append(t.getYear() % 10);
        case "MONTH" -> sb.append(name(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH), tok, 9));
        case "MON" -> sb.append(cased(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), tok.spelling()));
        case "MM" -> sb.append(num(t.getMonthValue(), 2, fm));
        case "DAY" -> sb.append(name(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH), tok, 9));
        case "DY" -> sb.append(cased(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH),
            tok.spelling()));
        case "DDD" -> sb.append(num(t.getDayOfYear(), 3, fm));
        case "DD" -> sb.append(num(t.getDayOfMonth(), 2, fm));
        case "D" -> sb.append(t.getDayOfWeek().getValue() % 7 + 1);
        case "ID" -> sb.append(t.getDayOfWeek().getValue());
        case "IW" -> sb.append(num(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, fm));
        case "WW" -> sb.append(num((t.getDayOfYear() - 1) / 7 + 1, 2, fm));
        case "Q" -> sb.append((t.getMonthValue() - 1) / 3 + 1);
        default -> throw new IllegalStateException(tok.keyword());
      }
    }
    return sb.toString();
  }

  private static String num(int v, int width, boolean fm) {
    String s = Integer.toString(Math.abs(v));
    if (!fm && s.length() < width) {
      s = "0".repeat(width - s.length()) + s;
    }
    return v < 0 ? "-" + s : s;
  }

  /** A name in the case the keyword was written in: {@code MONTH}, {@code Month}, {@code month}. */
  private static String cased(String name, String spelling) {
    if (spelling.equals(spelling.toUpperCase(Locale.ROOT))) {
      return name.toUpperCase(Locale.ROOT);
    } else if (Character.isUpperCase(spelling.charAt(0))) {
      return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1).toLowerCase(Locale.ROOT);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static String name(String name, Token tok, int width) {
    String s = cased(name, tok.spelling());
    return tok.fillMode() || s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /**
   * {@code to_timestamp(text, format)} / {@code to_date}: the local date-time the text spells in the
   * template; fields the template lacks are January 1st of year 1, midnight (as in PostgreSQL).
   * Blanks in the input are skipped before a field; a literal in the template skips one character.
   */
  static LocalDateTime parse(String text, String format) {
    int year = 1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int micros = 0;
    Boolean pm = null;
    Integer dayOfYear = null;
    int[] pos = {0};
    for (Token tok : tokens(format)) {
      if (tok.keyword() == null) {
        for (int k = 0; k < tok.literal().length() && pos[0] < text.length(); k++) {
          if (!Character.isLetterOrDigit(text.charAt(pos[0])) || text.charAt(pos[0]) == tok.literal().charAt(k)) {
            pos[0]++;
          }
        }
        continue;
      }
      while (pos[0] < text.length() && text.charAt(pos[0]) == ' ') {
        pos[0]++;
      }
      switch (tok.keyword()) {
        case "HH24", "HH12", "HH" -> hour = digits(text, pos, 2, tok);
        case "MI" -> minute = digits(text, pos, 2, tok);
        case "SS" -> second = digits(text, pos, 2, tok);
        case "MS" -> micros = scaled(text, pos, 3, tok) * 1000;
        case "US" -> micros = scaled(text, pos, 6, tok);
        case "AM", "PM" -> {
          String ampm = letters(text, pos).toUpperCase(Locale.ROOT);
          if (!ampm.equals("AM") && !ampm.equals("PM")) {
            throw invalid(text, tok);
          }
          pm = ampm.equals("PM");
        }
        case "YYYY" -> year = digits(text, pos, 9, tok);
        case "YYY", "YY", "Y" -> {
          int width = tok.keyword().length();
          int y = digits(text, pos, width, tok);
          year = width == 2 ? (y < 70 ? 2000 + y : 1900 + y) : width == 3 ? 2000 + y : 2020 + y;
        }
        case "MONTH", "MON" -> month = monthNamed(letters(text, pos), text, tok);
        case "MM" -> month = digits(text, pos, 2, tok);
        case "DD" -> day = digits(text, pos, 2, tok);
        case "DDD" -> dayOfYear = digits(text, pos, 3, tok);
        case "DAY", "DY" -> letters(text, pos); // PostgreSQL ignores the day's name
        default -> throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
            "template pattern \"" + tok.spelling() + "\" is not supported in to_timestamp/to_date"));
      }
    }
    if (pm != null) {
      if (hour < 1 || hour > 12) {
        throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW,
            "hour \"" + hour + "\" is invalid for the 12-hour clock"));
      }
      hour = hour % 12 + (pm ? 12 : 0);
    }
    try {
      LocalDateTime t = dayOfYear != null ? java.time.LocalDate.ofYearDay(year, dayOfYear).atStartOfDay()
          : java.time.LocalDate.of(year, month, day).atStartOfDay();
      return t.withHour(hour).withMinute(minute).withSecond(second).withNano(micros * 1000);
    } catch (java.time.DateTimeException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW,
          "date/time field value out of range: \"" + text + "\""));
    }
  }

  private static int digits(String text, int[] pos, int max, Token tok) {
    int start = pos[0];
    boolean negative = start < text.length() && text.charAt(start) == '-' && tok.keyword().startsWith("Y");
    int i = negative ? start + 1 : start;
    while (i < text.length() && i - start < max && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i == start || negative && i == start + 1) {
      throw invalid(text, tok);
    }
    pos[0] = i;
    return Integer.parseInt(text.substring(start, i));
  }

  /** A fraction field ({@code MS}, {@code US}): fewer digits than the width count as leading digits. */
  private static int scaled(String text, int[] pos, int width, Token tok) {
    int start = pos[0];
    int v = digits(text, pos, width, tok);
    for (int n = pos[0] - start; n < width; n++) {
      v *= 10;
    }
    return v;
  }

  private static String letters(String text, int[] pos) {
    int start = pos[0];
    while (pos[0] < text.length() && Character.isLetter(text.charAt(pos[0]))) {
      pos[0]++;
    }
    return text.substring(start, pos[0]);
  }

  private static int monthNamed(String word, String text, Token tok) {
    for (Month m : Month.values()) {
      String full = m.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      String shortName = m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
      if (word.equalsIgnoreCase(tok.keyword().equals("MON") ? shortName : full)) {
        return m.getValue();
      }
    }
    throw new SqlRuntimeException(new SqlException(SqlState.INVALID_DATETIME_FORMAT,
        "invalid value \"" + word + "\" for \"" + tok.spelling() + "\""));
  }

  private static SqlRuntimeException invalid(String text, Token tok) {
    return new SqlRuntimeException(new SqlException(SqlState.INVALID_DATETIME_FORMAT,
        "invalid value \"" + text + "\" for \"" + tok.spelling() + "\""));
  }
}
