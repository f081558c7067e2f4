package org.troupedb.sql.internal.errors;

import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Maps Calcite's validation and runtime errors to PostgreSQL SQLSTATEs. An exception that is a bug
 * of the engine or of Calcite (a NullPointerException, an AssertionError, ...) is XX000 "internal
 * error" for the client, its detail in the log: such text never reaches a client (issue 14).
 */
public final class Errors {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  /** True for the exceptions that only a bug throws; they say nothing to a client. */
  static boolean isBug(Throwable t) {
    return t instanceof NullPointerException || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException || t instanceof AssertionError
        || t instanceof IllegalStateException || t instanceof java.util.NoSuchElementException
        || t instanceof ArrayStoreException || t instanceof StackOverflowError;
  }

  /** XX000 "internal error" for a bug, logged with its stack trace. */
  public static SqlException internal(Throwable e) {
    LOG.error("internal error planning or running a statement", e);
    return new SqlException(SqlState.INTERNAL_ERROR, "internal error", e);
  }

  /**
   * {@link #fromValidation(Throwable)}, naming the argument types of an undefined function the way
   * PostgreSQL does where the statement shows them: a literal argument is {@code integer},
   * {@code bigint}, {@code numeric}, {@code boolean} or {@code unknown} (a string); any other keeps
   * the name of Calcite's type family.
   */
  public static SqlException fromValidation(Throwable e, org.apache.calcite.sql.SqlNode statement) {
    SqlException x = fromValidation(e);
    org.apache.calcite.runtime.CalciteContextException ctx = null;
    for (Throwable c = e; c != null && ctx == null; c = c.getCause() == c ? null : c.getCause()) {
      ctx = c instanceof org.apache.calcite.runtime.CalciteContextException cc ? cc : null;
    }
    String m = x.getMessage();
    if (SqlState.GROUPING_ERROR.equals(x.sqlState()) && m.startsWith("column \"") && m.indexOf('.') < 0) {
      String table = singleTable(statement);
      if (table != null) {
        return new SqlException(x.sqlState(), "column \"" + table + "." + m.substring(8), e);
      }
    }
    if (m.startsWith("Invalid number of arguments to function '") && ctx != null) {
      // PostgreSQL resolves by name and argument types together: no such function
      org.apache.calcite.sql.SqlCall call = callAt(statement, ctx.getPosLine(), ctx.getPosColumn());
      if (call != null) {
        String[] any = new String[call.operandCount()];
        java.util.Arrays.fill(any, "unknown");
        x = new SqlException(SqlState.UNDEFINED_FUNCTION, "function " + call.getOperator().getName()
            .toLowerCase(java.util.Locale.ROOT) + "(" + String.join(", ", any) + ")" + NOT_EXIST, null, HINT, e);
        m = x.getMessage();
      }
    }
    if (!SqlState.UNDEFINED_FUNCTION.equals(x.sqlState()) || ctx == null || !m.startsWith("function ")
        || !m.endsWith(")" + NOT_EXIST)) {
      return x;
    }
    org.apache.calcite.sql.SqlCall call = callAt(statement, ctx.getPosLine(), ctx.getPosColumn());
    String signature = m.substring("function ".length(), m.length() - NOT_EXIST.length());
    int open = signature.indexOf('(');
    String args = signature.substring(open + 1, signature.length() - 1);
    String[] types = args.isEmpty() ? new String[0] : args.split(", ");
    if (call == null || call.operandCount() != types.length) {
      return x;
    }
    for (int i = 0; i < types.length; i++) {
      if (call.operand(i) instanceof org.apache.calcite.sql.SqlLiteral lit) {
        types[i] = literalType(lit, types[i]);
      }
    }
    return new SqlException(x.sqlState(), "function " + signature.substring(0, open + 1) + String.join(", ", types) + ")"
        + NOT_EXIST, null, x.hint(), e);
  }

  private static final String NOT_EXIST = " does not exist";

  /**
   * The name PostgreSQL qualifies a column of {@code statement} with when its FROM clause is one
   * table (its alias, else its name); null otherwise.
   */
  private static String singleTable(org.apache.calcite.sql.SqlNode statement) {
    org.apache.calcite.sql.SqlNode q = statement instanceof org.apache.calcite.sql.SqlOrderBy o ? o.query : statement;
    if (!(q instanceof org.apache.calcite.sql.SqlSelect select) || select.getFrom() == null) {
      return null;
    }
    org.apache.calcite.sql.SqlNode from = select.getFrom();
    if (from.getKind() == org.apache.calcite.sql.SqlKind.AS && from instanceof org.apache.calcite.sql.SqlCall as
        && as.operand(0) instanceof org.apache.calcite.sql.SqlIdentifier
        && as.operand(1) instanceof org.apache.calcite.sql.SqlIdentifier alias && alias.isSimple()) {
      return alias.getSimple();
    }
    return from instanceof org.apache.calcite.sql.SqlIdentifier id ? id.names.get(id.names.size() - 1) : null;
  }
  private static final String HINT =
      "No function matches the given name and argument types. You might need to add explicit type casts.";

  private static String literalType(org.apache.calcite.sql.SqlLiteral lit, String otherwise) {
    if (lit instanceof org.apache.calcite.sql.SqlNumericLiteral num && num.isExact() && num.getScale() != null
        && num.getScale() == 0) {
      java.math.BigDecimal v = num.getValueAs(java.math.BigDecimal.class);
      java.math.BigInteger b = v.toBigIntegerExact();
      return b.bitLength() < 32 ? "integer" : b.bitLength() < 64 ? "bigint" : "numeric";
    } else if (lit instanceof org.apache.calcite.sql.SqlNumericLiteral) {
      return "numeric";
    } else if (lit instanceof org.apache.calcite.sql.SqlCharStringLiteral || lit.getValue() == null) {
      return "unknown";
    }
    return otherwise;
  }

  /** The call starting at (line, column) in {@code node}, or null. */
  private static org.apache.calcite.sql.SqlCall callAt(org.apache.calcite.sql.SqlNode node, int line, int column) {
    org.apache.calcite.sql.SqlCall[] found = {null};
    node.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
      @Override
      public Void visit(org.apache.calcite.sql.SqlCall call) {
        var pos = call.getParserPosition();
        if (found[0] == null && pos.getLineNum() == line && pos.getColumnNum() == column
            && call.getOperator() instanceof org.apache.calcite.sql.SqlFunction) {
          found[0] = call;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }

  public static SqlException fromValidation(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof SqlRuntimeException s) {
        return s.sqlException();
      }
      c = c.getCause();
    }
    if (c instanceof SqlRuntimeException s) {
      return s.sqlException();
    }
    if (isBug(c)) {
      return internal(e);
    }
    String msg = c.getMessage() == null ? e.toString() : c.getMessage();
    String state = SqlState.SYNTAX_ERROR;
    if (msg.startsWith("Object '") && msg.contains("not found")) {
      state = SqlState.UNDEFINED_TABLE;
      String name = msg.substring(8, msg.indexOf('\'', 8));
      msg = "relation \"" + name + "\" does not exist";
    } else if (msg.startsWith("Column '") && msg.contains("not found")) {
      state = SqlState.UNDEFINED_COLUMN;
      String name = msg.substring(8, msg.indexOf('\'', 8));
      msg = "column \"" + name + "\" does not exist";
    } else if (msg.startsWith("The definition of column '") && msg.contains("depends on itself")) {
      state = SqlState.UNDEFINED_COLUMN;
      String name = msg.substring(26, msg.indexOf('\'', 26));
      msg = "column \"" + name + "\" does not exist";
    } else if (msg.startsWith("Unknown target column")) {
      state = SqlState.UNDEFINED_COLUMN;
    } else if (msg.startsWith("No match found for function signature ")) {
      return new SqlException(SqlState.UNDEFINED_FUNCTION, "function "
          + pgSignature(msg.substring("No match found for function signature ".length())) + NOT_EXIST, null,
          HINT, e);
    } else if (msg.contains("ambiguous")) {
      state = SqlState.AMBIGUOUS_COLUMN;
    } else if (msg.startsWith("Expression '") && msg.endsWith("' is not being grouped")) {
      // NB: PostgreSQL names the column qualified by its table ("t.b"); Calcite names it as written.
      state = SqlState.GROUPING_ERROR;
      String expr = msg.substring(12, msg.length() - "' is not being grouped".length());
      msg = "column \"" + expr + "\" must appear in the GROUP BY clause or be used in an aggregate function";
    } else if (msg.contains("not being grouped") || msg.contains("GROUP BY")) {
      state = SqlState.GROUPING_ERROR;
    } else if (msg.startsWith("Cannot apply") || msg.contains("Cannot assign")) {
      state = SqlState.DATATYPE_MISMATCH;
    } else if (msg.startsWith(NO_CAST) && msg.contains(" to type ")) {
      // Calcite: "Cast function cannot convert value of type INTEGER NOT NULL to type UUID NOT NULL"
      int to = msg.indexOf(" to type ");
      return new SqlException(SqlState.CANNOT_COERCE, "cannot cast type " + castTypeName(msg.substring(NO_CAST.length(), to))
          + " to " + castTypeName(msg.substring(to + " to type ".length())), e);
    } else if (msg.contains("Illegal use of dynamic parameter")) {
      state = SqlState.DATATYPE_MISMATCH;
      msg = "could not determine data type of parameter";
    }
    return new SqlException(state, msg, e);
  }

  private static final String NO_CAST = "Cast function cannot convert value of type ";

  /** PostgreSQL's name for a Calcite type as a cast error prints it ({@code INTEGER NOT NULL}: integer). */
  private static String castTypeName(String calcite) {
    String t = calcite.replace(" NOT NULL", "").trim();
    String base = t.contains("(") ? t.substring(0, t.indexOf('(')) : t;
    return switch (base) {
      case "INTEGER" -> "integer";
      case "BIGINT" -> "bigint";
      case "SMALLINT", "TINYINT" -> "smallint";
      case "DECIMAL" -> "numeric";
      case "DOUBLE" -> "double precision";
      case "REAL", "FLOAT" -> "real";
      case "BOOLEAN" -> "boolean";
      case "CHAR", "VARCHAR" -> "text";
      case "VARBINARY", "BINARY" -> "bytea";
      case "DATE" -> "date";
      case "TIMESTAMP" -> "timestamp without time zone";
      case "TIMESTAMP_WITH_LOCAL_TIME_ZONE" -> "timestamp with time zone";
      case "UUID" -> "uuid";
      case "TIME" -> "time without time zone";
      default -> base.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Calcite's signature {@code foo(<NUMERIC>, <CHARACTER>)} in PostgreSQL's words. NB: Calcite names
   * only the type families, so an integer argument reads {@code numeric} and a string literal
   * {@code text} (PostgreSQL: {@code integer}, {@code unknown}).
   */
  static String pgSignature(String calcite) {
    int open = calcite.indexOf('(');
    if (open < 0 || !calcite.endsWith(")")) {
      return calcite;
    }
    String args = calcite.substring(open + 1, calcite.length() - 1).trim();
    StringBuilder sb = new StringBuilder(calcite.substring(0, open).toLowerCase(java.util.Locale.ROOT)).append('(');
    if (!args.isEmpty()) {
      String sep = "";
      for (String a : args.split(",")) {
        String family = a.trim().replace("<", "").replace(">", "");
        sb.append(sep).append(switch (family) {
          case "NUMERIC" -> "numeric";
          case "CHARACTER", "STRING" -> "text";
          case "BOOLEAN" -> "boolean";
          case "DATE" -> "date";
          case "TIMESTAMP" -> "timestamp without time zone";
          case "BINARY" -> "bytea";
          case "NULL" -> "unknown";
          case "INTERVAL_DAY_TIME", "INTERVAL_YEAR_MONTH" -> "interval";
          default -> family.toLowerCase(java.util.Locale.ROOT);
        });
        sep = ", ";
      }
    }
    return sb.append(')').toString();
  }

  /** How {@code UUID.fromString} (Calcite's cast of text to uuid) starts its complaint. */
  private static final String BAD_UUID = "Invalid UUID string: ";

  public static SqlException fromRuntime(Throwable e) {
    Throwable c = e instanceof ExceptionInInitializerError x && x.getCause() != null ? x.getCause() : e;
    while (c != null) {
      if (c instanceof SqlRuntimeException s) {
        return s.sqlException();
      }
      if (c instanceof ArithmeticException) {
        String m = String.valueOf(c.getMessage());
        if (m.contains("by zero")) {
          return new SqlException(SqlState.DIVISION_BY_ZERO, "division by zero", e);
        }
        return new SqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, outOfRange(m), e);
      }
      if (c instanceof IllegalArgumentException && String.valueOf(c.getMessage()).startsWith(BAD_UUID)) {
        return new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type uuid: \""
            + c.getMessage().substring(BAD_UUID.length()) + "\"", e);
      }
      if (c instanceof NumberFormatException) {
        return new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax: " + c.getMessage(), e);
      }
      if (isBug(c)) {
        return internal(e);
      }
      if (c.getCause() == c) {
        break;
      }
      c = c.getCause();
    }
    // Calcite's "Error while applying rule ..." and the like: a bug, whose text means nothing to a client
    return internal(e);
  }

  /** PostgreSQL's words for Java's checked-arithmetic overflow messages ({@code Math.addExact}). */
  private static String outOfRange(String javaMessage) {
    return switch (javaMessage) {
      case "integer overflow" -> "integer out of range";
      case "long overflow" -> "bigint out of range";
      case "short overflow" -> "smallint out of range";
      case "byte overflow" -> "smallint out of range";
      default -> javaMessage.endsWith("fit in a SMALLINT") || javaMessage.endsWith("fit in a TINYINT")
          ? "smallint out of range"
          : javaMessage.endsWith("fit in a INTEGER") ? "integer out of range"
          : javaMessage.endsWith("fit in a BIGINT") ? "bigint out of range"
          : javaMessage.contains("cannot be represented as a DECIMAL") ? "numeric field overflow" : javaMessage;
    };
  }

  /**
   * An error at a parsed node: the position travels as Calcite's own positioned exception (the
   * cause) until {@link #locate} turns it into a character position within the statement text.
   */
  public static SqlException at(String sqlState, String message, org.apache.calcite.sql.parser.SqlParserPos pos) {
    return new SqlException(sqlState, message, null, null, 0, new org.apache.calcite.runtime.CalciteContextException(
        message, new org.apache.calcite.sql.validate.SqlValidatorException(message, null), pos.getLineNum(),
        pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum()));
  }

  /** {@code e} (its DETAIL, HINT and CONTEXT kept) located at {@code pos}, as {@link #at(String, String, org.apache.calcite.sql.parser.SqlParserPos)}. */
  public static SqlException at(SqlException e, org.apache.calcite.sql.parser.SqlParserPos pos) {
    String message = e.getMessage();
    return new SqlException(e.sqlState(), message, e.detail(), e.hint(), 0,
        new org.apache.calcite.runtime.CalciteContextException(message,
            new org.apache.calcite.sql.validate.SqlValidatorException(message, null), pos.getLineNum(),
            pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum())).withContext(e.context());
  }

  /**
   * {@code e} positioned where Calcite located its cause (a {@code CalciteContextException}'s
   * line and column) within {@code sql}, the statement text that was parsed; {@code e} itself if
   * it already has a position or its cause has none.
   */
  public static SqlException locate(SqlException e, String sql) {
    if (e.position() > 0) {
      return e;
    }
    for (Throwable c = e.getCause(); c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof org.apache.calcite.runtime.CalciteContextException cc && cc.getPosLine() > 0) {
        return e.withPosition(position(sql, cc.getPosLine(), cc.getPosColumn()));
      }
    }
    return e;
  }

  /**
   * The 1-based character position in {@code sql} of a 1-based line and column as Calcite's
   * parser counts them (CR, LF and CRLF end a line; a tab is one column).
   */
  public static int position(String sql, int line, int column) {
    int lineStart = 0;
    for (int i = 0, l = 1; i < sql.length() && l < line; i++) {
      char ch = sql.charAt(i);
      if (ch == '\n' || (ch == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
        l++;
        lineStart = i + 1;
      }
    }
    return Math.min(lineStart + Math.max(column, 1), sql.length() + 1);
  }
}
