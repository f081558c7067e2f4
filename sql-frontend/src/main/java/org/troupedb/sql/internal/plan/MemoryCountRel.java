package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableIntersect;
import org.apache.calcite.adapter.enumerable.EnumerableLimitSort;
import org.apache.calcite.adapter.enumerable.EnumerableMinus;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.adapter.enumerable.EnumerableUnion;
import org.apache.calcite.adapter.enumerable.EnumerableWindow;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * A pass-through node placed, after planning, on the input of each Enumerable operator that holds
 * its input's rows in memory; its generated code wraps that input in {@link MemoryCounting}, which
 * charges the statement's memory budget row by row as the rows enter the operator. So the budget
 * is checked before the operator holds more, whatever Calcite's runtime ({@code
 * EnumerableDefaults}) does inside it.
 *
 * A Sort without LIMIT of rows of two or more columns is replaced instead, by a {@link
 * SpillingSortRel}, which charges the budget itself and spills to disk past half of it.
 *
 * <pre>
 *   HashJoin             the build (right) input                  "Hash Join"
 *   NestedLoopJoin       the inner (right) input, kept as a list  "Nested Loop"
 *   Aggregate (grouped)  one entry per distinct group key         "HashAggregate" (GROUP BY, DISTINCT)
 *   Window               the whole input                          "WindowAgg"
 *   UNION / INTERSECT / EXCEPT (distinct)  every input row        "HashSetOp"
 * </pre>
 *
 * Not counted: a LIMIT's sort (holds offset + limit rows), merge joins and sorted aggregates
 * (their inputs are sorts, counted), aggregates without GROUP BY (one accumulator), and the
 * streaming operators (Calc, Filter, Project, Correlate).
 */
final class MemoryCountRel extends SingleRel implements EnumerableRel {
  private static final java.lang.reflect.Method COUNT = org.apache.calcite.linq4j.tree.Types.lookupMethod(
      MemoryCounting.class, "count", org.apache.calcite.DataContext.class, org.apache.calcite.linq4j.Enumerable.class);
  private final MemoryCounting counting;

  private MemoryCountRel(RelNode input, MemoryCounting counting) {
    super(input.getCluster(), input.getTraitSet(), input);
    this.counting = counting;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new MemoryCountRel(sole(inputs), counting);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("operator", counting.operator());
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    Expression input = builder.append("held", child.block);
    Expression counter = implementor.stash(counting, MemoryCounting.class);
    builder.add(Expressions.return_(null,
        Expressions.call(counter, COUNT, implementor.getRootExpression(), input)));
    return implementor.result(child.physType, builder.toBlock());
  }

  /** {@code plan} with a counting node on the input of every row-holding operator. */
  static RelNode instrument(RelNode plan) {
    return instrument(plan, new int[1]);
  }

  private static RelNode instrument(RelNode rel, int[] nextId) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < rel.getInputs().size(); i++) {
      RelNode in = rel.getInput(i);
      RelNode out = instrument(in, nextId);
      MemoryCounting c = counting(rel, i, nextId);
      if (c != null && out instanceof EnumerableRel) {
        out = new MemoryCountRel(out, c);
      }
      changed |= out != in;
      inputs.add(out);
    }
    if (rel instanceof EnumerableSort s && s.fetch == null && s.offset == null && spills(s)) {
      return new SpillingSortRel(s.getTraitSet(), inputs.get(0), s.getCollation(), new SpillingSort(nextId[0]++));
    }
    return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
  }

  /**
   * Whether a sort is replaced by one that spills: rows of two or more columns. NB: one-column
   * sorts keep Calcite's implementation, counted (53200 past the budget): a one-column row is a
   * bare value in Calcite's code, which the spilling sort does not handle yet. (The
   * ClassCastException that first kept them out, a table function's one-column rows, is fixed by
   * {@link OneColumnFunctionRows}.)
   */
  private static boolean spills(EnumerableSort s) {
    return s.getRowType().getFieldCount() >= 2;
  }

  /** How operator {@code rel} holds its input {@code i}, or null when it streams it. */
  private static MemoryCounting counting(RelNode rel, int i, int[] nextId) {
    if (rel instanceof EnumerableSort s && s.fetch == null && s.offset == null && !spills(s)) {
      // EnumerableDefaults.orderBy: a TreeMap entry and a list per key, the key array
      return new MemoryCounting(nextId[0]++, "Sort", 96, null);
    }
    if (rel instanceof EnumerableSort || rel instanceof EnumerableLimitSort) {
      return null; // replaced by a SpillingSortRel; under a LIMIT it holds offset + limit rows
    }
    if (rel instanceof EnumerableHashJoin && i == 1) {
      return new MemoryCounting(nextId[0]++, "Hash Join", 96, null); // a Lookup: map entry, list, key
    }
    if (rel instanceof EnumerableNestedLoopJoin && i == 1) {
      return new MemoryCounting(nextId[0]++, "Nested Loop", 8, null);
    }
    if (rel instanceof EnumerableAggregate a && a.getGroupCount() > 0) {
      // a HashMap entry, the key, one accumulator per aggregate call
      return new MemoryCounting(nextId[0]++, "HashAggregate", 64 + 48L * a.getAggCallList().size(),
          a.getGroupSet().toArray());
    }
    if (rel instanceof EnumerableWindow) {
      return new MemoryCounting(nextId[0]++, "WindowAgg", 64, null);
    }
    if ((rel instanceof EnumerableUnion u && !u.all) || (rel instanceof EnumerableIntersect)
        || (rel instanceof EnumerableMinus)) {
      return new MemoryCounting(nextId[0]++, "HashSetOp", 64, null);
    }
    return null;
  }
}
