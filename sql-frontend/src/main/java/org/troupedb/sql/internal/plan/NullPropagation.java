package org.troupedb.sql.internal.plan;

import java.util.Set;
import org.apache.calcite.plan.Strong;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Replaces a strict call that has a NULL literal operand ({@code CAST(NULL AS int) / a}) by a NULL
 * of its type, bottom-up, before planning: PostgreSQL's strict operators and functions return NULL
 * for a NULL argument, so the value is the same.
 *
 * <p>NB: this is also what keeps Calcite's planner sound on such expressions. Its collation
 * metadata deems {@code NULL / a} constant, and then asks a constant operand of {@code *} for its
 * literal value, which fails with an AssertionError ("not a literal") when the operand is a call
 * ({@code CAST(NULL AS INTEGER) / a * a} was XX000, issue 14).
 */
public final class NullPropagation {
  /** Calcite's checked arithmetic (PgArithmetic's integer operators), strict like the plain ones. */
  private static final Set<SqlKind> CHECKED = Set.of(SqlKind.CHECKED_PLUS, SqlKind.CHECKED_MINUS,
      SqlKind.CHECKED_TIMES, SqlKind.CHECKED_DIVIDE, SqlKind.CHECKED_MINUS_PREFIX);

  private NullPropagation() {}

  /** {@code rel} with every strict call over a NULL literal folded to a typed NULL. */
  public static RelNode fold(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (visited instanceof RexCall c && strict(c)) {
          for (RexNode operand : c.getOperands()) {
            if (RexUtil.isNullLiteral(operand, true)) {
              return rb.makeNullLiteral(c.getType());
            }
          }
        }
        return visited;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }

  private static boolean strict(RexCall call) {
    return Strong.policy(call) == Strong.Policy.ANY || CHECKED.contains(call.getKind());
  }
}
