package org.troupedb.sql.internal.plan;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.troupedb.sql.internal.functions.PgArithmetic;
import org.troupedb.sql.internal.types.PgTypeSystem;

/**
 * A number literal cast to an unconstrained {@code numeric} keeps its own scale, as in PostgreSQL
 * ({@code 8::numeric} is {@code 8}, {@code 2.50::numeric} is {@code 2.50}, {@code
 * 1e3::float8::numeric} is {@code 1000}): the cast converts to
 * {@link PgArithmetic#TO_NUMERIC}, the call every other cast to unconstrained numeric becomes
 * before planning.
 *
 * <p>NB: an unconstrained numeric is Calcite's {@code DECIMAL(1000, 16)}, and Calcite folds a cast
 * of a literal while converting to relational algebra into a literal of the target type, which
 * {@code RexBuilder.makeLiteral} rescales to the type's scale: {@code 8} became {@code
 * 8.0000000000000000}, in a query and in what an INSERT … VALUES stored into a {@code numeric}
 * column (issue 14).
 */
final class NumericLiteralCasts {
  private NumericLiteralCasts() {}

  /** {@code next}, except for casts of a number literal to unconstrained numeric. */
  static SqlRexConvertletTable wrap(SqlRexConvertletTable next) {
    return call -> isNumberLiteralCast(call) ? NumericLiteralCasts::convert : next.get(call);
  }

  private static boolean isNumberLiteralCast(SqlCall call) {
    return call.getKind() == SqlKind.CAST && call.operandCount() == 2 && constant(call.operand(0));
  }

  /** A number literal, negated or cast ({@code 1e3::float8}): converted to a literal. */
  private static boolean constant(SqlNode e) {
    if (e instanceof SqlNumericLiteral lit) {
      return lit.getValue() != null;
    }
    return (e.getKind() == SqlKind.MINUS_PREFIX || e.getKind() == SqlKind.CAST) && constant(((SqlCall) e).operand(0));
  }

  private static RexNode convert(SqlRexContext cx, SqlCall call) {
    // A cast written by a rewrite after validation (e.g. around ARRAY[…]'s elements) has no type.
    RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(call);
    RexNode arg = type == null ? null : cx.convertExpression(call.operand(0));
    if (type != null && type.getSqlTypeName() == SqlTypeName.DECIMAL
        && type.getPrecision() >= PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION
        && SqlTypeFamily.NUMERIC.contains(arg.getType()) && !RexUtil.isNullLiteral(arg, true)) {
      return cx.getRexBuilder().makeCall(type, PgArithmetic.TO_NUMERIC, List.of(arg));
    }
    SqlRexConvertlet standard = org.apache.calcite.sql2rel.StandardConvertletTable.INSTANCE.get(call);
    return standard.convertCall(cx, call);
  }
}
