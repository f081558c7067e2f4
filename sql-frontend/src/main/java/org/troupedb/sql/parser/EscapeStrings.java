package org.troupedb.sql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.NlsString;

/**
 * PostgreSQL's escape strings ({@code E'a\tb'}) and Unicode strings ({@code U&'d\0061t'}) as the
 * plain text literals they are in PostgreSQL. Calcite's parser gives them the character set UTF16
 * (its {@code StringLiteral} production), which no other text has: {@code name || E'\t'} then
 * failed validation with Calcite's own words ("VARCHAR is not comparable to CHAR(1) CHARACTER SET
 * "UTF-16LE"", "Cannot apply operation '=' to strings with different charsets") sent to the client.
 * Run on every parsed statement, this replaces each such literal in place by a literal of the
 * default character set, and reads an {@code E'…'} string's escapes from its text as PostgreSQL's
 * scanner does ({@code \q} is {@code q}, {@code \4} octal, bytes from {@code \ooo} / {@code \xhh}
 * decoded as UTF-8), where Calcite's reading differs.
 *
 * <p>NB: an escape string whose byte escapes are not valid UTF-8 ({@code E'\351'}, {@code E'\0'}),
 * which PostgreSQL refuses with 22021, keeps Calcite's reading (the characters of those bytes).
 */
public final class EscapeStrings {
  private EscapeStrings() {}

  /** Replaces, in place, the UTF16 character literals of {@code node}; {@code sql} is its text. */
  public static void plain(SqlNode node, String sql) {
    if (node == null || sql.indexOf('\'') < 0) {
      return;
    }
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        // NB: only a SqlBasicCall's operand list and setOperand are known to index alike.
        if (call instanceof SqlBasicCall) {
          List<SqlNode> operands = call.getOperandList();
          for (int i = 0; i < operands.size(); i++) {
            SqlLiteral plain = plainLiteral(operands.get(i), sql);
            if (plain != null) {
              call.setOperand(i, plain);
            }
          }
        }
        return super.visit(call);
      }

      @Override
      public Void visit(SqlNodeList list) {
        for (int i = 0; i < list.size(); i++) {
          SqlLiteral plain = plainLiteral(list.get(i), sql);
          if (plain != null) {
            list.set(i, plain);
          }
        }
        return super.visit(list);
      }
    });
  }

  /** The plain literal for {@code node} if it is a UTF16 character literal, else null. */
  private static SqlLiteral plainLiteral(SqlNode node, String sql) {
    if (!(node instanceof SqlCharStringLiteral lit)) {
      return null;
    }
    NlsString s = lit.getValueAs(NlsString.class);
    if (s.getCharset() == null || !s.getCharset().name().startsWith("UTF-16")) {
      return null;
    }
    String value = s.getValue();
    SqlParserPos pos = lit.getParserPosition();
    int at = offset(sql, pos.getLineNum(), pos.getColumnNum());
    if (at >= 0 && at + 1 < sql.length() && (sql.charAt(at) == 'E' || sql.charAt(at) == 'e')
        && sql.charAt(at + 1) == '\'') {
      String pg = unescape(sql, at + 2);
      value = pg != null ? pg : value;
    } else if (at >= 0 && at + 2 < sql.length() && (sql.charAt(at) == 'U' || sql.charAt(at) == 'u')
        && sql.charAt(at + 1) == '&' && sql.charAt(at + 2) == '\'') {
      String pg = unicode(sql, at + 3);
      value = pg != null ? pg : value;
    }
    return SqlLiteral.createCharString(value, pos);
  }

  /** The 0-based offset of (line, column), both 1-based with tabs counted as one column; -1 if none. */
  private static int offset(String sql, int line, int column) {
    int lineStart = 0;
    for (int i = 0, l = 1; l < line; i++) {
      if (i >= sql.length()) {
        return -1;
      }
      char ch = sql.charAt(i);
      if (ch == '\n' || (ch == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
        l++;
        lineStart = i + 1;
      }
    }
    int at = lineStart + column - 1;
    return at < sql.length() ? at : -1;
  }

  /**
   * The value of the escape string whose text starts at {@code from} (after {@code E'}), read as
   * PostgreSQL's scanner reads it; null where PostgreSQL would refuse it (invalid UTF-8).
   */
  static String unescape(String sql, int from) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          if (!flush(bytes, out)) {
            return null;
          }
          out.append('\'');
          i += 2;
          continue;
        }
        return flush(bytes, out) ? out.toString() : null;
      }
      if (c != '\\' || i + 1 >= sql.length()) {
        if (!flush(bytes, out)) {
          return null;
        }
        out.append(c);
        i++;
        continue;
      }
      char n = sql.charAt(i + 1);
      if (n >= '0' && n <= '7') {
        int end = digits(sql, i + 1, 3, 8);
        bytes.write(Integer.parseInt(sql.substring(i + 1, end), 8) & 0xFF);
        i = end;
        continue;
      }
      if (n == 'x' && digits(sql, i + 2, 2, 16) > i + 2) {
        int end = digits(sql, i + 2, 2, 16);
        bytes.write(Integer.parseInt(sql.substring(i + 2, end), 16));
        i = end;
        continue;
      }
      if (!flush(bytes, out)) {
        return null;
      }
      if (n == 'u' || n == 'U') {
        int len = n == 'u' ? 4 : 8;
        int end = digits(sql, i + 2, len, 16);
        if (end != i + 2 + len) {
          return null; // Calcite's parser refused it already
        }
        out.appendCodePoint(Integer.parseInt(sql.substring(i + 2, end), 16));
        i = end;
        continue;
      }
      out.append(switch (n) {
        case 'b' -> '\b';
        case 'f' -> '\f';
        case 'n' -> '\n';
        case 'r' -> '\r';
        case 't' -> '\t';
        default -> n; // any other character following a backslash is taken literally
      });
      i += 2;
    }
    return null;
  }

  /**
   * The value of the Unicode string whose text starts at {@code from} (after {@code U&'}):
   * {@code \XXXX}, {@code \+XXXXXX} and {@code \\} as PostgreSQL reads them; null if it is
   * malformed or a UESCAPE clause follows (then Calcite's reading stands).
   */
  static String unicode(String sql, int from) {
    StringBuilder out = new StringBuilder();
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          out.append('\'');
          i += 2;
          continue;
        }
        String rest = sql.substring(i + 1).stripLeading();
        return rest.regionMatches(true, 0, "uescape", 0, 7) ? null : out.toString();
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < sql.length() && sql.charAt(i + 1) == '\\') {
        out.append('\\');
        i += 2;
        continue;
      }
      boolean plus = i + 1 < sql.length() && sql.charAt(i + 1) == '+';
      int start = plus ? i + 2 : i + 1;
      int len = plus ? 6 : 4;
      if (digits(sql, start, len, 16) != start + len) {
        return null;
      }
      out.appendCodePoint(Integer.parseInt(sql.substring(start, start + len), 16));
      i = start + len;
    }
    return null;
  }

  /** The end of up to {@code max} digits of {@code radix} from {@code from}. */
  private static int digits(String s, int from, int max, int radix) {
    int i = from;
    while (i < s.length() && i < from + max && Character.digit(s.charAt(i), radix) >= 0) {
      i++;
    }
    return i;
  }

  /** Appends the pending byte escapes as UTF-8; false if they are not valid UTF-8 (or hold a NUL). */
  private static boolean flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() == 0) {
      return true;
    }
    byte[] b = bytes.toByteArray();
    bytes.reset();
    for (byte x : b) {
      if (x == 0) {
        return false;
      }
    }
    try {
      out.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
