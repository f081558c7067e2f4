package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.function.NonDeterministic;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Gives an aggregate's arguments the nullability its calls were typed with, before planning.
 *
 * <p>NB: Calcite's SqlToRelConverter types an aggregate call from the validator (nullable for
 * {@code sum(CAST(NULLIF(3, 0) AS BIGINT))}, whose argument may be NULL) but simplifies the
 * argument it converts ({@code NULLIF(3, 0)} is {@code 3}, NOT NULL). Any step that builds the
 * aggregate again infers the call's type anew, NOT NULL: the field trimmer before Volcano does, and
 * so do rules inside it (AggregateReduceFunctionsRule then reduces the SUM to a bare $SUM0), while
 * the nodes above keep input references typed nullable. Volcano then rejects a merged Project whose
 * field lost its nullability ("Type mismatch … ProjectMergeRule": XX000 where PostgreSQL answers;
 * issue 14, found by DifferentialIT). Here such an argument (a NOT NULL field of the input feeding a
 * nullable call of a grouped aggregate) is wrapped in {@code pg_nullable(x)}, an identity whose type
 * is x's made nullable, so every later inference agrees with the stored type. It is declared
 * non-deterministic so that constant reduction does not fold it back to a NOT NULL literal.
 */
public final class AggregateArguments {
  private AggregateArguments() {}

  static final SqlOperator NULLABLE = new SqlUserDefinedFunction(
      new SqlIdentifier("pg_nullable", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_FORCE_NULLABLE,
      null, null, ScalarFunctionImpl.create(AggregateArguments.class, "nullable"));

  /** {@code pg_nullable(x)}: x. NB: public only because generated plan code calls it. */
  @NonDeterministic
  public static Object nullable(Object x) {
    return x;
  }

  /** {@code rel} with the arguments described above widened to nullable. */
  public static RelNode widen(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited instanceof LogicalAggregate a ? widen(a) : visited;
      }
    });
  }

  private static RelNode widen(LogicalAggregate a) {
    if (a.getGroupCount() == 0 || a.getGroupSets().size() != 1) {
      return a; // a grand total's calls (but COUNT) are nullable whatever their arguments
    }
    List<RelDataTypeField> fields = a.getInput().getRowType().getFieldList();
    ImmutableBitSet.Builder widened = ImmutableBitSet.builder();
    for (AggregateCall c : a.getAggCallList()) {
      if (!c.getType().isNullable() || c.getArgList().isEmpty() || c.getType().getComponentType() != null
          || c.getArgList().stream().anyMatch(i -> fields.get(i).getType().isStruct())) {
        continue; // array_agg's type holds its argument's (a row's field nullability): leave it be
      }
      boolean allNotNull = c.getArgList().stream().noneMatch(i -> fields.get(i).getType().isNullable());
      if (allNotNull && c.getArgList().stream().noneMatch(a.getGroupSet()::get) && c.filterArg < 0) {
        c.getArgList().forEach(widened::set);
      }
    }
    ImmutableBitSet args = widened.build();
    if (args.isEmpty()) {
      return a;
    }
    RexBuilder rb = a.getCluster().getRexBuilder();
    List<RexNode> exprs = new ArrayList<>(fields.size());
    List<String> names = new ArrayList<>(fields.size());
    for (RelDataTypeField f : fields) {
      RexNode ref = rb.makeInputRef(a.getInput(), f.getIndex());
      exprs.add(args.get(f.getIndex()) ? rb.makeCall(NULLABLE, ref) : ref);
      names.add(f.getName());
    }
    RelNode input = LogicalProject.create(a.getInput(), List.of(), exprs, names, java.util.Set.of());
    return a.copy(a.getTraitSet(), input, a.getGroupSet(), a.getGroupSets(), a.getAggCallList());
  }
}
