package org.troupedb.sql.internal.functions;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * PostgreSQL's date arithmetic, which Calcite lacks: {@code date + integer} and {@code date -
 * integer} add days (a date), {@code date - date} is the number of days (an integer), {@code
 * timestamp - timestamp} and {@code time - time} are intervals ({@link IntervalOperators}, with the rest of interval arithmetic), {@code date + time} is a timestamp. Binary {@code +}/{@code -} are parsed as Calcite's
 * operators; {@link #wrap} swaps in one that, once the operand types are known, rewrites the call
 * into standard form and hands it back to Calcite's operator.
 */
public final class PgDatetimeArithmetic {
  private PgDatetimeArithmetic() {}

  private static final SqlOperator PLUS = new Dispatch("+", SqlKind.PLUS);
  private static final SqlOperator MINUS = new Dispatch("-", SqlKind.MINUS);

  static final SqlOperator DATE_DIFF = new SqlUserDefinedFunction(
      new SqlIdentifier("pg_date_diff", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.INTEGER_NULLABLE,
      null, null, ScalarFunctionImpl.create(PgDatetimeArithmetic.class, "dateDiff"));
  /** {@code date + time}: a timestamp in microseconds, so the timestamp rewrite leaves it alone (a PgFunction). */
  static final SqlOperator DATE_PLUS_TIME = new PgScalarFunctions.PgFunction("pg_date_plus_time",
      ReturnTypes.explicit(SqlTypeName.TIMESTAMP), OperandTypes.ANY_ANY, types -> "datePlusTime");
  /** {@code date - date} in days (dates are days since the epoch). */
  @Strict
  public static int dateDiff(int a, int b) {
    return a - b;
  }

  /** The call with PostgreSQL's {@code +}/{@code -} if it is a binary plus or minus, else null. */
  public static SqlCall wrap(SqlCall call) {
    if (call.getOperator() == SqlStdOperatorTable.PLUS) {
      return PLUS.createCall(call.getParserPosition(), call.getOperandList());
    } else if (call.getOperator() == SqlStdOperatorTable.MINUS) {
      return MINUS.createCall(call.getParserPosition(), call.getOperandList());
    }
    return IntervalOperators.wrap(call);
  }

  private static final class Dispatch extends SqlBinaryOperator {
    Dispatch(String name, SqlKind kind) {
      super(name, kind, 40, true, ReturnTypes.NULLABLE_SUM, InferTypes.FIRST_KNOWN, OperandTypes.PLUS_OPERATOR);
    }

    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      SqlBasicCall c = (SqlBasicCall) call;
      RelDataType t0 = validator.deriveType(scope, c.operand(0));
      RelDataType t1 = validator.deriveType(scope, c.operand(1));
      SqlTypeName n0 = t0.getSqlTypeName();
      SqlTypeName n1 = t1.getSqlTypeName();
      boolean plus = getKind() == SqlKind.PLUS;
      c.setOperator(plus ? SqlStdOperatorTable.PLUS : SqlStdOperatorTable.MINUS);
      RelDataType interval = IntervalOperators.plusMinus(validator, scope, c, t0, t1, plus);
      if (interval != null) {
        return interval;
      }
      if (n0 == SqlTypeName.DATE && SqlTypeName.INT_TYPES.contains(n1)) {
        c.setOperand(1, days(c.operand(1)));
      } else if (plus && SqlTypeName.INT_TYPES.contains(n0) && n1 == SqlTypeName.DATE) {
        c.setOperand(0, days(c.operand(0)));
      } else if (!plus && n0 == SqlTypeName.DATE && n1 == SqlTypeName.DATE) {
        c.setOperator(DATE_DIFF);
        RelDataTypeFactory f = validator.getTypeFactory();
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.INTEGER), t0.isNullable() || t1.isNullable());
      } else if (plus && (n0 == SqlTypeName.DATE && n1 == SqlTypeName.TIME
          || n0 == SqlTypeName.TIME && n1 == SqlTypeName.DATE)) {
        if (n0 == SqlTypeName.TIME) {
          SqlNode time = c.operand(0);
          c.setOperand(0, c.operand(1));
          c.setOperand(1, time);
        }
        c.setOperator(DATE_PLUS_TIME);
        RelDataTypeFactory f = validator.getTypeFactory();
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.TIMESTAMP, 6), t0.isNullable() || t1.isNullable());
      }
      return c.getOperator().deriveType(validator, scope, c);
    }

    private static SqlNode days(SqlNode n) {
      SqlParserPos pos = n.getParserPosition();
      return SqlStdOperatorTable.MULTIPLY.createCall(pos, n,
          SqlLiteral.createInterval(1, "1", new SqlIntervalQualifier(TimeUnit.DAY, null, pos), pos));
    }
  }
}
