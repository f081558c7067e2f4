package org.troupedb.sql.internal.plan;

import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Rewrites {@code NULL IN (sub-query)} to {@code CASE WHEN EXISTS (sub-query) THEN NULL ELSE FALSE
 * END} before sub-queries are removed: that is its value in SQL's three-valued logic (false over
 * no rows, unknown otherwise), and {@code NOT IN} follows as its negation.
 *
 * <p>NB: Calcite's {@code SubQueryRemoveRule} tests a NULL key before the emptiness of a
 * <em>correlated</em> sub-query whose keys are all literals, so {@code CAST(NULL AS int) NOT IN
 * (SELECT y.id FROM t y WHERE y.c0 = x.c0)} was unknown, not true, for the rows whose sub-query is
 * empty (a silent wrong answer, issue 14, found by DifferentialIT; still so in Calcite 1.42). A
 * NULL left operand also comes from {@link NullPropagation} folding {@code 6 - NULL}.
 */
public final class NullInSubQuery {
  private NullInSubQuery() {}

  /** {@code rel} with every single-column {@code NULL IN (sub-query)} rewritten, sub-queries included. */
  public static RelNode rewrite(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RelHomogeneousShuttle rels = new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rexShuttle(rb, this));
      }
    };
    return rel.accept(rels);
  }

  private static RexShuttle rexShuttle(RexBuilder rb, RelHomogeneousShuttle rels) {
    return new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        RexSubQuery e = subQuery.clone(subQuery.rel.accept(rels));
        if (e.getKind() != SqlKind.IN || e.getOperands().size() != 1
            || !RexUtil.isNullLiteral(e.getOperands().get(0), true)) {
          return super.visitSubQuery(e);
        }
        return rb.makeCall(e.getType(), SqlStdOperatorTable.CASE, java.util.List.of(RexSubQuery.exists(e.rel),
            rb.makeNullLiteral(e.getType()), rb.makeLiteral(false, e.getType())));
      }
    };
  }
}
