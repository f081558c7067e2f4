package org.troupedb.sql.internal.plan;

import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinAssociateRule;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Calcite's standard program (sub-queries removed, decorrelated, fields trimmed, cost-based
 * planning, then Calc), except that a query joining {@link #MIN_JOINS} or more relations is not
 * reordered exhaustively: its joins are gathered into one MultiJoin (a HepPlanner pass) and
 * ordered by the greedy {@code LoptOptimizeJoinRule}, and the Volcano planner runs without the
 * commute / associate / push-through rules. NB: with those rules, planning pgjdbc's
 * getImportedKeys (nine relations) took ~50 s and getColumns (eight) ~6 s; psql and pgjdbc send
 * such joins on every connect. This is Calcite's own {@code Programs.heuristicJoinOrder} applied
 * to the rules the planner already holds.
 */
final class JoinOrderProgram {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JoinOrderProgram.class);
  /** Joins (relations - 1) from which join order is heuristic. */
  static final int MIN_JOINS = 4;

  private JoinOrderProgram() {}

  static Program standard() {
    Program costBased = JoinOrderProgram::run;
    Program decorrelate = (planner, rel, required, materializations, lattices) -> {
      CalciteConnectionConfig config = planner.getContext().maybeUnwrap(CalciteConnectionConfig.class)
          .orElse(CalciteConnectionConfig.DEFAULT);
      if (!config.forceDecorrelate() || groupsOnlyByConstants(rel)) {
        return rel;
      }
      try {
        return RelDecorrelator.decorrelateQuery(rel, RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null));
      } catch (AssertionError | RuntimeException e) {
        // NB: Calcite's decorrelator fails on some queries: its own row-type check (a correlated
        // NOT EXISTS under a GROUP BY listing a column twice changed a column's nullability), an
        // IndexOutOfBoundsException or a NullPointerException in decorrelateRel and
        // createValueGenerator (correlated IN / EXISTS inside CASE or a join's ON; issue 14, found
        // by DifferentialIT). Decorrelation is an optimisation: the correlated plan
        // (EnumerableCorrelate) gives the same rows.
        LOG.debug("decorrelation failed, keeping the correlated plan", e);
        return rel;
      }
    };
    Program trimFields = (planner, rel, required, materializations, lattices) ->
        new RelFieldTrimmer(null, RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null)).trim(rel);
    return Programs.sequence(Programs.subQuery(DefaultRelMetadataProvider.INSTANCE), decorrelate, trimFields,
        costBased, Programs.calc(DefaultRelMetadataProvider.INSTANCE));
  }

  /**
   * Whether {@code rel} holds an Aggregate grouped by constants only ({@code SELECT DISTINCT 3 ...}).
   * NB: Calcite's decorrelator leaves constant group keys out of the aggregate it rebuilds, which
   * turns such a grouping into a grand total: one row even over no input. {@code SELECT DISTINCT 3
   * FROM e0 x0 WHERE EXISTS (SELECT 1 FROM e3 x1 WHERE x1.c1 <> x0.c0)} answered one row with e3
   * empty (issue 14, found by DifferentialIT). Such a query keeps its correlated plan.
   */
  static boolean groupsOnlyByConstants(RelNode rel) {
    boolean[] found = {false};
    new org.apache.calcite.rel.RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof org.apache.calcite.rel.core.Aggregate a && a.getGroupCount() > 0
            && a.getInput() instanceof org.apache.calcite.rel.core.Project p
            && a.getGroupSet().asList().stream().allMatch(k -> p.getProjects().get(k) instanceof org.apache.calcite.rex.RexLiteral)) {
          found[0] = true;
        }
        super.visit(node, ordinal, parent);
      }
    }.go(rel);
    return found[0];
  }

  private static RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet required,
      List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    if (RelOptUtil.countJoins(rel) >= MIN_JOINS) {
      // NB: the greedy ordering runs once, here, as Calcite's Programs.heuristicJoinOrder does;
      // registered in the Volcano planner it fired again on every change below the MultiJoin, and
      // a join of 40 small tables planned for ~50 s (issue 14; ManyTableJoinTest).
      // Conditions on one relation go to it first: LoptOptimizeJoinRule asserts that every join
      // filter of the MultiJoin spans two relations (ON x1.c1 = x1.id failed; DifferentialIT).
      HepPlanner hep = new HepPlanner(new HepProgramBuilder().addMatchOrder(HepMatchOrder.BOTTOM_UP)
          .addRuleCollection(List.of(CoreRules.FILTER_INTO_JOIN, CoreRules.JOIN_CONDITION_PUSH))
          .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN).addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE).build());
      hep.setRoot(rel);
      rel = hep.findBestExp();
      for (RelOptRule rule : List.copyOf(planner.getRules())) {
        if (rule instanceof JoinCommuteRule || rule instanceof JoinAssociateRule
            || rule instanceof JoinPushThroughJoinRule) {
          planner.removeRule(rule);
        }
      }
      planner.addRule(CoreRules.MULTI_JOIN_OPTIMIZE); // a MultiJoin the greedy pass left (none expected)
    }
    org.troupedb.sql.internal.plan.SoundRules.replaceIn(planner);
    planner.setRoot(rel);
    RelNode root = rel.getTraitSet().equals(required) ? rel : planner.changeTraits(rel, required);
    planner.setRoot(root);
    return planner.chooseDelegate().findBestExp();
  }
}
