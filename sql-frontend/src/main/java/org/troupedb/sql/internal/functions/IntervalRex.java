package org.troupedb.sql.internal.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgIntervalText;
import org.troupedb.sql.parser.ast.PgIntervalType;

/**
 * Gives interval expressions their PostgreSQL meaning where Calcite sees strings (see {@link
 * PgIntervalType}), before planning:
 *
 * <pre>
 *   CAST(text AS interval)          → pg_interval_in(text)          (interval_in; 22007 on bad text)
 *   CAST(INTERVAL '1' DAY AS interval) → pg_interval_from_millis / _from_months
 *   CAST(interval AS text)          → pg_interval_out(interval)     (IntervalStyle postgres)
 *   CAST(integer AS interval) …     → 42846 cannot cast type integer to interval
 *   a op b, op in = <> < <= > >=    → pg_interval_cmp(a, b) op 0    (a month as 30 days: '1 mon' = '30 days')
 *   an interval literal Calcite folded from a cast → pg_interval_in('text')
 * </pre>
 */
public final class IntervalRex {
  private IntervalRex() {}

  private static final Set<SqlKind> COMPARISONS = java.util.EnumSet.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS,
      SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL);

  public static RelNode rewrite(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitLiteral(RexLiteral lit) {
        if (PgIntervalType.is(lit.getType()) && lit.getValue() instanceof NlsString s
            && !PgIntervalText.isEncoded(s.getValue())) {
          return rb.makeCall(lit.getType(), IntervalFunctions.IN, List.of(rb.makeLiteral(s.getValue())));
        }
        return lit;
      }

      @Override
      public RexNode visitCall(RexCall call) {
        if (call.getKind() == SqlKind.SEARCH && PgIntervalType.is(call.getOperands().get(0).getType())) {
          return RexUtil.expandSearch(rb, null, call).accept(this);
        }
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall c)) {
          return visited;
        }
        if (c.getKind() == SqlKind.CAST) {
          return cast(rb, c);
        }
        if (COMPARISONS.contains(c.getKind()) && c.getOperands().size() == 2
            && c.getOperands().stream().anyMatch(o -> PgIntervalType.is(o.getType()))) {
          RexNode a = toInterval(rb, c.getOperands().get(0));
          RexNode b = toInterval(rb, c.getOperands().get(1));
          RexNode cmp = rb.makeCall(IntervalFunctions.CMP, a, b);
          return rb.makeCall(c.getOperator(), cmp, rb.makeExactLiteral(java.math.BigDecimal.ZERO));
        }
        return c;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }

  private static RexNode cast(RexBuilder rb, RexCall c) {
    RexNode arg = c.getOperands().get(0);
    RelDataType from = arg.getType();
    RelDataType to = c.getType();
    boolean fromInterval = PgIntervalType.is(from);
    boolean toInterval = PgIntervalType.is(to);
    if (toInterval && !fromInterval) {
      SqlOperator op = conversion(from);
      if (op != null) {
        return rb.makeCall(to, op, List.of(arg));
      }
      if (from.getSqlTypeName() == SqlTypeName.NULL) {
        return c;
      }
      throw cannotCast(PgScalarFunctions.pgTypeName(from, false), "interval");
    }
    if (fromInterval && !toInterval) {
      if (SqlTypeFamily.CHARACTER.contains(to)) {
        RexNode out = rb.makeCall(rb.getTypeFactory().createTypeWithNullability(
            rb.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), from.isNullable()), IntervalFunctions.OUT,
            List.of(arg));
        return rb.makeCast(to, out);
      }
      throw cannotCast("interval", PgScalarFunctions.pgTypeName(to, false));
    }
    return c;
  }

  /** The operator reading a value of type {@code t} as an interval, or null. */
  private static SqlOperator conversion(RelDataType t) {
    if (SqlTypeFamily.CHARACTER.contains(t)) {
      return IntervalFunctions.IN;
    }
    if (SqlTypeName.YEAR_INTERVAL_TYPES.contains(t.getSqlTypeName())) {
      return IntervalFunctions.FROM_MONTHS;
    }
    if (SqlTypeName.DAY_INTERVAL_TYPES.contains(t.getSqlTypeName())) {
      return IntervalFunctions.FROM_MILLIS;
    }
    return null;
  }

  /** {@code n} as an interval for a comparison with one. */
  private static RexNode toInterval(RexBuilder rb, RexNode n) {
    if (PgIntervalType.is(n.getType())) {
      return n;
    }
    SqlOperator op = conversion(n.getType());
    if (op == null) {
      throw new SqlRuntimeException(new SqlException(SqlState.UNDEFINED_FUNCTION, "operator does not exist: interval = "
          + PgScalarFunctions.pgTypeName(n.getType(), false)));
    }
    return rb.makeCall(PgIntervalType.of(rb.getTypeFactory(), n.getType().isNullable()), op, List.of(n));
  }

  private static SqlRuntimeException cannotCast(String from, String to) {
    return new SqlRuntimeException(new SqlException(SqlState.CANNOT_COERCE,
        "cannot cast type " + from + " to " + to));
  }
}
