package org.troupedb.sql.internal.functions;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlPrefixOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.parser.ast.PgIntervalType;

/**
 * PostgreSQL's operators on intervals, chosen once the operand types are known (the way {@link
 * PgDatetimeArithmetic} picks date arithmetic): {@code interval ± interval}, {@code timestamp[tz] |
 * date | time ± interval} (and {@code interval + …}), {@code timestamp - timestamp} and {@code time
 * - time} (intervals), {@code interval * number}, {@code number * interval}, {@code interval /
 * number} and {@code -interval}. A string literal beside an interval is read as one; one of
 * Calcite's own intervals ({@code INTERVAL '1' DAY}) beside a PostgreSQL interval is converted. Any
 * other call goes back to Calcite's operator unchanged.
 */
final class IntervalOperators {
  private IntervalOperators() {}

  static final SqlOperator TIMES = new Binary("*", SqlKind.TIMES, 60, SqlStdOperatorTable.MULTIPLY);
  static final SqlOperator DIVIDE = new Binary("/", SqlKind.DIVIDE, 60, SqlStdOperatorTable.DIVIDE);
  static final SqlOperator NEGATE = new Prefix();

  /** The call with the dispatching {@code *}, {@code /} or unary {@code -}, or null. */
  static SqlCall wrap(SqlCall call) {
    SqlOperator op = call.getOperator();
    SqlOperator d = op == SqlStdOperatorTable.MULTIPLY ? TIMES : op == SqlStdOperatorTable.DIVIDE ? DIVIDE
        : op == SqlStdOperatorTable.UNARY_MINUS ? NEGATE : null;
    return d == null ? null : d.createCall(call.getParserPosition(), call.getOperandList());
  }

  static boolean isInterval(RelDataType t) {
    return PgIntervalType.is(t);
  }

  private static boolean isCalciteInterval(RelDataType t) {
    return SqlTypeName.INTERVAL_TYPES.contains(t.getSqlTypeName());
  }

  private static RelDataType nullable(SqlValidator v, RelDataType t, RelDataType... from) {
    boolean n = false;
    for (RelDataType f : from) {
      n |= f.isNullable();
    }
    return v.getTypeFactory().createTypeWithNullability(t, n);
  }

  /**
   * {@code a + b} or {@code a - b} with PostgreSQL's interval meaning, the call's operator replaced
   * and its type returned; null when no PostgreSQL interval is involved.
   */
  static RelDataType plusMinus(SqlValidator v, SqlValidatorScope scope, SqlBasicCall c, RelDataType t0,
      RelDataType t1, boolean plus) {
    SqlTypeName n0 = t0.getSqlTypeName();
    SqlTypeName n1 = t1.getSqlTypeName();
    if (!isInterval(t0) && !isInterval(t1)) {
      if (!plus && isTimestamp(n0) && n0 == n1) {
        c.setOperator(IntervalFunctions.TIMESTAMP_DIFF);
        return PgIntervalType.of(v.getTypeFactory(), t0.isNullable() || t1.isNullable());
      }
      if (!plus && n0 == SqlTypeName.TIME && n1 == SqlTypeName.TIME) {
        c.setOperator(IntervalFunctions.TIME_DIFF);
        return PgIntervalType.of(v.getTypeFactory(), t0.isNullable() || t1.isNullable());
      }
      return null;
    }
    t0 = asInterval(v, scope, c, 0, t0, t1);
    t1 = asInterval(v, scope, c, 1, t1, t0);
    n0 = t0.getSqlTypeName();
    n1 = t1.getSqlTypeName();
    if (isInterval(t0) && isInterval(t1)) {
      c.setOperator(plus ? IntervalFunctions.PLUS : IntervalFunctions.MINUS);
      return PgIntervalType.of(v.getTypeFactory(), t0.isNullable() || t1.isNullable());
    }
    if (plus && isInterval(t0)) { // interval + timestamp: as timestamp + interval
      SqlNode iv = c.operand(0);
      c.setOperand(0, c.operand(1));
      c.setOperand(1, iv);
      RelDataType t = t0;
      t0 = t1;
      t1 = t;
      n0 = t0.getSqlTypeName();
    }
    if (isInterval(t1) && !isInterval(t0)) {
      SqlOperator op = switch (n0) {
        case TIMESTAMP -> IntervalFunctions.TIMESTAMP_PLUS;
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> IntervalFunctions.TIMESTAMPTZ_PLUS;
        case DATE -> IntervalFunctions.DATE_PLUS;
        case TIME -> IntervalFunctions.TIME_PLUS;
        default -> null;
      };
      if (op != null) {
        if (!plus) {
          SqlNode iv = c.operand(1);
          c.setOperand(1, IntervalFunctions.NEGATE.createCall(iv.getParserPosition(), iv));
          v.deriveType(scope, c.operand(1));
        }
        c.setOperator(op);
        RelDataType result = switch (n0) {
          case TIME -> t0;
          case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> v.getTypeFactory().createSqlType(
              SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
          default -> v.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP, 6);
        };
        return nullable(v, result, t0, t1);
      }
    }
    throw noOperator(plus ? "+" : "-", t0, t1, c);
  }

  /**
   * Operand {@code i} as a PostgreSQL interval when the other one is: a string literal is read as
   * interval text, a Calcite interval converted; anything else keeps its type.
   */
  private static RelDataType asInterval(SqlValidator v, SqlValidatorScope scope, SqlBasicCall c, int i,
      RelDataType t, RelDataType other) {
    if (isInterval(t) || !isInterval(other)) {
      return t;
    }
    SqlNode o = c.operand(i);
    SqlOperator conv = o instanceof SqlCharStringLiteral ? IntervalFunctions.IN
        : SqlTypeName.YEAR_INTERVAL_TYPES.contains(t.getSqlTypeName()) ? IntervalFunctions.FROM_MONTHS
        : SqlTypeName.DAY_INTERVAL_TYPES.contains(t.getSqlTypeName()) ? IntervalFunctions.FROM_MILLIS : null;
    if (conv == null) {
      return t;
    }
    SqlNode n = conv.createCall(o.getParserPosition(), o);
    c.setOperand(i, n);
    return v.deriveType(scope, n);
  }

  private static boolean isTimestamp(SqlTypeName n) {
    return n == SqlTypeName.TIMESTAMP || n == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
  }

  private static SqlRuntimeException noOperator(String op, RelDataType a, RelDataType b, SqlCall c) {
    return new SqlRuntimeException(new SqlException(SqlState.UNDEFINED_FUNCTION, "operator does not exist: "
        + (a == null ? "" : name(a) + " ") + op + " " + name(b), null,
        "No operator matches the given name and argument types. You might need to add explicit type casts.", null));
  }

  private static String name(RelDataType t) {
    return isInterval(t) ? "interval" : PgScalarFunctions.pgTypeName(t, false);
  }

  /** {@code *} and {@code /}: an interval and a number, else Calcite's. */
  private static final class Binary extends SqlBinaryOperator {
    private final SqlOperator standard;

    Binary(String name, SqlKind kind, int prec, SqlOperator standard) {
      super(name, kind, prec, true, ReturnTypes.NULLABLE_SUM, InferTypes.FIRST_KNOWN,
          OperandTypes.MULTIPLY_OPERATOR);
      this.standard = standard;
    }

    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      SqlBasicCall c = (SqlBasicCall) call;
      c.setOperator(standard);
      RelDataType t0 = validator.deriveType(scope, c.operand(0));
      RelDataType t1 = validator.deriveType(scope, c.operand(1));
      if (!isInterval(t0) && !isInterval(t1)) {
        return standard.deriveType(validator, scope, c);
      }
      boolean numeric0 = SqlTypeFamily.NUMERIC.contains(t0);
      boolean numeric1 = SqlTypeFamily.NUMERIC.contains(t1);
      if (isInterval(t0) && numeric1 || getKind() == SqlKind.TIMES && numeric0 && isInterval(t1)) {
        if (!isInterval(t0)) {
          SqlNode n = c.operand(0);
          c.setOperand(0, c.operand(1));
          c.setOperand(1, n);
        }
        c.setOperator(getKind() == SqlKind.TIMES ? IntervalFunctions.TIMES : IntervalFunctions.DIVIDE);
        return PgIntervalType.of(validator.getTypeFactory(), t0.isNullable() || t1.isNullable());
      }
      throw noOperator(getName(), t0, t1, c);
    }
  }

  /** Unary {@code -}: an interval's negation, else Calcite's. */
  private static final class Prefix extends SqlPrefixOperator {
    Prefix() {
      super("-", SqlKind.MINUS_PREFIX, 80, ReturnTypes.ARG0, InferTypes.RETURN_TYPE, OperandTypes.NUMERIC_OR_INTERVAL);
    }

    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      SqlBasicCall c = (SqlBasicCall) call;
      c.setOperator(SqlStdOperatorTable.UNARY_MINUS);
      RelDataType t = validator.deriveType(scope, c.operand(0));
      if (!isInterval(t)) {
        return SqlStdOperatorTable.UNARY_MINUS.deriveType(validator, scope, c);
      }
      c.setOperator(IntervalFunctions.NEGATE);
      return PgIntervalType.of(validator.getTypeFactory(), t.isNullable());
    }
  }
}
