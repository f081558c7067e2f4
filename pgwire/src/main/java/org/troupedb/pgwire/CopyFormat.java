package org.troupedb.pgwire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyOptions;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL's COPY data formats, text and CSV: {@link Decoder} splits the bytes of CopyData
 * messages into rows of fields, {@link #encodeRow} writes one row.
 *
 * <pre>
 *   text: fields split by the delimiter (tab), one row per line; \N is NULL; backslash escapes
 *         \b \f \n \r \t \v \\ \&lt;delim&gt; \ooo (octal) \xhh (hex); a line "\." ends the data
 *   csv:  fields split by the delimiter (comma); "quoted" fields may hold delimiters, quotes
 *         (doubled, or preceded by ESCAPE) and newlines; an unquoted empty field is NULL
 * </pre>
 *
 * NB: rows are split on bytes: every delimiter, quote and escape is ASCII and never appears inside
 * a UTF-8 multi-byte sequence, so fields are decoded to text only once they are cut out.
 */
final class CopyFormat {
  private CopyFormat() {}

  /**
   * Splits COPY FROM input into rows. Feed it each CopyData payload, then call {@link #finish()};
   * each call returns the rows it completed. Line numbers count rows from 1 (the header too).
   */
  static final class Decoder {
    private final CopyOptions options;
    private final String relation;
    private final List<ColumnInfo> columns;
    private final byte[] nullBytes;
    private byte[] buf = new byte[8192];
    private int len;
    private long line;
    private long firstLine;
    private boolean ended;

    Decoder(CopyOptions options, String relation, List<ColumnInfo> columns) {
      this.options = options;
      this.relation = relation;
      this.columns = columns;
      this.nullBytes = options.nullString().getBytes(StandardCharsets.UTF_8);
    }

    /** The line number of the first row the last {@code feed} or {@code finish} returned. */
    long firstLine() {
      return firstLine;
    }

    /** Adds one CopyData payload; returns the rows it completed (possibly none). */
    List<String[]> feed(byte[] data) throws SqlException {
      if (ended) {
        return List.of(); // after the \. marker PostgreSQL ignores the rest
      }
      if (len + data.length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
      }
      System.arraycopy(data, 0, buf, len, data.length);
      len += data.length;
      return rows(false);
    }

    /** CopyDone: the last line may lack its newline. */
    List<String[]> finish() throws SqlException {
      if (ended) {
        return List.of();
      }
      List<String[]> rows = rows(true);
      if (len > 0 && options.csv()) {
        line++;
        throw error("unterminated CSV quoted field", rawLine(0, len));
      }
      return rows;
    }

    private List<String[]> rows(boolean atEnd) throws SqlException {
      List<String[]> out = new ArrayList<>();
      int start = 0;
      while (start < len && !ended) {
        int end = lineEnd(start);
        if (end < 0) {
          if (!atEnd || options.csv()) {
            break;
          }
          end = len;
        }
        int next = end < len ? end + 1 : end;
        int stop = end > start && buf[end - 1] == '\r' ? end - 1 : end;
        line++;
        if (stop - start == 2 && buf[start] == '\\' && buf[start + 1] == '.') {
          ended = true;
        } else if (!(options.header() && line == 1)) {
          if (out.isEmpty()) {
            firstLine = line;
          }
          out.add(options.csv() ? csvFields(start, stop) : textFields(start, stop));
        }
        start = next;
      }
      System.arraycopy(buf, start, buf, 0, len - start);
      len -= start;
      if (ended) {
        len = 0;
      }
      return out;
    }

    /** The index of the newline ending the row that starts at {@code from}, or -1 if incomplete. */
    private int lineEnd(int from) {
      boolean quoted = false;
      for (int i = from; i < len; i++) {
        byte b = buf[i];
        if (options.csv()) {
          if (quoted && b == options.escape() && options.escape() != options.quote() && i + 1 < len
              && (buf[i + 1] == options.quote() || buf[i + 1] == options.escape())) {
            i++;
          } else if (b == options.quote()) {
            quoted = !quoted;
          } else if (b == '\n' && !quoted) {
            return i;
          }
        } else if (b == '\\') {
          i++; // an escaped character, even a newline, belongs to the row
        } else if (b == '\n') {
          return i;
        }
      }
      return -1;
    }

    private String[] textFields(int start, int end) throws SqlException {
      String[] fields = new String[columns.size()];
      int n = 0;
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      int fieldStart = start;
      for (int i = start; ; i++) {
        if (i == end || buf[i] == options.delimiter()) {
          if (n == fields.length) {
            throw error("extra data after last expected column", rawLine(start, end));
          }
          boolean isNull = Arrays.equals(buf, fieldStart, i, nullBytes, 0, nullBytes.length);
          fields[n++] = isNull ? null : utf8(field.toByteArray(), start, end);
          field.reset();
          fieldStart = i + 1;
          if (i == end) {
            break;
          }
          continue;
        }
        byte b = buf[i];
        if (b != '\\' || i + 1 >= end) {
          field.write(b);
          continue;
        }
        byte c = buf[++i];
        switch (c) {
          case 'b' -> field.write('\b');
          case 'f' -> field.write('\f');
          case 'n' -> field.write('\n');
          case 'r' -> field.write('\r');
          case 't' -> field.write('\t');
          case 'v' -> field.write(0x0B);
          case 'x' -> {
            int v = 0;
            int digits = 0;
            while (digits < 2 && i + 1 < end && Character.digit(buf[i + 1], 16) >= 0) {
              v = v * 16 + Character.digit(buf[++i], 16);
              digits++;
            }
            field.write(digits == 0 ? 'x' : v);
          }
          default -> {
            if (c >= '0' && c <= '7') {
              int v = c - '0';
              for (int k = 0; k < 2 && i + 1 < end && buf[i + 1] >= '0' && buf[i + 1] <= '7'; k++) {
                v = v * 8 + (buf[++i] - '0');
              }
              field.write(v & 0xFF);
            } else {
              field.write(c);
            }
          }
        }
      }
      return complete(fields, n, start, end);
    }

    private String[] csvFields(int start, int end) throws SqlException {
      String[] fields = new String[columns.size()];
      int n = 0;
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      int i = start;
      while (true) {
        int fieldStart = i;
        boolean quotedField = false;
        boolean inQuote = false;
        while (i < end) {
          byte b = buf[i];
          if (inQuote) {
            if (b == options.escape() && i + 1 < end
                && (buf[i + 1] == options.quote() || buf[i + 1] == options.escape())) {
              field.write(buf[i + 1]);
              i += 2;
              continue;
            }
            if (b == options.quote()) {
              inQuote = false;
            } else {
              field.write(b);
            }
          } else if (b == options.delimiter()) {
            break;
          } else if (b == options.quote()) {
            inQuote = true;
            quotedField = true;
          } else {
            field.write(b);
          }
          i++;
        }
        if (inQuote) {
          throw error("unterminated CSV quoted field", rawLine(start, end));
        }
        if (n == fields.length) {
          throw error("extra data after last expected column", rawLine(start, end));
        }
        boolean isNull = !quotedField && Arrays.equals(buf, fieldStart, i, nullBytes, 0, nullBytes.length);
        fields[n++] = isNull ? null : utf8(field.toByteArray(), start, end);
        field.reset();
        if (i >= end) {
          break;
        }
        i++; // the delimiter
      }
      return complete(fields, n, start, end);
    }

    private String[] complete(String[] fields, int n, int start, int end) throws SqlException {
      if (n < fields.length) {
        if (fields.length == 0) {
          return fields;
        }
        throw error("missing data for column \"" + columns.get(n).name() + "\"", rawLine(start, end));
      }
      return fields;
    }

    private String utf8(byte[] bytes, int start, int end) throws SqlException {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new SqlException(CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"")
            .withContext("COPY " + relation + ", line " + line);
      }
    }

    private String rawLine(int start, int end) {
      return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    private SqlException error(String message, String raw) {
      return new SqlException(SqlState.BAD_COPY_FILE_FORMAT, message)
          .withContext("COPY " + relation + ", line " + line + ": \"" + raw + "\"");
    }
  }

  /** SQLSTATE 22021: a byte sequence that is not valid UTF-8. */
  static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

  /** The header line of COPY TO: the column names, formatted like values. */
  static byte[] encodeHeader(List<ColumnInfo> columns, CopyOptions options) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(options.delimiter());
      }
      appendValue(sb, columns.get(i).name(), options);
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One row of COPY TO output, newline included; values as in {@link org.troupedb.sql.PgType}. */
  static byte[] encodeRow(Object[] row, List<ColumnInfo> columns, CopyOptions options, ZoneId zone) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(options.delimiter());
      }
      Object v = i < row.length ? row[i] : null;
      if (v == null) {
        sb.append(options.nullString());
      } else {
        appendValue(sb, PgTextFormat.encode(columns.get(i).type(), v, zone), options);
      }
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendValue(StringBuilder sb, String s, CopyOptions options) {
    if (options.csv()) {
      appendCsv(sb, s, options);
    } else {
      appendText(sb, s, options.delimiter());
    }
  }

  private static void appendText(StringBuilder sb, String s, char delimiter) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0B -> sb.append("\\v");
        default -> {
          if (c == delimiter) {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
  }

  /**
   * A CSV value, quoted when it holds the delimiter, the quote, a newline or a carriage return, is
   * the NULL string itself, or is {@code \.} (PostgreSQL's rules); inside quotes the quote and the
   * escape character are preceded by the escape character.
   */
  private static void appendCsv(StringBuilder sb, String s, CopyOptions o) {
    boolean quote = s.equals(o.nullString()) || s.equals("\\.");
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == o.delimiter() || c == o.quote() || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append(o.quote());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == o.quote() || c == o.escape()) {
        sb.append(o.escape());
      }
      sb.append(c);
    }
    sb.append(o.quote());
  }
}
