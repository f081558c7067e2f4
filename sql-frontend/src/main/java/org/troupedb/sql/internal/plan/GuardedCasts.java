package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;

/**
 * Removes the NOT NULL cast Calcite puts on a CASE branch guarded by {@code x IS NOT NULL}: {@code
 * COALESCE(x, y)} converts to {@code CASE WHEN x IS NOT NULL THEN CAST(x AS int NOT NULL) ELSE y
 * END}, and the cast's claim that x is never NULL outlives its guard once Calcite's simplifier
 * splits the CASE. NB: {@code id <> COALESCE(c0, id)} became {@code id <> CAST(c0 AS int NOT
 * NULL)}, true for a NULL c0, and {@code NOT (COALESCE(c0, c0) = 1)} kept rows with a NULL c0
 * (silent wrong answers found by DifferentialIT, issue 14). The CASE keeps its type.
 */
public final class GuardedCasts {
  private GuardedCasts() {}

  /** {@code rel} with the NOT NULL casts of {@code IS NOT NULL}-guarded CASE branches removed. */
  public static RelNode strip(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall c) || c.getKind() != SqlKind.CASE) {
          return visited;
        }
        List<RexNode> ops = new ArrayList<>(c.getOperands());
        boolean changed = false;
        for (int i = 0; i + 1 < ops.size(); i += 2) {
          if (ops.get(i) instanceof RexCall cond && cond.getKind() == SqlKind.IS_NOT_NULL
              && ops.get(i + 1) instanceof RexCall cast && cast.getKind() == SqlKind.CAST
              && !cast.getType().isNullable()
              && cast.getOperands().get(0).equals(cond.getOperands().get(0))
              && cast.getOperands().get(0).getType().isNullable()
              && cast.getOperands().get(0).getType().getSqlTypeName() == cast.getType().getSqlTypeName()) {
            ops.set(i + 1, cast.getOperands().get(0));
            changed = true;
          }
        }
        return changed ? rb.makeCall(c.getType(), c.getOperator(), ops) : visited;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }
}
