package org.troupedb.sql.internal.plan;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.SemiJoinRule;

/**
 * Calcite planner rules that gave wrong answers (issue 14), replaced in each planner by restricted
 * variants.
 *
 * <p><b>Semi-joins.</b> {@code SemiJoinRule:project} and {@code SemiJoinRule:join} only for a
 * right-hand Aggregate that has group keys. Both rules turn {@code Join(left, Aggregate(input))}
 * into {@code SemiJoin(left, input)} when the join keys are the aggregate's group keys. That holds for a grouped aggregate (no groups when
 * its input is empty) but not for a grand total ({@code GROUP BY ()}), which yields one row even
 * over an empty input. NB: sub-query removal joins every row with such a grand total ({@code
 * count(*)} of the sub-query, to decide IN's NULL result), so {@code a > 50 OR a IN (SELECT b ...
 * WHERE <false>)} became a semi-join with the empty sub-query and lost every row.
 *
 * <p><b>Merge joins.</b> {@code EnumerableMergeJoinRule} only for inner joins. NB: Calcite lets a
 * merge join's output pass for sorted on the right-hand keys as well as the left-hand ones; for an
 * outer join that is false (an unmatched row has NULL right keys), so a second merge join on a
 * column of the outer join's right side read unsorted input and lost rows: {@code t3 x0 LEFT JOIN
 * t4 x1 ON x0.c0 = x1.c0 JOIN t3 x2 ON x1.c0 = x2.c0} gave 1 row of 9 (found by DifferentialIT).
 * Outer equi-joins are hash joins.
 */
public final class SoundRules {
  /** {@code Project(Join(left, Aggregate))} → semi-join, for an Aggregate with group keys. */
  public static final RelOptRule PROJECT_TO_SEMI_JOIN =
      SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.DEFAULT
          .withDescription("SemiJoinRule:project(grouped)")
          .withOperandSupplier(b0 -> b0.operand(Project.class).oneInput(b1 -> b1.operand(Join.class)
              .predicate(SoundRules::innerOrLeft).inputs(
                  b2 -> b2.operand(RelNode.class).anyInputs(),
                  b3 -> b3.operand(Aggregate.class).predicate(SoundRules::grouped).anyInputs())))
          .as(SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.class)
          .toRule();

  /** {@code Join(left, Aggregate)} → semi-join, for an Aggregate with group keys. */
  public static final RelOptRule JOIN_TO_SEMI_JOIN =
      SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.DEFAULT
          .withDescription("SemiJoinRule:join(grouped)")
          .withOperandSupplier(b0 -> b0.operand(Join.class).predicate(SoundRules::innerOrLeft).inputs(
              b1 -> b1.operand(RelNode.class).anyInputs(),
              b2 -> b2.operand(Aggregate.class).predicate(SoundRules::grouped).anyInputs()))
          .as(SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.class)
          .toRule();

  /** Merge joins for inner joins only (the conversion itself is Calcite's). */
  public static final RelOptRule INNER_MERGE_JOIN = new InnerMergeJoinRule(ConverterRule.Config.INSTANCE
      .withConversion(LogicalJoin.class, j -> j.getJoinType() == JoinRelType.INNER, Convention.NONE,
          EnumerableConvention.INSTANCE, "EnumerableMergeJoinRule(inner)"));

  private SoundRules() {}

  /** Replaces Calcite's rules in {@code planner} by the restricted ones (where it holds them). */
  public static void replaceIn(RelOptPlanner planner) {
    if (rulesOf(planner).contains(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE)) {
      planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
      planner.addRule(INNER_MERGE_JOIN);
    }
    List<RelOptRule> rules = rulesOf(planner);
    if (rules.contains(CoreRules.PROJECT_TO_SEMI_JOIN)) {
      planner.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN);
      planner.addRule(PROJECT_TO_SEMI_JOIN);
    }
    if (rules.contains(CoreRules.JOIN_TO_SEMI_JOIN)) {
      planner.removeRule(CoreRules.JOIN_TO_SEMI_JOIN);
      planner.addRule(JOIN_TO_SEMI_JOIN);
    }
  }

  private static List<RelOptRule> rulesOf(RelOptPlanner planner) {
    return planner.getRules();
  }

  /** Calcite's merge-join conversion behind a narrower operand. */
  private static final class InnerMergeJoinRule extends ConverterRule {
    InnerMergeJoinRule(ConverterRule.Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      return ((ConverterRule) EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE).convert(rel);
    }
  }

  private static boolean innerOrLeft(Join join) {
    return join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.LEFT;
  }

  private static boolean grouped(Aggregate aggregate) {
    return aggregate.getGroupCount() > 0;
  }
}
