package org.troupedb.sql.internal.kv;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexProgramBuilder;

/**
 * The scan of a {@link KvTable}, already in the Enumerable convention: compiled into the plan's
 * generated class once, it calls {@link KvScan#scan} per execution. {@link KvRules} push the
 * comparisons of a Filter above it into {@code filters}; the access path they allow
 * ({@link KvAccess}) shows in EXPLAIN and sets the cost, so the planner prefers narrow scans.
 */
final class KvTableScan extends TableScan implements EnumerableRel {
  final KvTable kvTable;
  /** The conjuncts pushed in (each bounds a column), over this scan's row type. */
  final List<RexNode> filters;
  private final KvScan spec;

  private KvTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, KvTable kvTable,
      List<RexNode> filters) {
    super(cluster, traits, List.of(), table);
    this.kvTable = kvTable;
    this.filters = List.copyOf(filters);
    List<KvScan.Bound> bounds = new ArrayList<>();
    for (RexNode f : filters) {
      bounds.addAll(KvScan.bounds(kvTable, f));
    }
    this.spec = new KvScan(kvTable, bounds);
  }

  static KvTableScan create(RelOptCluster cluster, RelOptTable table, KvTable kvTable, List<RexNode> filters) {
    return new KvTableScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, kvTable, filters);
  }

  KvTableScan withFilters(List<RexNode> pushed) {
    return new KvTableScan(getCluster(), getTraitSet(), getTable(), kvTable, pushed);
  }

  KvAccess access() {
    return KvScan.access(kvTable, spec.bounds());
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new KvTableScan(getCluster(), traitSet, getTable(), kvTable, filters);
  }

  @Override
  public void register(RelOptPlanner planner) {
    for (var rule : KvRules.RULES) {
      planner.addRule(rule);
    }
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .itemIf("filters", filters, !filters.isEmpty())
        .item("access", access().describe());
  }

  /**
   * The access path's estimate, a little lower for every pushed conjunct: Volcano compares costs
   * by row count, and a scan that knows its filters must win a tie against one that does not.
   */
  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return access().rows(super.estimateRowCount(mq)) * Math.pow(0.9, filters.size());
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = estimateRowCount(mq);
    return planner.getCostFactory().makeCost(rows, rows, rows);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, false);
    Expression scan = implementor.stash(spec, KvScan.class);
    BlockBuilder block = new BlockBuilder();
    Expression values = block.append("values", Expressions.newArrayInit(Object.class, boundValues(implementor, block)));
    block.add(Expressions.return_(null, Expressions.call(scan, "scan", implementor.getRootExpression(), values)));
    return implementor.result(physType, block.toBlock());
  }

  /**
   * Java expressions for the values of the bounds, in {@link KvScan}'s order (null for a
   * literal bound): parameters read from the DataContext, outer-row fields from the enclosing
   * correlated join's variable.
   */
  private List<Expression> boundValues(EnumerableRelImplementor implementor, BlockBuilder block) {
    RexProgramBuilder program = new RexProgramBuilder(getRowType(), getCluster().getRexBuilder());
    for (KvScan.Bound b : spec.bounds()) {
      if (b.value() != null) {
        program.addProject(b.value(), "v" + program.getProjectList().size());
      }
    }
    List<Expression> translated = List.of();
    if (program.getProjectList().size() > 0) {
      RexProgram p = program.getProgram();
      translated = RexToLixTranslator.translateProjects(p, implementor.getTypeFactory(), implementor.getConformance(),
          block, null, PhysTypeImpl.of(implementor.getTypeFactory(), p.getOutputRowType(), JavaRowFormat.ARRAY, false),
          implementor.getRootExpression(), (list, index, storageType) -> {
            throw new IllegalStateException("a bound value refers to the scanned row");
          }, implementor::getCorrelVariableGetter);
    }
    List<Expression> out = new ArrayList<>();
    int next = 0;
    for (KvScan.Bound b : spec.bounds()) {
      if (b.value() == null) {
        out.add(Expressions.constant(null));
      } else {
        Expression e = translated.get(next++);
        out.add(Expressions.convert_(Primitive.is(e.getType()) ? Expressions.box(e) : e, Object.class));
      }
    }
    return out;
  }
}
