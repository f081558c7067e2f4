package org.troupedb.sql.internal.plan;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlCoalesceFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * COALESCE kept as a COALESCE call through validation and planning, instead of the CASE Calcite's
 * validator rewrites it to. Calcite's planner simplifies a COALESCE soundly (duplicates dropped,
 * nothing after a NOT NULL operand) and Enumerable runs it as it is.
 *
 * <p>NB: the CASE Calcite made of {@code COALESCE(x, y)} ended up as {@code CASE WHEN x IS NOT NULL
 * THEN CAST(x AS int NOT NULL) ELSE y END}, and once its simplifier split that CASE inside a
 * predicate ({@code COALESCE(x, y) > 2} became {@code CAST(x AS int NOT NULL) > 2 OR (x IS NULL
 * AND y > 2)}) the cast outlived its guard: a NULL x evaluated as 0, so {@code NOT (COALESCE(c0,
 * c1) > 2)}, {@code c1 > COALESCE(c0, c1)} and {@code NOT (COALESCE(c0, c0) = 1)} kept rows
 * PostgreSQL filters out (silent wrong answers, issue 14, found by DifferentialIT).
 */
final class PlainCoalesce extends SqlCoalesceFunction {
  static final PlainCoalesce INSTANCE = new PlainCoalesce();

  /** Finds {@link #INSTANCE} for the function name {@code coalesce}; put it before Calcite's tables. */
  static final SqlOperatorTable TABLE = new SqlOperatorTable() {
    @Override
    public void lookupOperatorOverloads(SqlIdentifier name, SqlFunctionCategory category, SqlSyntax syntax,
        List<SqlOperator> result, SqlNameMatcher matcher) {
      if (name.isSimple() && syntax == SqlSyntax.FUNCTION && name.getSimple().equalsIgnoreCase("coalesce")) {
        result.add(INSTANCE);
      }
    }

    @Override
    public List<SqlOperator> getOperatorList() {
      return List.of(INSTANCE);
    }
  };

  /**
   * Calcite's convertlets, except that {@link #INSTANCE} becomes the standard COALESCE (the
   * operator Enumerable implements and the simplifier knows) over operands cast to its type.
   * NB: without the casts, {@code COALESCE(CAST(a AS BIGINT), b)} unboxed a NULL b (XX000).
   */
  static final SqlRexConvertletTable CONVERTLETS = call -> call.getOperator() == INSTANCE
      ? PlainCoalesce::convert : StandardConvertletTable.INSTANCE.get(call);

  private static RexNode convert(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    List<RexNode> operands = call.getOperandList().stream()
        .map(o -> cx.getRexBuilder().ensureType(type, cx.convertExpression(o), true)).toList();
    return cx.getRexBuilder().makeCall(type, SqlStdOperatorTable.COALESCE, operands);
  }

  private PlainCoalesce() {}

  /** The call itself: Calcite's rewrites it to a CASE. A single operand is that operand. */
  @Override
  public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
    validateQuantifier(validator, call);
    return call.operandCount() == 1 ? call.operand(0) : call;
  }
}
