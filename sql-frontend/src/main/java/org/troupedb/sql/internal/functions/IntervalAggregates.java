package org.troupedb.sql.internal.functions;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlAvgAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlSumAggFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.util.Optionality;
import org.troupedb.sql.Interval;
import org.troupedb.sql.internal.types.PgIntervalMath;
import org.troupedb.sql.parser.ast.PgIntervalType;

/**
 * {@code sum(interval)} and {@code avg(interval)} as PostgreSQL computes them (field-wise sums;
 * the average is the sum divided by the count, {@code interval_div}). {@link #wrap} swaps in a
 * SUM or AVG that, once its argument's type is known, becomes one of these or stays Calcite's.
 * NB: public only because generated plan code calls the accumulators.
 */
public final class IntervalAggregates {
  private IntervalAggregates() {}

  /** The running sum and count of the non-null values. */
  public static final class Acc {
    long months;
    long days;
    long micros;
    long count;
  }

  /** Accumulator methods Calcite's AggregateFunctionImpl reflects on (sum). */
  public static final class Sum {
    public Acc init() {
      return new Acc();
    }

    public Acc add(Acc acc, String value) {
      return IntervalAggregates.add(acc, value);
    }

    public Acc merge(Acc a, Acc b) {
      return IntervalAggregates.merge(a, b);
    }

    public String result(Acc acc) {
      return acc.count == 0 ? null : IntervalFunctions.text(total(acc));
    }
  }

  /** Accumulator methods Calcite's AggregateFunctionImpl reflects on (avg). */
  public static final class Avg {
    public Acc init() {
      return new Acc();
    }

    public Acc add(Acc acc, String value) {
      return IntervalAggregates.add(acc, value);
    }

    public Acc merge(Acc a, Acc b) {
      return IntervalAggregates.merge(a, b);
    }

    public String result(Acc acc) {
      return acc.count == 0 ? null : IntervalFunctions.text(PgIntervalMath.divide(total(acc), acc.count));
    }
  }

  static Acc add(Acc acc, String value) {
    if (value != null) {
      Interval iv = IntervalFunctions.value(value);
      acc.months += iv.months();
      acc.days += iv.days();
      acc.micros = Math.addExact(acc.micros, iv.micros());
      acc.count++;
    }
    return acc;
  }

  static Acc merge(Acc a, Acc b) {
    Acc r = new Acc();
    r.months = a.months + b.months;
    r.days = a.days + b.days;
    r.micros = Math.addExact(a.micros, b.micros);
    r.count = a.count + b.count;
    return r;
  }

  private static Interval total(Acc acc) {
    if (acc.months != (int) acc.months || acc.days != (int) acc.days) {
      throw new org.troupedb.sql.internal.errors.SqlRuntimeException(new org.troupedb.sql.SqlException(
          org.troupedb.sql.SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range"));
    }
    return new Interval((int) acc.months, (int) acc.days, acc.micros);
  }

  private static SqlAggFunction udaf(String name, Class<?> impl) {
    return new SqlUserDefinedAggFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        b -> PgIntervalType.of(b.getTypeFactory(), true), InferTypes.RETURN_TYPE,
        OperandTypes.operandMetadata(List.of(org.apache.calcite.sql.type.SqlTypeFamily.ANY),
            f -> List.of(f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.ANY)), i -> "value", i -> false),
        AggregateFunctionImpl.create(impl), false, false, Optionality.FORBIDDEN);
  }

  static final SqlAggFunction SUM = udaf("pg_interval_sum", Sum.class);
  static final SqlAggFunction AVG = udaf("pg_interval_avg", Avg.class);

  private static final SqlAggFunction SUM_DISPATCH = new SqlSumAggFunction(null) {
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      return dispatch(validator, scope, call, SqlStdOperatorTable.SUM, SUM);
    }
  };

  private static final SqlAggFunction AVG_DISPATCH = new SqlAvgAggFunction(SqlKind.AVG) {
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      return dispatch(validator, scope, call, SqlStdOperatorTable.AVG, AVG);
    }
  };

  private static RelDataType dispatch(SqlValidator validator, SqlValidatorScope scope, SqlCall call,
      SqlAggFunction standard, SqlAggFunction interval) {
    SqlBasicCall c = (SqlBasicCall) call;
    c.setOperator(standard);
    if (c.operandCount() == 1) {
      RelDataType t = validator.deriveType(scope, c.operand(0));
      if (PgIntervalType.is(t)) {
        c.setOperator(interval);
        return PgIntervalType.of(validator.getTypeFactory(), true);
      }
    }
    return standard.deriveType(validator, scope, c);
  }

  /** The call with a dispatching SUM or AVG, or null for any other call. */
  static SqlCall wrap(SqlCall call) {
    String name = call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f
        ? f.getName().toLowerCase(java.util.Locale.ROOT) : "";
    if (call.getOperator() == SqlStdOperatorTable.SUM || name.equals("sum") && call.operandCount() == 1) {
      return SUM_DISPATCH.createCall(call.getFunctionQuantifier(), call.getParserPosition(), call.getOperandList());
    }
    if (call.getOperator() == SqlStdOperatorTable.AVG || name.equals("avg") && call.operandCount() == 1) {
      return AVG_DISPATCH.createCall(call.getFunctionQuantifier(), call.getParserPosition(), call.getOperandList());
    }
    return null;
  }
}
