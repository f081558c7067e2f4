package org.troupedb.sql.internal.plan;

import java.lang.reflect.Method;
import java.util.Comparator;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexNode;

/**
 * An ORDER BY without LIMIT that sorts within the statement's memory budget and spills sorted
 * runs to temporary files past it ({@link SpillingSort}); put in place of Calcite's {@code
 * EnumerableSort} after planning ({@link MemoryCountRel#instrument}), with the same collation, so
 * EXPLAIN and the plan's costs are unchanged.
 */
final class SpillingSortRel extends Sort implements EnumerableRel {
  private static final Method SORT = Types.lookupMethod(SpillingSort.class, "sort", DataContext.class,
      Enumerable.class, Comparator.class);
  private final SpillingSort sorter;

  SpillingSortRel(RelTraitSet traits, RelNode input, RelCollation collation, SpillingSort sorter) {
    super(input.getCluster(), traits, input, collation, null, null);
    this.sorter = sorter;
  }

  @Override
  public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode offset, RexNode fetch) {
    return new SpillingSortRel(traitSet, newInput, newCollation, sorter);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    Expression rows = builder.append("unsorted", input.block);
    Expression comparator = input.physType.generateComparator(getCollation());
    Expression stashed = implementor.stash(sorter, SpillingSort.class);
    builder.add(Expressions.return_(null,
        Expressions.call(stashed, SORT, implementor.getRootExpression(), rows, comparator)));
    // NB: the input's own physical type: the rows are the input's objects, reordered (with the
    // type PhysTypeImpl.of derives, a one-column sort over Object[] rows claimed scalar rows)
    return implementor.result(input.physType, builder.toBlock());
  }
}
