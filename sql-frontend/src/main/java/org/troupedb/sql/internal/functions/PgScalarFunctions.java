package org.troupedb.sql.internal.functions;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.BuiltInMethod;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgTypeSystem;

/**
 * PostgreSQL functions Calcite lacks or implements differently: {@code to_char}, {@code to_date},
 * {@code to_timestamp}, {@code date_part}, {@code make_date}, {@code make_timestamp}, {@code trunc},
 * {@code div}, {@code encode}/{@code decode}, {@code to_hex}, {@code bit_length}, {@code starts_with},
 * {@code btrim}/{@code ltrim}/{@code rtrim} with characters, {@code left}/{@code right}
 * with negative lengths, {@code octet_length} of
 * text in UTF-8 bytes; and those that need a type TroupeDB lacks ({@code age}: intervals of months
 * and days; {@code regexp_match}: arrays) fail with 0A000 naming it.
 * Each is a {@link PgFunction}: an operand check, a result type and a static method of this class,
 * {@link PgDatetimeFunctions} or {@link PgTextFunctions}
 * chosen by the operands' types. Timestamps reach those methods as microseconds (the
 * {@link PgTimestampMicros} rewrite leaves their operands alone), dates as days since 1970-01-01.
 * NB: public only because generated plan code calls its methods.
 */
public final class PgScalarFunctions {
  private PgScalarFunctions() {}

  /** A function implemented by a static method of {@link PgScalarFunctions}. */
  static final class PgFunction extends SqlUserDefinedFunction {
    private final SqlOperandTypeChecker checker;

    PgFunction(String name, SqlReturnTypeInference returns, SqlOperandTypeChecker checker,
        Function<List<SqlTypeName>, String> method) {
      super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, returns, null, null,
          new Impl(method));
      this.checker = checker;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return checker.getOperandCountRange();
    }

    /** A mismatch is PostgreSQL's 42883 naming the argument types, as for an unknown function. */
    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      if (checker.checkOperandTypes(binding, false) || !throwOnFailure) {
        return checker.checkOperandTypes(binding, throwOnFailure);
      }
      List<String> types = new ArrayList<>();
      for (int i = 0; i < binding.getOperandCount(); i++) {
        types.add(pgTypeName(binding.getOperandType(i), binding.isOperandLiteral(i, false)));
      }
      throw new SqlRuntimeException(new SqlException(SqlState.UNDEFINED_FUNCTION, "function " + getName() + "("
          + String.join(", ", types) + ") does not exist", null,
          "No function matches the given name and argument types. You might need to add explicit type casts.",
          // the call's position, for the error's
          binding.getValidator().newValidationError(binding.getCall(),
              org.apache.calcite.util.Static.RESOURCE.validatorUnknownFunction(getName()))));
    }

    @Override
    public String getAllowedSignatures(String name) {
      return checker.getAllowedSignatures(this, name);
    }

    @Override
    public SqlFunctionCategory getFunctionType() {
      return SqlFunctionCategory.SYSTEM;
    }

    /** NB: never folded while planning: folding runs without the session's zone and would read µs as ms. */
    @Override
    public boolean isDeterministic() {
      return false;
    }
  }

  /** {@code time::text} as {@code time_out} writes it (see PgTime). */
  private static final SqlOperator TIME_OUT = new SqlUserDefinedFunction(
      new SqlIdentifier("pg_time_out", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.VARCHAR), null, null,
      org.apache.calcite.schema.impl.ScalarFunctionImpl.create(org.troupedb.sql.internal.types.PgTime.class, "timeOut"));

  /** {@code gen_random_uuid()}: a version-4 uuid. */
  public static java.util.UUID genRandomUuid() {
    return org.troupedb.sql.internal.types.PgUuid.random();
  }

  /** PostgreSQL's name of a type, as error messages spell it; a string literal is {@code unknown}. */
  static String pgTypeName(RelDataType t, boolean literal) {
    return switch (t.getSqlTypeName()) {
      case CHAR -> literal ? "unknown" : "character";
      case VARCHAR -> literal ? "unknown" : "text";
      case BOOLEAN -> "boolean";
      case TINYINT, SMALLINT -> "smallint";
      case INTEGER -> "integer";
      case BIGINT -> "bigint";
      case DECIMAL -> "numeric";
      case REAL, FLOAT -> "real";
      case DOUBLE -> "double precision";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp without time zone";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamp with time zone";
      case BINARY, VARBINARY -> "bytea";
      case NULL -> "unknown";
      default -> SqlTypeName.INTERVAL_TYPES.contains(t.getSqlTypeName()) ? "interval"
          : t.getSqlTypeName().getName().toLowerCase(Locale.ROOT);
    };
  }

  /** Calls the method {@code method} picks for the operand types, appending the session zone when it takes one. */
  private record Impl(Function<List<SqlTypeName>, String> method) implements CodeFunction {
    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> {
        List<SqlTypeName> types = call.getOperands().stream().map(o -> o.getType().getSqlTypeName()).toList();
        Method m = METHODS.get(method.apply(types) + "/" + operands.size());
        if (m == null) {
          throw new IllegalStateException("no method for " + call);
        }
        List<Expression> args = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          args.add(EnumUtils.convert(operands.get(i), m.getParameterTypes()[i]));
        }
        if (m.getParameterCount() > operands.size()) {
          args.add(Expressions.call(BuiltInMethod.TIME_ZONE.method, translator.getRoot()));
        }
        return Expressions.call(m, args);
      }, NullPolicy.STRICT, false);
    }
  }

  /**
   * The implementations' public static methods (this class's, {@link PgDatetimeFunctions}' and
   * {@link PgTextFunctions}'), by name and SQL operand count (a trailing TimeZone is not one).
   */
  private static final Map<String, Method> METHODS = java.util.stream.Stream.of(PgScalarFunctions.class,
          PgDatetimeFunctions.class, PgTextFunctions.class, IntervalFunctions.class)
      .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
      .filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()))
      .collect(Collectors.toMap(m -> m.getName() + "/" + (m.getParameterCount()
          - (m.getParameterCount() > 0 && m.getParameterTypes()[m.getParameterCount() - 1] == TimeZone.class ? 1 : 0)),
          m -> m));

  private static final SqlReturnTypeInference TEXT =
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference INT =
      ReturnTypes.explicit(SqlTypeName.INTEGER).andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference INTEGRAL_NUMERIC = b -> b.getTypeFactory().createTypeWithNullability(
      b.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION, 0),
      b.collectOperandTypes().stream().anyMatch(RelDataType::isNullable));

  private static PgFunction fn(String name, SqlReturnTypeInference returns, SqlOperandTypeChecker checker,
      Function<List<SqlTypeName>, String> method) {
    return new PgFunction(name, returns, checker, method);
  }

  private static PgFunction fn(String name, SqlReturnTypeInference returns, SqlOperandTypeChecker checker,
      String method) {
    return fn(name, returns, checker, types -> method);
  }

  /** A function PostgreSQL has whose type TroupeDB lacks: 0A000 naming both when called. */
  private static PgFunction unsupported(String name, String why) {
    return fn(name, TEXT, new NotSupported(name + "() is not supported: " + why), "unused");
  }

  private static String byFirstType(List<SqlTypeName> types, String base) {
    SqlTypeName t = types.get(0);
    return base + switch (t) {
      case DATE -> "Date";
      case TIMESTAMP -> "Timestamp";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TimestampTz";
      case TIME -> "Time";
      case VARCHAR, CHAR -> "Interval"; // a PostgreSQL interval (PgIntervalType)
      default -> SqlTypeName.YEAR_INTERVAL_TYPES.contains(t) ? "Months"
          : SqlTypeName.DAY_INTERVAL_TYPES.contains(t) ? "Millis" : "Number";
    };
  }

  /** The name {@code substring(text FROM 'pattern')} is rewritten to ({@link #regexSubstringCall}). */
  private static final String REGEX_SUBSTRING = "pg_regex_substring";

  /**
   * {@code substring(text FROM 'pattern')} (a string where Calcite expects a start position):
   * PostgreSQL's POSIX regular expression form; null for any other call.
   */
  public static org.apache.calcite.sql.SqlCall regexSubstringCall(org.apache.calcite.sql.SqlCall call) {
    if (!call.getOperator().getName().equalsIgnoreCase("SUBSTRING") || call.operandCount() != 2
        || !(call.operand(1) instanceof org.apache.calcite.sql.SqlCharStringLiteral)) {
      return null;
    }
    SqlParserPos pos = call.getParserPosition();
    return new org.apache.calcite.sql.SqlUnresolvedFunction(new SqlIdentifier(REGEX_SUBSTRING, pos), null, null, null,
        null, SqlFunctionCategory.USER_DEFINED_FUNCTION).createCall(pos, call.operand(0), call.operand(1));
  }

  /** The name {@code EXTRACT(unit FROM x)} is rewritten to before validation ({@link #extractCall}). */
  private static final String EXTRACT = "pg_extract";

  private static final SqlReturnTypeInference NUMERIC = b -> b.getTypeFactory().createTypeWithNullability(
      b.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION,
          PgTypeSystem.UNBOUNDED_NUMERIC_SCALE), b.collectOperandTypes().stream().anyMatch(RelDataType::isNullable));

  /**
   * {@code EXTRACT(unit FROM x)} as PostgreSQL computes it (numeric; seconds and epoch with their
   * microseconds, Sunday as day 0), or null for another call. NB: Calcite's EXTRACT is a bigint
   * and reads timestamps as milliseconds.
   */
  public static org.apache.calcite.sql.SqlCall extractCall(org.apache.calcite.sql.SqlCall call) {
    if (call.getKind() != SqlKind.EXTRACT || call.operandCount() != 2
        || !(call.operand(0) instanceof org.apache.calcite.sql.SqlIntervalQualifier unit)) {
      return null;
    }
    SqlParserPos pos = call.getParserPosition();
    return new org.apache.calcite.sql.SqlUnresolvedFunction(new SqlIdentifier(EXTRACT, pos), null, null, null, null,
        SqlFunctionCategory.USER_DEFINED_FUNCTION).createCall(pos,
            org.apache.calcite.sql.SqlLiteral.createCharString(unitName(unit), pos),
            call.operand(1));
  }

  static final List<PgFunction> FUNCTIONS = List.of(
      fn("to_char", TEXT, OperandTypes.or(OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER),
          OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.CHARACTER)), t -> byFirstType(t, "toChar")),
      fn("to_date", ReturnTypes.DATE_NULLABLE, OperandTypes.STRING_STRING, "toDate"),
      fn("to_timestamp", ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE)
          .andThen(SqlTypeTransforms.TO_NULLABLE), OperandTypes.or(OperandTypes.STRING_STRING, OperandTypes.NUMERIC),
          t -> t.size() == 2 ? "toTimestamp" : "toTimestampEpoch"),
      fn("date_part", ReturnTypes.DOUBLE_NULLABLE, OperandTypes.or(OperandTypes.family(SqlTypeFamily.CHARACTER,
          SqlTypeFamily.DATETIME), OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)),
          t -> byFirstType(t.subList(1, 2), "datePart")),
      fn(EXTRACT, NUMERIC, OperandTypes.or(OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME),
          OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME_INTERVAL),
          OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)),
          t -> byFirstType(t.subList(1, 2), "extract")),
      fn("make_date", ReturnTypes.DATE_NULLABLE, OperandTypes.family(SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER,
          SqlTypeFamily.INTEGER), "makeDate"),
      fn("make_timestamp", ReturnTypes.explicit(SqlTypeName.TIMESTAMP).andThen(SqlTypeTransforms.TO_NULLABLE),
          OperandTypes.family(SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER,
              SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER, SqlTypeFamily.NUMERIC), "makeTimestamp"),
      // trunc(double precision, integer) does not exist in PostgreSQL either
      fn("trunc", ReturnTypes.ARG0_NULLABLE, OperandTypes.or(OperandTypes.NUMERIC,
          OperandTypes.family(SqlTypeFamily.EXACT_NUMERIC, SqlTypeFamily.INTEGER)),
          t -> SqlTypeFamily.APPROXIMATE_NUMERIC.getTypeNames().contains(t.get(0)) ? "truncDouble" : "trunc"),
      fn("div", INTEGRAL_NUMERIC, OperandTypes.NUMERIC_NUMERIC, "div"),
      fn("btrim", TEXT, OperandTypes.or(OperandTypes.STRING, OperandTypes.STRING_STRING), "btrim"),
      fn("ltrim", TEXT, OperandTypes.or(OperandTypes.STRING, OperandTypes.STRING_STRING), "ltrim"),
      fn("rtrim", TEXT, OperandTypes.or(OperandTypes.STRING, OperandTypes.STRING_STRING), "rtrim"),
      fn("left", TEXT, OperandTypes.STRING_INTEGER, "left"),
      fn("right", TEXT, OperandTypes.STRING_INTEGER, "right"),
      fn(REGEX_SUBSTRING, TEXT, OperandTypes.STRING_STRING, "regexSubstring"),
      fn("to_hex", TEXT, OperandTypes.INTEGER, t -> t.get(0) == SqlTypeName.BIGINT ? "toHex" : "toHexInt"),
      fn("bit_length", INT, OperandTypes.or(OperandTypes.STRING, OperandTypes.BINARY),
          t -> t.get(0) == SqlTypeName.VARBINARY || t.get(0) == SqlTypeName.BINARY ? "bitLengthBytes" : "bitLength"),
      fn("starts_with", ReturnTypes.BOOLEAN_NULLABLE, OperandTypes.STRING_STRING, "startsWith"),
      fn("encode", TEXT, OperandTypes.family(SqlTypeFamily.BINARY, SqlTypeFamily.CHARACTER), "encode"),
      fn("decode", ReturnTypes.explicit(SqlTypeName.VARBINARY).andThen(SqlTypeTransforms.TO_NULLABLE),
          OperandTypes.STRING_STRING, "decode"),
      fn("octet_length", INT, OperandTypes.or(OperandTypes.STRING, OperandTypes.BINARY),
          t -> t.get(0) == SqlTypeName.VARBINARY || t.get(0) == SqlTypeName.BINARY ? "octetLengthBytes" : "octetLength"),
      fn("gen_random_uuid", ReturnTypes.explicit(SqlTypeName.UUID), OperandTypes.NILADIC, "genRandomUuid"),
      unsupported("regexp_match", "arrays are not supported"),
      unsupported("regexp_matches", "arrays are not supported"));

  /** {@link #FUNCTIONS} as a table that matches names in any case. */
  public static final SqlOperatorTable TABLE = AnyCaseFunctionTable.of(FUNCTIONS);

  /** Accepts any operands and fails with 0A000: the function needs a type TroupeDB lacks. */
  private record NotSupported(String message) implements SqlOperandTypeChecker {
    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED, message));
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return org.apache.calcite.sql.type.SqlOperandCountRanges.any();
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return opName + "(...)";
    }
  }

  /** Calcite's string functions whose implementations take {@code int} where PostgreSQL's take integer, by operand. */
  private static final Map<SqlOperator, List<Integer>> INT_OPERANDS = Map.of(
      SqlLibraryOperators.LPAD, List.of(1), SqlLibraryOperators.RPAD, List.of(1),
      SqlLibraryOperators.REPEAT, List.of(1), SqlLibraryOperators.SPLIT_PART, List.of(2),
      SqlLibraryOperators.CHR, List.of(0), SqlStdOperatorTable.ROUND, List.of(1));

  /**
   * Before planning: operands Calcite's coercion left {@code bigint} or {@code numeric} where the
   * implementation takes {@code int} are cast to integer ({@code lpad(t, $1)}); {@code length} of
   * bytea counts bytes (Calcite's counts the hex digits). Any other call is returned as is.
   */
  static RexNode rewrite(RexBuilder rb, RexCall c) {
    if (c.getKind() == SqlKind.CAST && c.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.TIME
        && SqlTypeFamily.CHARACTER.contains(c.getType())) {
      return rb.makeCall(c.getType(), TIME_OUT, c.getOperands()); // time_out's digits, not TIME(3)'s
    }
    List<Integer> ints = INT_OPERANDS.get(c.getOperator());
    if (ints != null) {
      List<RexNode> ops = new ArrayList<>(c.getOperands());
      boolean changed = false;
      for (int i : ints) {
        if (i < ops.size() && ops.get(i).getType().getSqlTypeName() != SqlTypeName.INTEGER
            && SqlTypeFamily.NUMERIC.contains(ops.get(i).getType())) {
          RelDataType intType = rb.getTypeFactory().createTypeWithNullability(
              rb.getTypeFactory().createSqlType(SqlTypeName.INTEGER), ops.get(i).getType().isNullable());
          ops.set(i, rb.makeCast(intType, ops.get(i)));
          changed = true;
        }
      }
      return changed ? c.clone(c.getType(), ops) : c;
    }
    if (c.getKind() == SqlKind.CHAR_LENGTH || c.getOperator() == SqlLibraryOperators.LENGTH) {
      RexNode arg = c.getOperands().get(0);
      if (arg.getKind() == SqlKind.CAST) { // the validator's coercion of bytea to a string
        arg = ((RexCall) arg).getOperands().get(0);
      }
      if (SqlTypeFamily.BINARY.contains(arg.getType())) {
        return rb.makeCall(c.getType(), SqlStdOperatorTable.OCTET_LENGTH, List.of(arg));
      }
    }
    return c;
  }

  private static String unitName(org.apache.calcite.sql.SqlIntervalQualifier unit) {
    String name = (unit.timeFrameName != null ? unit.timeFrameName : unit.getStartUnit().name()).toLowerCase(Locale.ROOT);
    return switch (name) {
      case "years", "months", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "decades" ->
          name.substring(0, name.length() - 1);
      case "centuries" -> "century";
      case "millennia", "millenniums" -> "millennium";
      default -> name;
    };
  }

  public static BigDecimal trunc(BigDecimal v) {
    return v.setScale(0, RoundingMode.DOWN);
  }

  public static BigDecimal trunc(BigDecimal v, int scale) {
    BigDecimal t = v.setScale(Math.max(scale, 0), RoundingMode.DOWN);
    return scale >= 0 ? t : t.movePointLeft(-scale).setScale(0, RoundingMode.DOWN).movePointRight(-scale);
  }

  public static double truncDouble(double v) {
    return v < 0 ? Math.ceil(v) : Math.floor(v);
  }

  public static BigDecimal div(BigDecimal a, BigDecimal b) {
    if (b.signum() == 0) {
      throw new ArithmeticException("Division by zero");
    }
    return a.divide(b, 0, RoundingMode.DOWN);
  }

}
