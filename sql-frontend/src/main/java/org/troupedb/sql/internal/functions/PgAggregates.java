package org.troupedb.sql.internal.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's aggregate result types on Calcite's executor. {@code sum(bigint)} is NUMERIC in
 * PostgreSQL (it cannot overflow), and {@link PgTypeSystem} says so; Calcite's SUM implementation
 * however accumulates in the argument's Java type and cannot add a {@code long} to a
 * {@code BigDecimal}. So a SUM whose result type differs from its argument's sums the argument
 * cast to the result type: {@code Aggregate(SUM($i))} becomes
 * {@code Aggregate(SUM($n)) ← Project(inputs…, CAST($i AS result) AS $n)}. An AVG of an integer
 * type (numeric in PostgreSQL) averages its argument cast to numeric, because the planner reduces
 * it to a SUM0 of the same numeric type and a COUNT after this rewrite has run. Aggregates inside
 * subqueries ({@code y + (SELECT sum(x) …)}) are rewritten too.
 */
public final class PgAggregates {
  private PgAggregates() {}

  public static RelNode castSumArguments(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other).accept(new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            RexSubQuery visitedSub = (RexSubQuery) super.visitSubQuery(subQuery);
            RelNode rel = castSumArguments(visitedSub.rel);
            return rel == visitedSub.rel ? visitedSub : visitedSub.clone(rel);
          }
        });
        return visited instanceof LogicalAggregate agg ? castSumArguments(agg) : visited;
      }
    });
  }

  private static RelNode castSumArguments(LogicalAggregate agg) {
    RelNode input = agg.getInput();
    RexBuilder rb = agg.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      projects.add(rb.makeInputRef(input, i));
    }
    List<AggregateCall> calls = new ArrayList<>();
    boolean changed = false;
    for (AggregateCall call : agg.getAggCallList()) {
      SqlKind kind = call.getAggregation().getKind();
      boolean sum = kind == SqlKind.SUM || kind == SqlKind.SUM0;
      if ((sum || kind == SqlKind.AVG) && call.getArgList().size() == 1) {
        RelDataType argType = input.getRowType().getFieldList().get(call.getArgList().get(0)).getType();
        // Only where the cast argument infers the same result type (sum(bigint) → numeric);
        // Calcite's own integer sums (int → bigint) work as they are.
        if (call.getType().getSqlTypeName() == SqlTypeName.DECIMAL
            && SqlTypeName.INT_TYPES.contains(argType.getSqlTypeName())) {
          RelDataType target = rb.getTypeFactory().createTypeWithNullability(sum ? call.getType()
              : rb.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, 19, 0), argType.isNullable());
          projects.add(rb.makeCast(target, rb.makeInputRef(input, call.getArgList().get(0))));
          call = call.withArgList(List.of(projects.size() - 1));
          changed = true;
        }
      }
      calls.add(call);
    }
    if (!changed) {
      return agg;
    }
    RelNode project = LogicalProject.create(input, List.of(), projects, (List<String>) null, java.util.Set.of());
    return agg.copy(agg.getTraitSet(), project, agg.getGroupSet(), agg.getGroupSets(), calls);
  }
}
