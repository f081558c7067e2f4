package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgTypeSystem;

/**
 * PostgreSQL's numeric rules where Calcite's differ: integer overflow is an error; numeric division keeps PostgreSQL's display
 * scale ({@code select_div_scale}: at least 16 significant digits, so {@code 7.0 / 2} is
 * {@code 3.5000000000000000} and avg of integers {@code 3.4285714285714286}); numeric to integer
 * casts round half away from zero and float to integer casts round half to even (Calcite
 * truncates); casts to numeric(p,s) round half away from zero; integer to boolean is {@code <> 0};
 * {@code extract(dow …)} counts Sunday as 0; boolean text input takes PostgreSQL's spellings
 * ({@code yes}, {@code on}, {@code 1}, …) and boolean output is lower case. NB: public only because generated plan code
 * calls its functions.
 */
public final class PgArithmetic {
  private PgArithmetic() {}

  private static final int MIN_SIG_DIGITS = 16;
  private static final int MAX_DISPLAY_SCALE = 1000;

  static final SqlOperator NUMERIC_DIV = udf("pg_numeric_div", "numericDiv");
  static final SqlOperator RINT = udf("pg_rint", "rint");
  /** A number or text as an unconstrained numeric of its own scale ({@link #toNumeric}). */
  public static final SqlOperator TO_NUMERIC = udf("pg_to_numeric", "toNumeric");
  static final SqlOperator TEXT_TO_BOOL = udf("pg_text_to_bool", "textToBool");
  static final SqlOperator BOOL_TO_TEXT = udf("pg_bool_to_text", "boolToText");

  private static SqlOperator udf(String name, String method) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ReturnTypes.ARG0, null, null, ScalarFunctionImpl.create(PgArithmetic.class, method));
  }

  /** PostgreSQL's {@code numeric / numeric}; null in, null out. */
  public static BigDecimal numericDiv(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    BigDecimal x = toDecimal(a);
    BigDecimal y = toDecimal(b);
    if (y.signum() == 0) {
      throw new ArithmeticException("Division by zero");
    }
    int[] wx = weightAndFirstDigit(x);
    int[] wy = weightAndFirstDigit(y);
    int qweight = wx[0] - wy[0];
    if (wx[1] <= wy[1]) {
      qweight--;
    }
    int rscale = MIN_SIG_DIGITS - qweight * 4;
    rscale = Math.max(rscale, Math.max(x.scale(), 0));
    rscale = Math.max(rscale, Math.max(y.scale(), 0));
    rscale = Math.min(Math.max(rscale, 0), MAX_DISPLAY_SCALE);
    return x.divide(y, rscale, RoundingMode.HALF_UP);
  }

  /** Weight and first digit of {@code v} in PostgreSQL's base-10000 numeric representation. */
  private static int[] weightAndFirstDigit(BigDecimal v) {
    if (v.signum() == 0) {
      return new int[] {0, 0};
    }
    BigDecimal a = v.abs();
    int exponent = a.precision() - a.scale() - 1; // power of ten of the leading decimal digit
    int weight = Math.floorDiv(exponent, 4);
    int first = a.movePointLeft(4 * weight).setScale(0, RoundingMode.FLOOR).intValue();
    return new int[] {weight, first};
  }

  private static BigDecimal toDecimal(Object o) {
    if (o instanceof BigDecimal d) {
      return d;
    } else if (o instanceof Double || o instanceof Float) {
      return BigDecimal.valueOf(((Number) o).doubleValue());
    }
    return BigDecimal.valueOf(((Number) o).longValue());
  }

  /**
   * A cast of a numeric literal to an integer type or of an integer literal to boolean, folded
   * the PostgreSQL way; null for any other call. NB: needed before validation because Calcite
   * folds literal casts while converting to relational algebra (truncating, and 1 to false).
   */
  public static SqlNode foldLiteralCast(SqlCall call) {
    if (call.getKind() != SqlKind.CAST || call.operandCount() != 2
        || !(call.operand(1) instanceof SqlDataTypeSpec spec) || !spec.getTypeName().isSimple()) {
      return null;
    }
    if (call.operand(0) instanceof org.apache.calcite.sql.SqlCharStringLiteral text) {
      SqlNode number = numberText(text, spec);
      if (number == null) {
        return foldTimestampLiteral(text, spec, call.getParserPosition());
      }
      SqlCall numberCast = (SqlCall) call.getOperator().createCall(call.getParserPosition(), number, spec);
      SqlNode folded = foldLiteralCast(numberCast);
      return folded != null ? folded : numberCast;
    }
    if (call.operand(0) instanceof SqlLiteral b && b.getTypeName() == SqlTypeName.BOOLEAN && b.getValue() != null
        && Set.of("TEXT", "VARCHAR", "CHAR", "BPCHAR").contains(spec.getTypeName().getSimple().toUpperCase(
            java.util.Locale.ROOT))) {
      // PostgreSQL's boolean text is lower case; Calcite folds this cast to 'TRUE'
      return call.getOperator().createCall(call.getParserPosition(),
          SqlLiteral.createCharString(b.booleanValue() ? "true" : "false", call.getParserPosition()), spec);
    }
    boolean negate = false;
    SqlNode arg = call.operand(0);
    if (arg.getKind() == SqlKind.MINUS_PREFIX && arg instanceof SqlCall minus) {
      negate = true;
      arg = minus.operand(0);
    }
    if (!(arg instanceof SqlNumericLiteral lit) || lit.getValue() == null) {
      return null;
    }
    BigDecimal v = lit.getValueAs(BigDecimal.class);
    if (negate) {
      v = v.negate();
    }
    SqlParserPos pos = call.getParserPosition();
    String target = spec.getTypeName().getSimple().toUpperCase(java.util.Locale.ROOT);
    switch (target) {
      case "BOOLEAN", "BOOL" -> {
        return lit.isExact() && v.scale() <= 0 ? SqlLiteral.createBoolean(v.signum() != 0, pos) : null;
      }
      case "INTEGER", "INT", "INT4", "BIGINT", "INT8", "SMALLINT", "INT2", "TINYINT" -> {
        checkIntegerRange(v.setScale(0, RoundingMode.HALF_UP), target);
        if (lit.isExact() && v.scale() <= 0) {
          return null;
        }
        BigDecimal rounded = lit.isExact() ? v.setScale(0, RoundingMode.HALF_UP)
            : BigDecimal.valueOf(Math.rint(v.doubleValue())).setScale(0, RoundingMode.UNNECESSARY);
        SqlNode literal = SqlLiteral.createExactNumeric(rounded.abs().toPlainString(), pos);
        if (rounded.signum() < 0) {
          literal = SqlStdOperatorTable.UNARY_MINUS.createCall(pos, literal);
        }
        return call.getOperator().createCall(pos, literal, spec);
      }
      case "NUMERIC", "DECIMAL" -> {
        int scale = spec.getTypeNameSpec() instanceof org.troupedb.sql.parser.ast.SqlPgTypeNameSpec pg ? pg.scale()
            : spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec b ? b.getScale() : -1;
        int precision = spec.getTypeNameSpec() instanceof org.troupedb.sql.parser.ast.SqlPgTypeNameSpec pg
            ? pg.precision() : spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec b
            ? b.getPrecision() : -1;
        if (precision < 0 && scale < 0 && lit.isExact() && v.scale() > 0) {
          return call.operand(0); // the literal is already an unconstrained numeric of its own scale
        } // (an integer literal is an integer: its cast stays, see plan/NumericLiteralCasts)
        if (scale < 0 || v.scale() <= scale) {
          return null;
        }
        // half away from zero, as numeric(p,s) input rounds (Calcite's literal cast truncates)
        BigDecimal rounded = v.setScale(scale, RoundingMode.HALF_UP);
        SqlNode literal = SqlLiteral.createExactNumeric(rounded.abs().toPlainString(), pos);
        if (rounded.signum() < 0) {
          literal = SqlStdOperatorTable.UNARY_MINUS.createCall(pos, literal);
        }
        return call.getOperator().createCall(pos, literal, spec);
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * A number as an unconstrained {@code numeric}: its own scale kept ({@code 10::bigint::numeric} is
   * {@code 10}, where Calcite's cast to DECIMAL(1000, 16) would print sixteen zeros); floats as
   * PostgreSQL's float to numeric casts print them ({@code %.15g}, real {@code %.6g}: {@code
   * 1e3::float8::numeric} is {@code 1000}, {@code 123456789.123456789::float8::numeric} {@code
   * 123456789.123457}).
   */
  public static BigDecimal toNumeric(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof Float f) {
      return floatDigits(f.doubleValue(), 6);
    } else if (v instanceof Double d) {
      return floatDigits(d, 15);
    } else if (v instanceof String t) {
      return new BigDecimal(t.trim());
    }
    return toDecimal(v);
  }

  /** {@code d} to {@code digits} significant digits without trailing zeros, as C's {@code %g} prints it. */
  private static BigDecimal floatDigits(double d, int digits) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new SqlRuntimeException(org.troupedb.sql.SqlException.unsupported(
          (Double.isNaN(d) ? "NaN" : "infinity") + " as numeric"));
    }
    BigDecimal b = new BigDecimal(d).round(new java.math.MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0) : b;
  }

  /** PostgreSQL's text of a boolean: {@code true} / {@code false} (Calcite: upper case). */
  public static String boolToText(Boolean b) {
    return b == null ? null : b ? "true" : "false";
  }

  /** PostgreSQL's boolean input ({@code t}, {@code yes}, {@code on}, {@code 1}, … any case, blanks around). */
  public static Boolean textToBool(String text) {
    if (text == null) {
      return null;
    }
    try {
      return (Boolean) ColumnType.of(org.troupedb.sql.PgType.BOOL).coerce(text);
    } catch (org.troupedb.sql.SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /** A cast to unconstrained numeric from a number: {@link #toNumeric}; else null. */
  private static RexNode castToNumeric(RexBuilder rb, RexCall c) {
    if (c.getKind() != SqlKind.CAST) {
      return null;
    }
    RexNode arg = c.getOperands().get(0);
    SqlTypeName from = arg.getType().getSqlTypeName();
    if (c.getKind() != SqlKind.CAST || c.getType().getSqlTypeName() != SqlTypeName.DECIMAL
        || c.getType().getPrecision() < PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION
        || !(SqlTypeName.INT_TYPES.contains(from) || from == SqlTypeName.DECIMAL || from == SqlTypeName.VARCHAR
            || from == SqlTypeName.CHAR
            || SqlTypeFamily.APPROXIMATE_NUMERIC.contains(arg.getType()))) {
      return null;
    }
    return rb.makeCall(c.getType(), TO_NUMERIC, List.of(arg));
  }

  /**
   * {@code 'text'::timestamp} as a literal with its microseconds ({@code ::timestamptz}: see {@link
   * org.troupedb.sql.parser.PgTimestamps}); Calcite's own folding keeps milliseconds. Null for other
   * types or text that is not a plain timestamp (left to the cast, which reports it).
   */
  private static SqlNode foldTimestampLiteral(org.apache.calcite.sql.SqlCharStringLiteral lit, SqlDataTypeSpec spec,
      SqlParserPos pos) {
    String target = spec.getTypeName().getSimple().toUpperCase(java.util.Locale.ROOT);
    String text = lit.getValueAs(String.class);
    try {
      if (target.equals("TIMESTAMPTZ")) {
        return org.troupedb.sql.parser.PgTimestamps.toTimestampTz(text, pos);
      }
      if (!target.equals("TIMESTAMP")) {
        return null;
      }
      java.time.LocalDateTime t = org.troupedb.sql.parser.PgTimestamps.parseLocal(text);
      return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, new org.apache.calcite.util.TimestampString(
          t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())
          .withNanos(t.getNano()), 6, pos);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** PostgreSQL's 22003 for a literal outside the integer type it is cast to ({@code 99999::smallint}). */
  private static void checkIntegerRange(BigDecimal v, String target) {
    String name = switch (target) {
      case "SMALLINT", "INT2", "TINYINT" -> "smallint";
      case "BIGINT", "INT8" -> "bigint";
      default -> "integer";
    };
    int bits = name.equals("smallint") ? 16 : name.equals("bigint") ? 64 : 32;
    if (v.toBigInteger().bitLength() >= bits) {
      throw new SqlRuntimeException(new org.troupedb.sql.SqlException(org.troupedb.sql.SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          name + " out of range"));
    }
  }

  /**
   * The number a string literal cast to numeric spells ({@code '1.5'::numeric} reads as {@code
   * 1.5::numeric}, keeping the text's scale where Calcite's cast printed 16 decimals), or null
   * when the target is another type or the text no plain decimal (left to the cast).
   */
  private static SqlNode numberText(org.apache.calcite.sql.SqlCharStringLiteral lit, SqlDataTypeSpec spec) {
    String target = spec.getTypeName().getSimple().toUpperCase(java.util.Locale.ROOT);
    String text = lit.getValueAs(String.class).trim();
    if (!(target.equals("NUMERIC") || target.equals("DECIMAL")) || !text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)")) {
      return null;
    }
    SqlParserPos pos = lit.getParserPosition();
    BigDecimal v = new BigDecimal(text);
    SqlNode literal = SqlLiteral.createExactNumeric(v.abs().toPlainString(), pos);
    return v.signum() < 0 ? SqlStdOperatorTable.UNARY_MINUS.createCall(pos, literal) : literal;
  }

  /** Round half to even, as PostgreSQL's float to integer casts do ({@code rint}). */
  public static Double rint(Double d) {
    return d == null ? null : Math.rint(d);
  }

  /**
   * Before planning: integer arithmetic is checked (overflow raises 22003 where Java would wrap),
   * casts to integer round, integer to boolean compares with zero; then timestamps are made
   * microseconds throughout ({@link PgTimestampMicros}).
   */
  public static RelNode rewriteBeforePlanning(RelNode rel) {
    return PgTimestampMicros.rewrite(rewriteNumbers(rel));
  }

  private static RelNode rewriteNumbers(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    return apply(rel, new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall call0)) {
          return visited;
        }
        RexNode fixed = PgScalarFunctions.rewrite(rb, call0);
        if (fixed != call0 || !(fixed instanceof RexCall c)) {
          return fixed;
        }
        if (SqlTypeName.INT_TYPES.contains(c.getType().getSqlTypeName())) {
          SqlOperator checked = switch (c.getKind()) {
            case PLUS -> SqlStdOperatorTable.CHECKED_PLUS;
            case MINUS -> SqlStdOperatorTable.CHECKED_MINUS;
            case TIMES -> SqlStdOperatorTable.CHECKED_MULTIPLY;
            case DIVIDE -> SqlStdOperatorTable.CHECKED_DIVIDE;
            case MINUS_PREFIX -> SqlStdOperatorTable.CHECKED_UNARY_MINUS;
            default -> null;
          };
          if (checked != null) {
            return rb.makeCall(c.getType(), checked, c.getOperands());
          }
        }
        if (c.getKind() == SqlKind.EXTRACT && c.getOperands().get(0) instanceof org.apache.calcite.rex.RexLiteral unit
            && unit.getValue() == org.apache.calcite.avatica.util.TimeUnitRange.DOW) {
          // PostgreSQL's dow counts Sunday as 0 (Calcite's as 1)
          return rb.makeCall(c.getType(), SqlStdOperatorTable.MINUS, List.of(c, rb.makeExactLiteral(BigDecimal.ONE,
              c.getType())));
        }
        if (c.getKind() != SqlKind.CAST) {
          return trimCharOperands(rb, c);
        }
        RexNode numeric = castToNumeric(rb, c);
        if (numeric != null) {
          return numeric;
        }
        RexNode arg = c.getOperands().get(0);
        if (isCharValue(arg) && c.getType().getSqlTypeName() == SqlTypeName.VARCHAR) {
          return rb.makeCast(c.getType(), rtrim(rb, arg));
        }
        SqlTypeName from = arg.getType().getSqlTypeName();
        SqlTypeName to = c.getType().getSqlTypeName();
        if (to == SqlTypeName.DECIMAL && from == SqlTypeName.DECIMAL
            && c.getType().getPrecision() < PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION
            && arg.getType().getScale() > c.getType().getScale()) {
          // numeric(p,s) rounds half away from zero (123.456::numeric(6,2) is 123.46); Calcite truncates
          return rb.makeCast(c.getType(), rb.makeCall(SqlStdOperatorTable.ROUND, arg,
              rb.makeExactLiteral(BigDecimal.valueOf(c.getType().getScale()))));
        }
        if (SqlTypeName.INT_TYPES.contains(to) && from == SqlTypeName.DECIMAL) {
          return rb.makeCast(c.getType(), rb.makeCall(SqlStdOperatorTable.ROUND, arg));
        }
        if (SqlTypeName.INT_TYPES.contains(to) && SqlTypeFamily.APPROXIMATE_NUMERIC.contains(arg.getType())) {
          RexNode asDouble = rb.makeCast(rb.getTypeFactory().createTypeWithNullability(
              rb.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), arg.getType().isNullable()), arg);
          return rb.makeCast(c.getType(), rb.makeCall(asDouble.getType(), RINT, List.of(asDouble)));
        }
        if (from == SqlTypeName.BOOLEAN && (to == SqlTypeName.CHAR || to == SqlTypeName.VARCHAR)) {
          RelDataType text = rb.getTypeFactory().createTypeWithNullability(
              rb.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), c.getType().isNullable());
          return rb.makeCast(c.getType(), rb.makeCall(text, BOOL_TO_TEXT, List.of(arg)));
        }
        if (to == SqlTypeName.BOOLEAN && (from == SqlTypeName.CHAR || from == SqlTypeName.VARCHAR)) {
          return rb.makeCall(c.getType(), TEXT_TO_BOOL, List.of(arg));
        }
        if (to == SqlTypeName.BOOLEAN && SqlTypeName.INT_TYPES.contains(from)) {
          return rb.makeCall(SqlStdOperatorTable.NOT_EQUALS, arg, rb.makeZeroLiteral(arg.getType()));
        }
        return visited;
      }
    });
  }

  /**
   * Functions that, in PostgreSQL, take {@code text}: a {@code character(n)} (bpchar) argument reaches
   * them through the bpchar-to-text cast, which drops trailing blanks ({@code length('ab'::char(5))} is
   * 2, {@code 'ab'::char(5) || '|'} is {@code ab|}). {@code octet_length} (counts the stored, padded
   * bytes), comparisons (blank-insensitive already) and LIKE (pads are significant) are not listed.
   */
  private static final java.util.Set<String> TEXT_FUNCTIONS = java.util.Set.of("||", "CONCAT", "CHAR_LENGTH",
      "CHARACTER_LENGTH", "UPPER", "LOWER", "INITCAP", "SUBSTRING", "REPLACE", "POSITION", "LEFT", "RIGHT",
      "REVERSE", "LPAD", "RPAD", "STRPOS", "TRANSLATE", "REPEAT", "SPLIT_PART", "CONCAT_WS", "ASCII", "MD5");

  /** A non-literal CHAR(n) value: literals are PostgreSQL's {@code unknown}/text, so their blanks count. */
  private static boolean isCharValue(RexNode e) {
    return e.getType().getSqlTypeName() == SqlTypeName.CHAR && !(e instanceof org.apache.calcite.rex.RexLiteral);
  }

  private static RexNode rtrim(RexBuilder rb, RexNode e) {
    return rb.makeCall(SqlStdOperatorTable.TRIM, rb.makeFlag(org.apache.calcite.sql.fun.SqlTrimFunction.Flag.TRAILING),
        rb.makeLiteral(" "), e);
  }

  /** Wraps CHAR(n) operands of text functions in a trailing-blank trim (the bpchar-to-text cast). */
  private static RexNode trimCharOperands(RexBuilder rb, RexCall c) {
    if (!TEXT_FUNCTIONS.contains(c.getOperator().getName().toUpperCase(java.util.Locale.ROOT))) {
      return c;
    }
    boolean changed = false;
    List<RexNode> ops = new java.util.ArrayList<>(c.getOperands());
    for (int i = 0; i < ops.size(); i++) {
      if (isCharValue(ops.get(i))) {
        ops.set(i, rtrim(rb, ops.get(i)));
        changed = true;
      }
    }
    if (!changed) {
      return c;
    }
    // keep the inferred type (the plan's row type stays as validated); the value is simply not padded
    return rb.makeCall(c.getType(), c.getOperator(), ops);
  }

  /**
   * After planning: numeric division with PostgreSQL's result scale (one call for another), and
   * casts to unconstrained numeric the planner added keep their argument's scale.
   */
  public static RelNode rewriteDivision(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    return apply(rel, new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (visited instanceof RexCall c && (c.getKind() == SqlKind.DIVIDE || c.getKind() == SqlKind.CHECKED_DIVIDE)
            && c.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
          return rb.makeCall(c.getType(), NUMERIC_DIV, c.getOperands());
        }
        RexNode numeric = visited instanceof RexCall c ? castToNumeric(rb, c) : null;
        return numeric != null ? numeric : visited;
      }
    });
  }

  private static RelNode apply(RelNode rel, RexShuttle rex) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }
}
