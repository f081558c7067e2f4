package org.troupedb.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the integer literals that a simple-protocol query compares columns with ({@code WHERE aid
 * = 12345}) into parameters ({@code WHERE aid = $1}), so that every such query of one shape is
 * parsed and planned once per session instead of once per text: clients that write values into
 * the text (psql scripts, pgbench's {@code -M simple}, drivers that interpolate) otherwise pay
 * Calcite's parser twice and its planner once on every query.
 *
 * <p>Purely lexical, and deliberately narrow: a single SELECT, UPDATE or DELETE without
 * parameters, dollar quotes, comments or escape strings; a literal is taken only when it is a bare
 * run of at most 18 digits directly after a comparison ({@code = <> != < > <= >=}) whose left side
 * ends in a name, and followed by the end, {@code ) , ;} or a keyword. Whether the parameter's
 * inferred type keeps PostgreSQL's meaning is the caller's check ({@link Session}): the original
 * text is used whenever it does not.
 */
public final class SimpleLiterals {
  private static final int MAX_DIGITS = 18;

  /** A query with its literals as {@code $1..$n}, and their values in order. */
  public record Shape(String sql, long[] values) {}

  private SimpleLiterals() {}

  /** The shape of {@code sql}, or null when it has no literal to take or is not a simple case. */
  public static Shape parameterize(String sql) {
    int n = sql.length();
    int start = skipSpace(sql, 0);
    if (!startsWithVerb(sql, start) || sql.indexOf('$') >= 0 || sql.contains("--") || sql.contains("/*")) {
      return null;
    }
    StringBuilder out = null;
    List<Long> values = new ArrayList<>();
    int copied = 0;
    int i = start;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        if (i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
            && (i < 2 || !isNameChar(sql.charAt(i - 2)))) {
          return null; // E'…' has backslash escapes
        }
        i = skipQuoted(sql, i, '\'');
      } else if (c == '"') {
        i = skipQuoted(sql, i, '"');
      } else if (c == ';') {
        if (skipSpaceAndSemicolons(sql, i) < n) {
          return null; // more than one statement
        }
        i = n;
      } else if (isDigit(c) && (i == 0 || !isNameChar(sql.charAt(i - 1)) && sql.charAt(i - 1) != '.')) {
        int end = i;
        while (end < n && isDigit(sql.charAt(end))) {
          end++;
        }
        if (end - i <= MAX_DIGITS && (end == n || !isNameChar(sql.charAt(end)) && sql.charAt(end) != '.')
            && comparedWithName(sql, i) && endsOperand(sql, end)) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          values.add(Long.parseLong(sql, i, end, 10));
          out.append(sql, copied, i).append('$').append(values.size());
          copied = end;
        }
        i = end;
      } else if (isNameChar(c)) {
        while (i < n && isNameChar(sql.charAt(i))) {
          i++; // a name or keyword (digits inside it are not literals)
        }
      } else {
        i++;
      }
      if (i < 0) {
        return null; // an unterminated quote
      }
    }
    if (out == null) {
      return null;
    }
    out.append(sql, copied, n);
    long[] v = new long[values.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = values.get(k);
    }
    return new Shape(out.toString(), v);
  }

  private static boolean startsWithVerb(String sql, int at) {
    for (String verb : new String[] {"select", "update", "delete"}) {
      int end = at + verb.length();
      if (sql.regionMatches(true, at, verb, 0, verb.length()) && end < sql.length()
          && Character.isWhitespace(sql.charAt(end))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a comparison operator, with a name (or quoted name) before it, precedes {@code at}. */
  private static boolean comparedWithName(String sql, int at) {
    int j = at - 1;
    while (j >= 0 && Character.isWhitespace(sql.charAt(j))) {
      j--;
    }
    int opEnd = j + 1;
    while (j >= 0 && "=<>!".indexOf(sql.charAt(j)) >= 0) {
      j--;
    }
    String op = sql.substring(j + 1, opEnd);
    if (!(op.equals("=") || op.equals("<>") || op.equals("!=") || op.equals("<") || op.equals(">")
        || op.equals("<=") || op.equals(">="))) {
      return false;
    }
    while (j >= 0 && Character.isWhitespace(sql.charAt(j))) {
      j--;
    }
    return j >= 0 && (isNameChar(sql.charAt(j)) || sql.charAt(j) == '"');
  }

  /** Whether the literal ending at {@code end} is a whole operand (no cast or arithmetic follows). */
  private static boolean endsOperand(String sql, int end) {
    int k = skipSpace(sql, end);
    if (k == sql.length()) {
      return true;
    }
    char c = sql.charAt(k);
    if (c == ')' || c == ',' || c == ';') {
      return true;
    }
    if (!Character.isLetter(c) || k == end) {
      return false;
    }
    int w = k;
    while (w < sql.length() && isNameChar(sql.charAt(w))) {
      w++;
    }
    String word = sql.substring(k, w).toLowerCase(Locale.ROOT);
    return word.equals("and") || word.equals("or") || word.equals("order") || word.equals("limit")
        || word.equals("offset") || word.equals("for") || word.equals("group") || word.equals("returning")
        || word.equals("then") || word.equals("else") || word.equals("end") || word.equals("when")
        || word.equals("where") || word.equals("from");
  }

  /** The index after the quoted run starting at {@code at}, or -1 if it does not end. */
  private static int skipQuoted(String sql, int at, char quote) {
    int k = at + 1;
    while (k < sql.length()) {
      if (sql.charAt(k) == quote) {
        if (k + 1 < sql.length() && sql.charAt(k + 1) == quote) {
          k += 2; // doubled quote inside
          continue;
        }
        return k + 1;
      }
      k++;
    }
    return -1;
  }

  private static int skipSpace(String sql, int at) {
    while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
      at++;
    }
    return at;
  }

  private static int skipSpaceAndSemicolons(String sql, int at) {
    while (at < sql.length() && (Character.isWhitespace(sql.charAt(at)) || sql.charAt(at) == ';')) {
      at++;
    }
    return at;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
