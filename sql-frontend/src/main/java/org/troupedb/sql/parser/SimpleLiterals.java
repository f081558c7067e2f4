package org.troupedb.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the integer literals of a simple-protocol query that stand where a bind parameter could
 * ({@code WHERE aid = 12345}, {@code SET abalance = abalance + -2345}, {@code VALUES (1, 2)}) into
 * parameters ({@code $1}, {@code $2}, …), so that every such query of one shape is parsed and
 * planned once per session instead of once per text: clients that write values into the text
 * (psql scripts, pgbench's {@code -M simple}, drivers that interpolate) otherwise pay Calcite's
 * parser twice and its planner once on every query.
 *
 * <p>Purely lexical (a scan of the text's tokens, not a rewrite by pattern), and deliberately
 * narrow: a single SELECT, UPDATE, DELETE or INSERT without parameters, dollar quotes, comments or
 * escape strings. A literal is a run of at most 18 digits, with a {@code -} sign directly before it
 * where that sign is unary, and is taken only as a whole operand (followed by the end, {@code ) ,
 * ;} or a keyword) in one of three places ({@link Context}): compared with a name, added to or
 * subtracted from a name, or an item of an INSERT's VALUES list. Whether the parameter's inferred
 * type keeps PostgreSQL's meaning is the caller's check ({@code Session}): the original text is
 * used whenever it does not.
 */
public final class SimpleLiterals {
  private static final int MAX_DIGITS = 18;
  private static final Set<String> EXPRESSION_KEYWORDS = Set.of("select", "where", "and", "or", "not", "when",
      "then", "else", "case", "set", "by", "on", "having", "returning", "is", "in", "like", "between",
      "distinct", "all", "any", "some", "as", "values", "limit", "offset", "from", "return", "array");

  /** Where a literal stood, which decides which parameter types keep its meaning. */
  public enum Context {
    /** After a comparison ({@code = <> != < > <= >=}) with a name before it; also SET's {@code =}. */
    COMPARED,
    /** After a binary {@code +} or {@code -} with a name before it: its type is the result's too. */
    ARITHMETIC,
    /** An item of an INSERT's VALUES list: assigned to its column. */
    VALUE
  }

  /** A query with its literals as {@code $1..$n}, their values and where each stood, in order. */
  public record Shape(String sql, long[] values, List<Context> contexts) {}

  private SimpleLiterals() {}

  /** The shape of {@code sql}, or null when it has no literal to take or is not a simple case. */
  public static Shape parameterize(String sql) {
    int n = sql.length();
    int start = skipSpace(sql, 0);
    if (!startsWithVerb(sql, start) || sql.indexOf('$') >= 0 || sql.contains("--") || sql.contains("/*")) {
      return null;
    }
    boolean insert = sql.regionMatches(true, start, "insert", 0, 6);
    StringBuilder out = null;
    List<Long> values = new ArrayList<>();
    List<Context> contexts = new ArrayList<>();
    int copied = 0;
    int depth = 0;
    boolean inValues = false;
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
        int from = unarySign(sql, i) ? i - 1 : i;
        Context context = end - i > MAX_DIGITS || end < n && (isNameChar(sql.charAt(end)) || sql.charAt(end) == '.')
            || !endsOperand(sql, end) ? null : context(sql, from, inValues && depth == 1);
        if (context != null) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          values.add(Long.parseLong(sql, from, end, 10));
          contexts.add(context);
          out.append(sql, copied, from).append('$').append(values.size());
          copied = end;
        }
        i = end;
      } else if (isNameChar(c)) {
        int w = i;
        while (i < n && isNameChar(sql.charAt(i))) {
          i++; // a name or keyword (digits inside it are not literals)
        }
        if (insert && depth == 0) {
          inValues = i - w == 6 && sql.regionMatches(true, w, "values", 0, 6); // a later word ends the list
        }
      } else if (c == '(' || c == ')') {
        depth += c == '(' ? 1 : -1;
        i++;
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
    return new Shape(out.toString(), v, List.copyOf(contexts));
  }

  private static boolean startsWithVerb(String sql, int at) {
    for (String verb : new String[] {"select", "update", "delete", "insert"}) {
      int end = at + verb.length();
      if (sql.regionMatches(true, at, verb, 0, verb.length()) && end < sql.length()
          && Character.isWhitespace(sql.charAt(end))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the literal starting at {@code at} (its sign included) stands, or null when it is none of
   * the places a parameter is taken: after a comparison or a binary {@code +}/{@code -} whose
   * left side ends in a name, or (when {@code valuesItem}) right after VALUES' {@code (} or a
   * {@code ,} inside it.
   */
  private static Context context(String sql, int at, boolean valuesItem) {
    int j = skipSpaceBack(sql, at - 1);
    if (valuesItem && j >= 0 && (sql.charAt(j) == '(' || sql.charAt(j) == ',')) {
      return Context.VALUE;
    }
    int opEnd = j + 1;
    while (j >= 0 && "=<>!+-".indexOf(sql.charAt(j)) >= 0) {
      j--;
    }
    String op = sql.substring(j + 1, opEnd);
    Context context = switch (op) {
      case "=", "<>", "!=", "<", ">", "<=", ">=" -> Context.COMPARED;
      case "+", "-" -> Context.ARITHMETIC;
      default -> null;
    };
    j = skipSpaceBack(sql, j);
    if (context == null || j < 0 || !(isNameChar(sql.charAt(j)) || sql.charAt(j) == '"')) {
      return null;
    }
    return context == Context.COMPARED || sql.charAt(j) == '"' || isColumnName(sql, j) ? context : null;
  }

  /**
   * Whether the word ending at {@code end} names a column: it starts with a letter or {@code _}
   * and is not a keyword that can precede an expression ({@code SELECT -5}, {@code THEN -5}, where
   * the {@code -} is unary and the literal has no column to take its type from).
   */
  private static boolean isColumnName(String sql, int end) {
    int w = end;
    while (w > 0 && isNameChar(sql.charAt(w - 1))) {
      w--;
    }
    String word = sql.substring(w, end + 1).toLowerCase(Locale.ROOT);
    return !isDigit(word.charAt(0)) && !EXPRESSION_KEYWORDS.contains(word);
  }

  /**
   * Whether the {@code -} right before the digits at {@code at} is a unary sign: directly before
   * them, and after an operator, {@code (} or {@code ,} (after a name, a literal or {@code )} it
   * is a binary minus).
   */
  private static boolean unarySign(String sql, int at) {
    if (at == 0 || sql.charAt(at - 1) != '-') {
      return false;
    }
    int j = skipSpaceBack(sql, at - 2);
    return j >= 0 && "=<>!+-*/(,".indexOf(sql.charAt(j)) >= 0;
  }

  private static int skipSpaceBack(String sql, int at) {
    while (at >= 0 && Character.isWhitespace(sql.charAt(at))) {
      at--;
    }
    return at;
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
