package org.troupedb.sql.internal.types;

import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * The 22P02 error {@code json_in} gives for text that is not JSON, with its DETAIL and CONTEXT.
 * Jackson finds that the text is bad; this class re-reads it the way PostgreSQL's {@code json_lex}
 * and its recursive-descent parser do (src/common/jsonapi.c), only to name the first bad token as
 * PostgreSQL names it ({@code Token "tru" is invalid.}, {@code Expected ":", but found "1".},
 * {@code The input string ended unexpectedly.}) and to quote the line up to it.
 */
final class PgJsonErrors {
  private PgJsonErrors() {}

  /** The error for {@code text}, which Jackson refused. */
  static SqlException of(String text) {
    Lexer lx = new Lexer(text);
    String detail;
    try {
      lx.next();
      lx.value();
      if (lx.kind != Kind.END) {
        throw lx.expected("end of input");
      }
      detail = "The input string ended unexpectedly."; // Jackson and PostgreSQL disagree; say something true
    } catch (Bad b) {
      detail = b.getMessage();
    }
    return new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json",
        detail, null, null).withContext(lx.context());
  }

  /** {@code JSON data, line n: …} as {@code report_json_context} writes it, up to {@code end}. */
  static String context(String text, int end) {
    int lineStart = 0;
    int line = 1;
    for (int i = 0; i < end && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int start = lineStart;
    while (end - start >= 50) {
      start++;
    }
    if (start - lineStart <= 3) {
      start = lineStart;
    }
    return "JSON data, line " + line + ": " + (start > lineStart ? "..." : "") + text.substring(start, end);
  }

  private enum Kind { LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON, STRING, SCALAR, END }

  private static final class Bad extends Exception {
    Bad(String detail) {
      super(detail, null, false, false);
    }
  }

  private static final class Lexer {
    final String s;
    int pos;
    int tokenStart;
    int tokenEnd;
    Kind kind;

    Lexer(String s) {
      this.s = s;
    }

    String context() {
      boolean more = kind != Kind.END && tokenEnd < s.length() && s.charAt(tokenEnd) != '\n'
          && s.charAt(tokenEnd) != '\r';
      return PgJsonErrors.context(s, tokenEnd) + (more ? "..." : "");
    }

    Bad expected(String what) {
      if (kind == Kind.END) {
        return new Bad("The input string ended unexpectedly.");
      }
      return new Bad("Expected " + what + ", but found \"" + s.substring(tokenStart, tokenEnd) + "\".");
    }

    void value() throws Bad {
      switch (kind) {
        case STRING, SCALAR -> next();
        case LBRACE -> {
          next();
          if (kind == Kind.RBRACE) {
            next();
            return;
          }
          for (boolean first = true; ; first = false) {
            if (kind != Kind.STRING) {
              throw expected(first ? "string or \"}\"" : "string");
            }
            next();
            if (kind != Kind.COLON) {
              throw expected("\":\"");
            }
            next();
            value();
            if (kind == Kind.RBRACE) {
              next();
              return;
            }
            if (kind != Kind.COMMA) {
              throw expected("\",\" or \"}\"");
            }
            next();
          }
        }
        case LBRACKET -> {
          next();
          if (kind == Kind.RBRACKET) {
            next();
            return;
          }
          while (true) {
            value();
            if (kind == Kind.RBRACKET) {
              next();
              return;
            }
            if (kind != Kind.COMMA) {
              throw expected("\",\" or \"]\"");
            }
            next();
          }
        }
        default -> throw expected("JSON value");
      }
    }

    void next() throws Bad {
      while (pos < s.length() && isBlank(s.charAt(pos))) {
        pos++;
      }
      tokenStart = pos;
      if (pos >= s.length()) {
        kind = Kind.END;
        tokenEnd = pos;
        return;
      }
      char c = s.charAt(pos);
      Kind single = switch (c) {
        case '{' -> Kind.LBRACE;
        case '}' -> Kind.RBRACE;
        case '[' -> Kind.LBRACKET;
        case ']' -> Kind.RBRACKET;
        case ',' -> Kind.COMMA;
        case ':' -> Kind.COLON;
        default -> null;
      };
      if (single != null) {
        kind = single;
        tokenEnd = ++pos;
        return;
      }
      if (c == '"') {
        string();
        return;
      }
      int end = pos;
      boolean number = false;
      if (c == '-' || Character.isDigit(c)) {
        end = numberEnd(pos);
        number = end >= 0;
        end = number ? end : ~end;
      }
      int wordEnd = end;
      while (wordEnd < s.length() && isAlnum(s.charAt(wordEnd))) {
        wordEnd++;
      }
      if (wordEnd == pos) {
        wordEnd = pos + 1;
      }
      String word = s.substring(pos, wordEnd);
      tokenEnd = wordEnd;
      pos = wordEnd;
      if (number && end == wordEnd || word.equals("true") || word.equals("false") || word.equals("null")) {
        kind = Kind.SCALAR;
        return;
      }
      throw new Bad("Token \"" + word + "\" is invalid.");
    }

    /**
     * The end of what {@code json_lex_number} consumes from {@code i} (sign, digits, fraction,
     * exponent), negative (its bitwise complement) when that is no valid number.
     */
    private int numberEnd(int i) {
      int j = i;
      boolean ok = true;
      if (j < s.length() && s.charAt(j) == '-') {
        j++;
      }
      int digits = j;
      if (j < s.length() && s.charAt(j) == '0') {
        j++;
      } else {
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
      }
      ok &= j > digits;
      if (j < s.length() && s.charAt(j) == '.') {
        int k = ++j;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        ok &= j > k;
      }
      if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
        j++;
        if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
          j++;
        }
        int k = j;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        ok &= j > k;
      }
      return ok ? j : ~j;
    }

    private void string() throws Bad {
      int i = pos + 1;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '"') {
          kind = Kind.STRING;
          tokenEnd = pos = i + 1;
          return;
        }
        if (c < 0x20) {
          tokenEnd = i;
          throw new Bad(String.format("Character with value 0x%02x must be escaped.", (int) c));
        }
        if (c == '\\') {
          i++;
          if (i >= s.length()) {
            break;
          }
          char e = s.charAt(i);
          if (e == 'u') {
            for (int k = 1; k <= 4; k++) {
              if (i + k >= s.length() || Character.digit(s.charAt(i + k), 16) < 0) {
                tokenEnd = Math.min(i + k + 1, s.length());
                throw new Bad("\"\\u\" must be followed by four hexadecimal digits.");
              }
            }
            i += 4;
          } else if ("\"\\/bfnrt".indexOf(e) < 0) {
            tokenEnd = i + 1;
            throw new Bad("Escape sequence \"\\" + e + "\" is invalid.");
          }
        }
        i++;
      }
      tokenEnd = s.length();
      throw new Bad("Token \"" + s.substring(pos) + "\" is invalid.");
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isAlnum(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c >= 0x80;
    }
  }
}
