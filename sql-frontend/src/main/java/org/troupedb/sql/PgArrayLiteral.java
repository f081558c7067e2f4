package org.troupedb.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's text form of a one-dimensional array ({@code array_in} / {@code array_out}):
 * {@code {1,NULL,"a b","q\\"uote"}}. The elements are texts; their type reads and writes them.
 * Shared by the SQL layer (casts, stored values) and pgwire (parameters, results).
 */
public final class PgArrayLiteral {
  private PgArrayLiteral() {}

  /**
   * The text form of a one-dimensional array whose elements are already in their text output form
   * ({@code null} for NULL): {@code array_out}'s quoting (an element that is empty, {@code NULL} in
   * any case, or holds a blank, comma, brace, quote or backslash is double-quoted, quotes and
   * backslashes escaped).
   */
  public static String formatTexts(List<String> elements) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      String s = elements.get(i);
      if (s == null) {
        b.append("NULL");
      } else if (s.isEmpty() || s.equalsIgnoreCase("NULL") || s.chars().anyMatch(c -> c == ',' || c == '{'
          || c == '}' || c == '"' || c == '\\' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B
          || c == '\f')) {
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else {
        b.append(s);
      }
    }
    return b.append('}').toString();
  }

  /**
   * Reads a one-dimensional array's text form as {@code array_in} does: {@code {a,"b c",NULL}}
   * into its element texts (null for an unquoted NULL). Blanks around elements are dropped, a
   * backslash takes the next character literally.
   *
   * @throws SqlException 22P02 {@code malformed array literal} with PostgreSQL's detail; 0A000 for
   *     more than one dimension or explicit bounds
   */
  public static List<String> parse(String text) throws SqlException {
    int i = skipBlanks(text, 0);
    if (i < text.length() && text.charAt(i) == '[') {
      throw SqlException.unsupported("array bounds in array literals");
    }
    if (i >= text.length() || text.charAt(i) != '{') {
      throw malformed(text, "Array value must start with \"{\" or dimension information.");
    }
    List<String> out = new ArrayList<>();
    i = skipBlanks(text, i + 1);
    if (i < text.length() && text.charAt(i) == '}') {
      return junkAfter(text, i + 1, out);
    }
    while (true) {
      i = skipBlanks(text, i);
      if (i >= text.length()) {
        throw malformed(text, "Unexpected end of input.");
      }
      char c = text.charAt(i);
      if (c == '{') {
        throw SqlException.unsupported("multidimensional arrays");
      }
      if (c == ',' || c == '}') {
        throw malformed(text, "Unexpected \"" + c + "\" character.");
      }
      StringBuilder e = new StringBuilder();
      boolean quoted = false;
      boolean escaped = false;
      int lastKept = 0; // length of e up to its last quoted or escaped character
      while (true) {
        if (i >= text.length()) {
          throw malformed(text, "Unexpected end of input.");
        }
        c = text.charAt(i);
        if (c == '\\') {
          if (i + 1 >= text.length()) {
            throw malformed(text, "Unexpected end of input.");
          }
          e.append(text.charAt(i + 1));
          escaped = true;
          lastKept = e.length();
          i += 2;
        } else if (c == '"') {
          quoted = !quoted;
          escaped = true;
          lastKept = e.length();
          i++;
        } else if (!quoted && (c == ',' || c == '}')) {
          break;
        } else if (!quoted && c == '{') {
          throw malformed(text, "Unexpected \"{\" character.");
        } else {
          e.append(c);
          if (quoted || !Character.isWhitespace(c)) {
            lastKept = e.length();
          }
          i++;
        }
      }
      String s = e.substring(0, lastKept);
      out.add(!escaped && s.equalsIgnoreCase("NULL") ? null : s);
      if (text.charAt(i) == '}') {
        return junkAfter(text, i + 1, out);
      }
      i++;
    }
  }

  private static List<String> junkAfter(String text, int i, List<String> out) throws SqlException {
    if (skipBlanks(text, i) < text.length()) {
      throw malformed(text, "Junk after closing right brace.");
    }
    return out;
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static SqlException malformed(String text, String detail) {
    return new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "malformed array literal: \"" + text + "\"",
        detail, null, null);
  }
}
