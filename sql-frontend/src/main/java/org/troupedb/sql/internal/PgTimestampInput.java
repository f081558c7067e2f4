package org.troupedb.sql.internal;

import java.util.List;
import java.util.TimeZone;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.BuiltInMethod;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.parser.PgTimestamps;

/**
 * Text to timestamptz at execution time, in the session's TimeZone: {@code t::timestamptz} of a
 * text column or parameter, and a literal without an offset ({@code '2024-01-01 10:00'::timestamptz}
 * is 10:00 where the session is). Calcite's own cast accepts neither offsets nor fractions beyond
 * milliseconds. NB: the call is not deterministic, so the planner never folds it into a cached plan
 * with one session's zone; the generated code reads the zone from the execution's DataContext
 * ({@link ExecContext}: {@code timeZone}).
 */
public final class PgTimestampInput {
  private PgTimestampInput() {}

  static final SqlOperator TEXT_TO_TIMESTAMPTZ = new SqlUserDefinedFunction(
      new SqlIdentifier("pg_timestamptz_in", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null,
      null, new ZoneFunction()) {
    @Override
    public boolean isDeterministic() {
      return false;
    }
  };

  /** The instant {@code text} names, in microseconds since the epoch; no offset: in {@code zone}. */
  public static long parse(String text, TimeZone zone) {
    try {
      return ColumnType.micros(PgTimestamps.parseTimestampTz(text, zone.toZoneId()));
    } catch (IllegalArgumentException e) {
      throw new SqlRuntimeException(new org.troupedb.sql.SqlException(SqlState.INVALID_DATETIME_FORMAT,
          "invalid input syntax for type timestamp with time zone: \"" + text + "\""));
    }
  }

  /** A cast of text to timestamptz as a call of {@link #parse}; null for any other call. */
  static RexNode rewriteCast(RexBuilder rb, RexCall cast) {
    if (cast.getKind() != SqlKind.CAST) {
      return null;
    }
    RexNode arg = cast.getOperands().get(0);
    SqlTypeName from = arg.getType().getSqlTypeName();
    if (cast.getKind() != SqlKind.CAST || cast.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
        || (from != SqlTypeName.CHAR && from != SqlTypeName.VARCHAR)) {
      return null;
    }
    return rb.makeCall(cast.getType(), TEXT_TO_TIMESTAMPTZ, List.of(arg));
  }

  /** The function behind the operator: {@code parse(text, SqlFunctions.timeZone(root))}. */
  private static final class ZoneFunction implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory f) {
      return f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> Expressions.call(
          PgTimestampInput.class, "parse", Expressions.convert_(operands.get(0), String.class),
          Expressions.call(BuiltInMethod.TIME_ZONE.method, translator.getRoot())), NullPolicy.STRICT, false);
    }
  }
}
