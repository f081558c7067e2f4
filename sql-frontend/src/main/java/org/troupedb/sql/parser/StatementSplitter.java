package org.troupedb.sql.parser;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Splits a query string (a simple-query message may carry several statements) into statements at
 * its top-level semicolons, the way PostgreSQL's scanner sees them: a semicolon inside a string
 * ({@code '…'}, {@code E'…'} with backslash escapes), a quoted identifier ({@code "…"}), a dollar
 * quote ({@code $tag$…$tag$}) or a comment ({@code -- …}, nested {@code /* … *}{@code /}) does not
 * split. Statements that hold only blanks and comments are dropped.
 *
 * <p>It only finds boundaries and the first few words of each statement (so that a statement that
 * starts with no statement keyword can be reported where PostgreSQL reports it); the statements
 * themselves are parsed by {@link TroupeParser}.
 */
public final class StatementSplitter {
  /** How many leading tokens a {@link Piece} keeps. */
  private static final int HEAD = 4;

  /**
   * One statement: its text (trimmed), where that text starts in the whole string (0-based), and
   * its first tokens.
   */
  public record Piece(String text, int offset, List<Token> head) {
    /** The first token (lower case for a word), or null if it is not a word. */
    public String firstWord() {
      return head.isEmpty() || !head.get(0).word() ? null : head.get(0).lower();
    }
  }

  /**
   * A token as written, where it starts in its piece's text (0-based), and whether it is a bare
   * word (keyword or unquoted identifier).
   */
  public record Token(String text, int start, boolean word) {
    public String lower() {
      return text.toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String sql;
  private int i;

  private StatementSplitter(String sql) {
    this.sql = sql;
  }

  /**
   * The statements of {@code sql}, in order.
   *
   * @throws SqlException 42601 for an unterminated string, quoted identifier, dollar quote or
   *     block comment, positioned at its start as PostgreSQL does
   */
  public static List<Piece> split(String sql) throws SqlException {
    return new StatementSplitter(sql).pieces();
  }

  /**
   * {@code sql} in the normal form that keys the plan cache: texts that differ only in what the
   * scanner skips share it. Every run of blanks and comments becomes one space, or nothing at
   * either end and beside {@code ( ) , ;} (tokens that never join a neighbour); strings, quoted
   * identifiers and dollar quotes are kept as written, and so is case. NB: a newline between two
   * string constants is kept, since PostgreSQL joins {@code 'a'}⏎{@code 'b'} into one constant but
   * not {@code 'a' 'b'}. A text this scanner rejects (an unterminated quote) is returned as is.
   */
  public static String normalise(String sql) {
    StatementSplitter s = new StatementSplitter(sql);
    StringBuilder out = new StringBuilder(sql.length());
    try {
      while (true) {
        int gapStart = s.i;
        s.skipBlanksAndComments();
        if (s.i >= sql.length()) {
          return out.toString();
        }
        char first = sql.charAt(s.i);
        if (s.i > gapStart && out.length() > 0 && !joinsTight(out.charAt(out.length() - 1)) && !joinsTight(first)) {
          boolean newline = sql.substring(gapStart, s.i).indexOf('\n') >= 0;
          out.append(newline && first == '\'' && out.charAt(out.length() - 1) == '\'' ? '\n' : ' ');
        }
        int start = s.i;
        s.token();
        out.append(sql, start, s.i);
      }
    } catch (SqlException e) {
      return sql;
    }
  }

  /** Tokens that never join the token beside them, so no blank is needed next to them. */
  private static boolean joinsTight(char c) {
    return c == '(' || c == ')' || c == ',' || c == ';';
  }

  private List<Piece> pieces() throws SqlException {
    List<Piece> out = new ArrayList<>();
    int start = 0;
    List<int[]> tokens = new ArrayList<>(); // {start, end, word ? 1 : 0} of the statement's first tokens
    int n = sql.length();
    while (true) {
      skipBlanksAndComments();
      if (i >= n || sql.charAt(i) == ';') {
        if (!tokens.isEmpty()) {
          out.add(piece(start, i, tokens));
        }
        if (i >= n) {
          return out;
        }
        tokens.clear();
        start = ++i;
        continue;
      }
      int tokenStart = i;
      boolean word = token();
      if (tokens.size() < HEAD) {
        tokens.add(new int[] {tokenStart, i, word ? 1 : 0});
      }
    }
  }

  private Piece piece(int start, int end, List<int[]> tokens) {
    String raw = sql.substring(start, end);
    String text = raw.strip();
    int offset = start + raw.indexOf(text);
    List<Token> head = new ArrayList<>();
    for (int[] t : tokens) {
      head.add(new Token(sql.substring(t[0], t[1]), t[0] - offset, t[2] == 1));
    }
    return new Piece(text, offset, List.copyOf(head));
  }

  private void skipBlanksAndComments() throws SqlException {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int open = i;
        int depth = 0;
        do {
          if (i + 1 >= n) {
            throw unterminated("/* comment", open);
          }
          if (sql.startsWith("/*", i)) {
            depth++;
            i += 2;
          } else if (sql.startsWith("*/", i)) {
            depth--;
            i += 2;
          } else {
            i++;
          }
        } while (depth > 0);
      } else {
        return;
      }
    }
  }

  /** Consumes one token at {@code i}; true if it was a bare word. */
  private boolean token() throws SqlException {
    int n = sql.length();
    char c = sql.charAt(i);
    if ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'') {
      int open = i;
      i += 2;
      quoted('\'', true, open, "quoted string");
      return false;
    }
    if (c == '\'') {
      int open = i++;
      quoted('\'', false, open, "quoted string");
      return false;
    }
    if (c == '"') {
      int open = i++;
      quoted('"', false, open, "quoted identifier");
      return false;
    }
    if (c == '$') {
      int tagEnd = dollarTagEnd(i);
      if (tagEnd > 0) {
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        if (close < 0) {
          throw unterminated("dollar-quoted string", i);
        }
        i = close + tag.length();
        return false;
      }
      i++; // $n parameter, or a lone $
      while (i < n && Character.isDigit(sql.charAt(i))) {
        i++;
      }
      return false;
    }
    if (Character.isLetter(c) || c == '_') {
      while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
        i++;
      }
      return true;
    }
    if (Character.isDigit(c)) {
      while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
        i++;
      }
      return false;
    }
    i++;
    return false;
  }

  /** Where the opening {@code $tag$} that starts at {@code at} ends, or -1 if none starts there. */
  private int dollarTagEnd(int at) {
    int j = at + 1;
    int n = sql.length();
    if (j < n && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
        j++;
      }
    }
    return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  /** Consumes the rest of a quoted token whose opening quote is just before {@code i}. */
  private void quoted(char quote, boolean backslashEscapes, int open, String what) throws SqlException {
    int n = sql.length();
    while (i < n) {
      char d = sql.charAt(i++);
      if (backslashEscapes && d == '\\') {
        i++;
      } else if (d == quote) {
        if (i < n && sql.charAt(i) == quote) {
          i++;
        } else {
          return;
        }
      }
    }
    throw unterminated(what, open);
  }

  private SqlException unterminated(String what, int at) {
    return new SqlException(SqlState.SYNTAX_ERROR, "unterminated " + what + " at or near \""
        + sql.substring(at) + "\"", null, null, at + 1, null);
  }
}
