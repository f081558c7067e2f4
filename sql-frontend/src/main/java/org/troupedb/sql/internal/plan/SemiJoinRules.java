package org.troupedb.sql.internal.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.SemiJoinRule;

/**
 * Calcite's {@code SemiJoinRule:project} and {@code SemiJoinRule:join}, restricted to a right-hand
 * Aggregate that has group keys.
 *
 * <p>Both rules turn {@code Join(left, Aggregate(input))} into {@code SemiJoin(left, input)} when
 * the join keys are the aggregate's group keys. That holds for a grouped aggregate (no groups when
 * its input is empty) but not for a grand total ({@code GROUP BY ()}), which yields one row even
 * over an empty input. NB: sub-query removal joins every row with such a grand total ({@code
 * count(*)} of the sub-query, to decide IN's NULL result), so {@code a > 50 OR a IN (SELECT b ...
 * WHERE <false>)} became a semi-join with the empty sub-query and lost every row (issue 14).
 */
public final class SemiJoinRules {
  /** {@code Project(Join(left, Aggregate))} → semi-join, for an Aggregate with group keys. */
  public static final RelOptRule PROJECT_TO_SEMI_JOIN =
      SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.DEFAULT
          .withDescription("SemiJoinRule:project(grouped)")
          .withOperandSupplier(b0 -> b0.operand(Project.class).oneInput(b1 -> b1.operand(Join.class)
              .predicate(SemiJoinRules::innerOrLeft).inputs(
                  b2 -> b2.operand(RelNode.class).anyInputs(),
                  b3 -> b3.operand(Aggregate.class).predicate(SemiJoinRules::grouped).anyInputs())))
          .as(SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.class)
          .toRule();

  /** {@code Join(left, Aggregate)} → semi-join, for an Aggregate with group keys. */
  public static final RelOptRule JOIN_TO_SEMI_JOIN =
      SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.DEFAULT
          .withDescription("SemiJoinRule:join(grouped)")
          .withOperandSupplier(b0 -> b0.operand(Join.class).predicate(SemiJoinRules::innerOrLeft).inputs(
              b1 -> b1.operand(RelNode.class).anyInputs(),
              b2 -> b2.operand(Aggregate.class).predicate(SemiJoinRules::grouped).anyInputs()))
          .as(SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.class)
          .toRule();

  private SemiJoinRules() {}

  /** Replaces Calcite's two rules in {@code planner} by the restricted ones (when it holds them). */
  public static void replaceIn(RelOptPlanner planner) {
    List<RelOptRule> rules = planner.getRules();
    if (rules.contains(CoreRules.PROJECT_TO_SEMI_JOIN)) {
      planner.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN);
      planner.addRule(PROJECT_TO_SEMI_JOIN);
    }
    if (rules.contains(CoreRules.JOIN_TO_SEMI_JOIN)) {
      planner.removeRule(CoreRules.JOIN_TO_SEMI_JOIN);
      planner.addRule(JOIN_TO_SEMI_JOIN);
    }
  }

  private static boolean innerOrLeft(Join join) {
    return join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.LEFT;
  }

  private static boolean grouped(Aggregate aggregate) {
    return aggregate.getGroupCount() > 0;
  }
}
