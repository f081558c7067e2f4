package org.troupedb.sql.internal.kv;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.tools.RelBuilderFactory;

/** The planner rules of {@link KvTableScan}, registered by the scan when the planner first meets one. */
final class KvRules {
  private KvRules() {}

  /** Filter over a scan that has no filters yet → the same Filter over the scan with the usable conjuncts. */
  static final RelOptRule FILTER_INTO_SCAN = new RuleConfig(RelFactories.LOGICAL_BUILDER, "KvFilterIntoScan",
      b0 -> b0.operand(Filter.class).oneInput(
          b1 -> b1.operand(KvTableScan.class).predicate(s -> s.filters.isEmpty()).noInputs()),
      FilterIntoScan::new).toRule();

  /** Inner join whose right side is a key lookup per left row → a correlated join of point gets. */
  static final RelOptRule JOIN_TO_LOOKUP = new RuleConfig(RelFactories.LOGICAL_BUILDER, "KvJoinToLookup",
      b0 -> b0.operand(LogicalJoin.class).predicate(j -> j.getJoinType() == JoinRelType.INNER).anyInputs(),
      JoinToLookup::new).toRule();

  static final List<RelOptRule> RULES = List.of(FILTER_INTO_SCAN, JOIN_TO_LOOKUP);

  /** A rule's configuration (Calcite's immutable-config shape, written out as a record) and how to build the rule. */
  record RuleConfig(RelBuilderFactory relBuilderFactory, String description, RelRule.OperandTransform operandSupplier,
      java.util.function.Function<RuleConfig, RelOptRule> rule) implements RelRule.Config {
    @Override
    public RelOptRule toRule() {
      return rule.apply(this);
    }

    @Override
    public RuleConfig withRelBuilderFactory(RelBuilderFactory factory) {
      return new RuleConfig(factory, description, operandSupplier, rule);
    }

    @Override
    public RuleConfig withDescription(String d) {
      return new RuleConfig(relBuilderFactory, d, operandSupplier, rule);
    }

    @Override
    public RuleConfig withOperandSupplier(RelRule.OperandTransform transform) {
      return new RuleConfig(relBuilderFactory, description, transform, rule);
    }
  }

  /**
   * Pushes the conjuncts of a Filter that bound a column of a {@link KvTableScan} (comparisons
   * with a literal, a parameter or an outer-row column; see {@link KvScan#bounds}) into the scan, which narrows what it reads by them. The Filter
   * stays: it still decides every row, so a bound the scan cannot use at execution (a NULL
   * parameter, a value outside the column's type) costs speed, never correctness.
   */
  static final class FilterIntoScan extends RelRule<RuleConfig> {
    FilterIntoScan(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      Filter filter = call.rel(0);
      KvTableScan scan = call.rel(1);
      List<RexNode> pushed = new ArrayList<>();
      for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
        if (!KvScan.bounds(scan.kvTable, c).isEmpty()) {
          pushed.add(c);
        }
      }
      if (!pushed.isEmpty()) {
        call.transformTo(filter.copy(filter.getTraitSet(), scan.withFilters(pushed), filter.getCondition()));
      }
    }
  }

  /**
   * Turns {@code left JOIN [Project of columns over] [Filter over] KvTableScan ON cond} into a
   * LogicalCorrelate whose right side is {@code [Project] Filter(rightCondition AND cond with left
   * columns as $cor fields, scan)} when, with the join's bounds added, the scan becomes a point
   * get (the whole primary key bound): the join then reads one row per left row instead of
   * scanning the right table. Only inner joins; the cost model still decides between this and
   * the hash join.
   */
  static final class JoinToLookup extends RelRule<RuleConfig> {
    JoinToLookup(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalJoin join = call.rel(0);
      // The right side: [Project of columns] over [Filter] over the scan.
      Project project = find(join.getRight(), Project.class, p -> p.getProjects().stream().allMatch(e -> e instanceof RexInputRef));
      RelNode below = project != null ? project.getInput() : join.getRight();
      Filter rightFilter = find(below, Filter.class, f -> true);
      KvTableScan scan = find(rightFilter != null ? rightFilter.getInput() : below, KvTableScan.class, x -> true);
      if (scan == null) {
        return;
      }
      RexBuilder rex = join.getCluster().getRexBuilder();
      RelNode left = join.getLeft();
      int leftCount = left.getRowType().getFieldCount();
      CorrelationId id = join.getCluster().createCorrel();
      RexNode outer = rex.makeCorrel(left.getRowType(), id);
      ImmutableBitSet.Builder used = ImmutableBitSet.builder();
      RexNode joinCondition = join.getCondition().accept(new RexShuttle() {
        @Override
        public RexNode visitInputRef(RexInputRef ref) {
          if (ref.getIndex() >= leftCount) {
            int field = ref.getIndex() - leftCount;
            return rex.makeInputRef(ref.getType(),
                project == null ? field : ((RexInputRef) project.getProjects().get(field)).getIndex());
          }
          used.set(ref.getIndex());
          return rex.makeFieldAccess(outer, ref.getIndex());
        }
      });
      List<RexNode> conjuncts = new ArrayList<>(RelOptUtil.conjunctions(joinCondition));
      if (rightFilter != null) {
        conjuncts.addAll(RelOptUtil.conjunctions(rightFilter.getCondition()));
      }
      List<KvScan.Bound> bounds = new ArrayList<>();
      for (RexNode c : conjuncts) {
        bounds.addAll(KvScan.bounds(scan.kvTable, c));
      }
      if (KvScan.access(scan.kvTable, bounds).kind() != KvAccess.Kind.POINT_GET) {
        return;
      }
      RelNode inner = LogicalFilter.create(scan.withFilters(List.of()), RexUtil.composeConjunction(rex, conjuncts));
      if (project != null) {
        inner = project.copy(project.getTraitSet(), inner, project.getProjects(), project.getRowType());
      }
      call.transformTo(LogicalCorrelate.create(left, inner, join.getHints(), id, used.build(), JoinRelType.INNER));
    }

    /** {@code n} itself, or in a planner's equivalence set the first member, of class {@code c} that {@code ok} accepts. */
    private static <T> T find(RelNode n, Class<T> c, java.util.function.Predicate<T> ok) {
      List<RelNode> candidates = n instanceof RelSubset subset ? subset.getRelList() : List.of(n);
      for (RelNode r : candidates) {
        if (c.isInstance(r) && ok.test(c.cast(r))) {
          return c.cast(r);
        }
      }
      return null;
    }
  }
}
