package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * A PostgreSQL-flavoured tokenizer: splits a query string into statements and gives the
 * hand-written statement parser ({@link CommandParser}) its tokens. Unquoted identifiers and
 * keywords are lower-cased; quoted identifiers keep their case; comments are skipped.
 */
public final class Lexer {
  /** Token kinds. */
  public enum Kind { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL, EOF }

  /** One token; {@code start}/{@code end} index the original text. */
  public record Token(Kind kind, String text, int start, int end) {
    public boolean is(String word) {
      return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(word);
    }
  }

  private Lexer() {}

  public static List<Token> tokenize(String sql) throws SqlException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "unterminated /* comment");
        }
        i = end + 2;
      } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        int start = i;
        if (c != '\'') {
          i++;
        }
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new SqlException(SqlState.SYNTAX_ERROR, "unterminated quoted string");
          }
          char d = sql.charAt(i);
          if (d == '\'') {
            if (i + 1 < n && sql.charAt(i + 1) == '\'') {
              sb.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(d);
          i++;
        }
        out.add(new Token(Kind.STRING, sb.toString(), start, i));
      } else if (c == '"') {
        int start = i;
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new SqlException(SqlState.SYNTAX_ERROR, "unterminated quoted identifier");
          }
          char d = sql.charAt(i);
          if (d == '"') {
            if (i + 1 < n && sql.charAt(i + 1) == '"') {
              sb.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(d);
          i++;
        }
        out.add(new Token(Kind.QUOTED, sb.toString(), start, i));
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        int start = i++;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.PARAM, sql.substring(start + 1, i), start, i));
      } else if (c == '$') {
        // dollar-quoted string $tag$...$tag$
        int tagEnd = sql.indexOf('$', i + 1);
        if (tagEnd < 0) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at or near \"$\"");
        }
        String tag = sql.substring(i, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "unterminated dollar-quoted string");
        }
        out.add(new Token(Kind.STRING, sql.substring(tagEnd + 1, close), i, close + tag.length()));
        i = close + tag.length();
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        out.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(), start, i));
      } else {
        int start = i;
        String two = i + 1 < n ? sql.substring(i, i + 2) : "";
        if (two.equals("::") || two.equals("<=") || two.equals(">=") || two.equals("<>")
            || two.equals("!=") || two.equals("||")) {
          i += 2;
        } else {
          i++;
        }
        out.add(new Token(Kind.SYMBOL, sql.substring(start, i), start, i));
      }
    }
    out.add(new Token(Kind.EOF, "", n, n));
    return out;
  }

  /** Splits on top-level semicolons; returns the statements' text, trimmed, empty ones dropped. */
  public static List<String> split(String sql) throws SqlException {
    List<String> out = new ArrayList<>();
    for (Piece p : pieces(sql)) {
      out.add(p.text());
    }
    return out;
  }

  /** One statement of a query string: its trimmed text and where that text starts in the string. */
  public record Piece(String text, int offset) {}

  /** Like {@link #split}, keeping each statement's offset (error positions are relative to the whole string). */
  public static List<Piece> pieces(String sql) throws SqlException {
    List<Token> tokens = tokenize(sql);
    List<Piece> out = new ArrayList<>();
    int start = 0;
    for (Token t : tokens) {
      if (t.kind() == Kind.EOF || (t.kind() == Kind.SYMBOL && t.text().equals(";"))) {
        String raw = sql.substring(start, t.start());
        String s = raw.trim();
        if (!s.isEmpty() && !tokenize(s).get(0).kind().equals(Kind.EOF)) {
          out.add(new Piece(s, start + raw.indexOf(s)));
        }
        start = t.end();
      }
    }
    return out;
  }
}
