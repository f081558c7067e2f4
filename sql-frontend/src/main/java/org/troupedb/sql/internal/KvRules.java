package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilderFactory;

/** The planner rules of {@link KvTableScan}, registered by the scan when the planner first meets one. */
final class KvRules {
  private KvRules() {}

  /** Filter over a scan that has no filters yet → the same Filter over the scan with the usable conjuncts. */
  static final RelOptRule FILTER_INTO_SCAN = FilterIntoScan.Config.DEFAULT.toRule();

  static final List<RelOptRule> RULES = List.of(FILTER_INTO_SCAN);

  /**
   * Pushes the conjuncts of a Filter that bound a column of a {@link KvTableScan} (comparisons
   * with a literal or a parameter) into the scan, which narrows what it reads by them. The Filter
   * stays: it still decides every row, so a bound the scan cannot use at execution (a NULL
   * parameter, a value outside the column's type) costs speed, never correctness.
   */
  static final class FilterIntoScan extends RelRule<FilterIntoScan.Config> {
    FilterIntoScan(Config config) {
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

    /** The rule's configuration (Calcite's immutable-config shape, written out as a record). */
    record Config(RelBuilderFactory relBuilderFactory, String description, OperandTransform operandSupplier)
        implements RelRule.Config {
      static final Config DEFAULT = new Config(RelFactories.LOGICAL_BUILDER, "KvFilterIntoScan",
          b0 -> b0.operand(Filter.class).oneInput(
              b1 -> b1.operand(KvTableScan.class).predicate(s -> s.filters.isEmpty()).noInputs()));

      @Override
      public FilterIntoScan toRule() {
        return new FilterIntoScan(this);
      }

      @Override
      public Config withRelBuilderFactory(RelBuilderFactory factory) {
        return new Config(factory, description, operandSupplier);
      }

      @Override
      public Config withDescription(String d) {
        return new Config(relBuilderFactory, d, operandSupplier);
      }

      @Override
      public Config withOperandSupplier(OperandTransform transform) {
        return new Config(relBuilderFactory, description, transform);
      }
    }
  }
}
