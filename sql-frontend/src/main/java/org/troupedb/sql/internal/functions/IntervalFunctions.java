package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.util.List;
import java.util.TimeZone;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.troupedb.sql.Interval;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgIntervalMath;
import org.troupedb.sql.internal.types.PgIntervalText;
import org.troupedb.sql.parser.ast.PgIntervalType;

/**
 * PostgreSQL's interval functions and operators over interval values in their internal text
 * ({@link PgIntervalText#encode}): the user-visible functions ({@code age}, {@code justify_*},
 * {@code make_interval}) and the operators {@link IntervalOperators} and {@code IntervalRex}
 * rewrite {@code + - * /}, comparisons and casts into. Timestamps arrive as microseconds
 * (these are {@link PgScalarFunctions.PgFunction}s, which {@link PgTimestampMicros} leaves alone).
 * NB: public only because generated plan code calls the methods.
 */
public final class IntervalFunctions {
  private IntervalFunctions() {}

  static final SqlReturnTypeInference INTERVAL = b -> PgIntervalType.of(b.getTypeFactory(),
      b.collectOperandTypes().stream().anyMatch(RelDataType::isNullable));
  private static final SqlReturnTypeInference TIMESTAMP =
      ReturnTypes.explicit(f -> f.createSqlType(SqlTypeName.TIMESTAMP, 6))
          .andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference TIMESTAMPTZ =
      ReturnTypes.explicit(f -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6))
          .andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference TEXT =
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE);

  private static PgScalarFunctions.PgFunction fn(String name, SqlReturnTypeInference returns,
      org.apache.calcite.sql.type.SqlOperandTypeChecker checker, String method) {
    return new PgScalarFunctions.PgFunction(name, returns, checker, types -> method);
  }

  // Internal operators (rewrites only; their names are not callable in SQL).
  static final SqlOperator IN = fn("pg_interval_in", INTERVAL, OperandTypes.ANY, "intervalIn");
  static final SqlOperator OUT = fn("pg_interval_out", TEXT, OperandTypes.ANY, "intervalOut");
  static final SqlOperator FROM_MONTHS = fn("pg_interval_from_months", INTERVAL, OperandTypes.ANY, "intervalFromMonths");
  static final SqlOperator FROM_MILLIS = fn("pg_interval_from_millis", INTERVAL, OperandTypes.ANY, "intervalFromMillis");
  static final SqlOperator PLUS = fn("pg_interval_pl", INTERVAL, OperandTypes.ANY_ANY, "intervalPlus");
  static final SqlOperator MINUS = fn("pg_interval_mi", INTERVAL, OperandTypes.ANY_ANY, "intervalMinus");
  static final SqlOperator NEGATE = fn("pg_interval_um", INTERVAL, OperandTypes.ANY, "intervalNegate");
  static final SqlOperator TIMES = fn("pg_interval_mul", INTERVAL, OperandTypes.ANY_ANY, "intervalTimes");
  static final SqlOperator DIVIDE = fn("pg_interval_div", INTERVAL, OperandTypes.ANY_ANY, "intervalDivide");
  static final SqlOperator CMP = fn("pg_interval_cmp", ReturnTypes.INTEGER_NULLABLE, OperandTypes.ANY_ANY,
      "intervalCmp");
  static final SqlOperator TIMESTAMP_PLUS = fn("pg_timestamp_pl_interval", TIMESTAMP, OperandTypes.ANY_ANY,
      "intervalTimestampPlus");
  static final SqlOperator TIMESTAMPTZ_PLUS = fn("pg_timestamptz_pl_interval", TIMESTAMPTZ, OperandTypes.ANY_ANY,
      "intervalTimestampTzPlus");
  static final SqlOperator DATE_PLUS = fn("pg_date_pl_interval", TIMESTAMP, OperandTypes.ANY_ANY, "intervalDatePlus");
  static final SqlOperator TIME_PLUS = fn("pg_time_pl_interval", ReturnTypes.ARG0_NULLABLE, OperandTypes.ANY_ANY,
      "intervalTimePlus");
  static final SqlOperator TIMESTAMP_DIFF = fn("pg_timestamp_mi", INTERVAL, OperandTypes.ANY_ANY,
      "intervalTimestampDiff");
  static final SqlOperator TIME_DIFF = fn("pg_time_mi", INTERVAL, OperandTypes.ANY_ANY, "intervalTimeDiff");
  static final SqlOperator MAKE = fn("pg_make_interval", INTERVAL, OperandTypes.family(SqlTypeFamily.INTEGER,
      SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER,
      SqlTypeFamily.INTEGER, SqlTypeFamily.NUMERIC), "intervalMake");

  private static final org.apache.calcite.sql.type.SqlOperandTypeChecker ONE_INTERVAL = OperandTypes.CHARACTER;
  private static final org.apache.calcite.sql.type.SqlOperandTypeChecker TIMESTAMPS = OperandTypes.or(
      OperandTypes.family(SqlTypeFamily.TIMESTAMP), OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.TIMESTAMP));

  static final SqlOperator KEY = fn("pg_interval_key", TEXT, OperandTypes.ANY, "intervalKey");

  /**
   * The functions callable by name; the internal operators above are listed too, because Calcite
   * resolves a function call it validates by name.
   */
  static final List<PgScalarFunctions.PgFunction> FUNCTIONS = List.of(
      (PgScalarFunctions.PgFunction) IN, (PgScalarFunctions.PgFunction) OUT,
      (PgScalarFunctions.PgFunction) FROM_MONTHS, (PgScalarFunctions.PgFunction) FROM_MILLIS,
      (PgScalarFunctions.PgFunction) NEGATE, (PgScalarFunctions.PgFunction) MAKE, (PgScalarFunctions.PgFunction) KEY,
      fn("justify_days", INTERVAL, ONE_INTERVAL, "intervalJustifyDays"),
      fn("justify_hours", INTERVAL, ONE_INTERVAL, "intervalJustifyHours"),
      fn("justify_interval", INTERVAL, ONE_INTERVAL, "intervalJustifyInterval"),
      fn("age", INTERVAL, TIMESTAMPS, "intervalAge"));

  /** {@link #FUNCTIONS} as a table that matches names in any case. */
  public static final SqlOperatorTable TABLE = AnyCaseFunctionTable.of(FUNCTIONS);

  static Interval value(String s) {
    try {
      return PgIntervalText.decode(s);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  static String text(Interval iv) {
    return PgIntervalText.encode(iv);
  }

  /** A sort key of an interval: PostgreSQL's order, equal for equal intervals ({@code 1 mon}, {@code 30 days}). */
  public static org.apache.calcite.rex.RexNode sortKey(org.apache.calcite.rex.RexBuilder rb,
      org.apache.calcite.rex.RexNode interval) {
    return rb.makeCall(KEY, interval);
  }

  /** {@code pg_interval_in(text)} as a call: an interval the planner never folds (so it compares as one). */
  public static org.apache.calcite.sql.SqlNode inCall(org.apache.calcite.sql.SqlNode text) {
    return IN.createCall(text.getParserPosition(), text);
  }

  public static String intervalKey(String s) {
    String encoded = PgIntervalText.isEncoded(s) ? s : text(value(s));
    return encoded.substring(0, encoded.indexOf(':'));
  }

  public static String intervalIn(String s) {
    return text(value(s));
  }

  public static String intervalOut(String s) {
    return PgIntervalText.format(value(s));
  }

  public static String intervalFromMonths(int months) {
    return text(new Interval(months, 0, 0));
  }

  public static String intervalFromMillis(long millis) {
    return text(PgIntervalMath.justifyHours(new Interval(0, 0, Math.multiplyExact(millis, 1000L))));
  }

  public static String intervalPlus(String a, String b) {
    return text(PgIntervalMath.plus(value(a), value(b)));
  }

  public static String intervalMinus(String a, String b) {
    return text(PgIntervalMath.minus(value(a), value(b)));
  }

  public static String intervalNegate(String a) {
    return text(PgIntervalMath.negate(value(a)));
  }

  public static String intervalTimes(String a, Object factor) {
    return text(PgIntervalMath.times(value(a), ((Number) factor).doubleValue()));
  }

  public static String intervalDivide(String a, Object factor) {
    return text(PgIntervalMath.divide(value(a), ((Number) factor).doubleValue()));
  }

  public static int intervalCmp(String a, String b) {
    return PgIntervalText.cmpValue(value(a)).compareTo(PgIntervalText.cmpValue(value(b)));
  }

  public static long intervalTimestampPlus(long micros, String iv) {
    return PgIntervalMath.plusTimestamp(micros, value(iv));
  }

  public static long intervalTimestampTzPlus(long micros, String iv, TimeZone zone) {
    return PgIntervalMath.plusTimestampTz(micros, value(iv), zone.toZoneId());
  }

  public static long intervalDatePlus(int days, String iv) {
    return PgIntervalMath.plusDate(days, value(iv));
  }

  public static int intervalTimePlus(int millis, String iv) {
    return PgIntervalMath.plusTime(millis, value(iv));
  }

  public static String intervalTimestampDiff(long a, long b) {
    return text(PgIntervalMath.difference(a, b));
  }

  /** {@code time - time} (milliseconds since midnight). */
  public static String intervalTimeDiff(int a, int b) {
    return text(new Interval(0, 0, ((long) a - b) * 1000L));
  }

  public static String intervalJustifyDays(String a) {
    return text(PgIntervalMath.justifyDays(value(a)));
  }

  public static String intervalJustifyHours(String a) {
    return text(PgIntervalMath.justifyHours(value(a)));
  }

  public static String intervalJustifyInterval(String a) {
    return text(PgIntervalMath.justifyInterval(value(a)));
  }

  public static String intervalAge(long a, long b) {
    return text(PgIntervalMath.age(a, b));
  }

  public static BigDecimal extractInterval(String field, String iv) {
    return PgIntervalMath.extract(field.toLowerCase(java.util.Locale.ROOT), value(iv));
  }

  public static double datePartInterval(String field, String iv) {
    return extractInterval(field, iv).doubleValue();
  }

  public static String intervalMake(int years, int months, int weeks, int days, int hours, int mins, Object secs) {
    return text(PgIntervalMath.make(years, months, weeks, days, hours, mins, ((Number) secs).doubleValue()));
  }

  private static final List<String> MAKE_PARAMS = List.of("years", "months", "weeks", "days", "hours", "mins", "secs");

  /**
   * Before validation: {@code sum} and {@code avg} may become the interval ones ({@link
   * IntervalAggregates}), {@code age(ts)} is {@code age(current_date, ts)} (midnight of the
   * transaction's date), and {@code make_interval}'s arguments, positional or named ({@code days =>
   * 10}), are completed with its zero defaults; null for any other call.
   */
  public static org.apache.calcite.sql.SqlCall rewriteCall(org.apache.calcite.sql.SqlCall call) {
    org.apache.calcite.sql.SqlCall aggregate = IntervalAggregates.wrap(call);
    if (aggregate != null) {
      return aggregate;
    }
    if (call.getKind() == org.apache.calcite.sql.SqlKind.CAST && call.operandCount() == 2
        && call.operand(0) instanceof org.apache.calcite.sql.SqlNumericLiteral
        && call.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof org.troupedb.sql.parser.ast.SqlPgTypeNameSpec pg
        && pg.typeName().equals("interval")) {
      throw new SqlRuntimeException(org.troupedb.sql.internal.errors.Errors.at(org.troupedb.sql.SqlState.CANNOT_COERCE,
          "cannot cast type " + (((org.apache.calcite.sql.SqlNumericLiteral) call.operand(0)).isExact()
              && ((org.apache.calcite.sql.SqlNumericLiteral) call.operand(0)).getScale() == 0 ? "integer" : "numeric")
              + " to interval", call.getParserPosition()));
    }
    if (!(call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f)) {
      return null;
    }
    String name = f.getName().toLowerCase(java.util.Locale.ROOT);
    org.apache.calcite.sql.parser.SqlParserPos pos = call.getParserPosition();
    if (name.equals("age") && call.operandCount() == 1) {
      org.apache.calcite.sql.SqlNode today = org.apache.calcite.sql.fun.SqlStdOperatorTable.CAST.createCall(pos,
          org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_DATE.createCall(pos),
          new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(
              SqlTypeName.TIMESTAMP, pos), pos));
      return call.getOperator().createCall(pos, today, call.operand(0));
    }
    if (name.equals("make_interval") && call.operandCount() <= MAKE_PARAMS.size()) {
      org.apache.calcite.sql.SqlNode[] args = new org.apache.calcite.sql.SqlNode[MAKE_PARAMS.size()];
      for (int i = 0; i < call.operandCount(); i++) {
        org.apache.calcite.sql.SqlNode a = call.operand(i);
        int at = i;
        if (a.getKind() == org.apache.calcite.sql.SqlKind.ARGUMENT_ASSIGNMENT) {
          org.apache.calcite.sql.SqlCall assign = (org.apache.calcite.sql.SqlCall) a;
          at = MAKE_PARAMS.indexOf(assign.operand(1).toString().toLowerCase(java.util.Locale.ROOT));
          a = assign.operand(0);
          if (at < 0) {
            throw new SqlRuntimeException(new SqlException(org.troupedb.sql.SqlState.UNDEFINED_FUNCTION,
                "function make_interval(" + assign.operand(1) + " => integer) does not exist"));
          }
        }
        args[at] = a;
      }
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          args[i] = org.apache.calcite.sql.SqlLiteral.createExactNumeric("0", pos);
        }
      }
      return MAKE.createCall(pos, args);
    }
    return null;
  }
}
