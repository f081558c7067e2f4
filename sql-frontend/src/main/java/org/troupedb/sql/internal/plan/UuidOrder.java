package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Puts uuids in PostgreSQL's order, their 16 bytes unsigned. NB: Calcite's generated code orders
 * {@link java.util.UUID}s by {@code UUID.compareTo}, which compares signed halves (so
 * {@code f0…} sorts before {@code 00…}); the lower-case text form orders like the bytes. So an
 * ORDER BY key of type uuid becomes its text, appended to the sort's input, and a comparison
 * ({@code <}, {@code <=}, {@code >}, {@code >=}) of two uuids compares their texts. An interval
 * sort key likewise becomes its comparison key ({@code pg_interval_key}), so {@code 1 mon} and
 * {@code 30 days} tie as in PostgreSQL.
 *
 * <pre>
 *   Sort(keys: $u)  ⇒  Project($0..$n-1) ← Sort(keys: $n) ← Project($0..$n-1, CAST($u AS VARCHAR))
 * </pre>
 *
 * The statement's top ORDER BY keeps its appended columns ({@link #rewrite} reports the new
 * collation), since the plan's final projection drops them.
 */
public final class UuidOrder {
  private UuidOrder() {}

  /** A rewritten plan and the collation its root must keep. */
  public record Rewritten(RelNode rel, RelCollation collation) {}

  /** {@code rel} with uuid sort keys and comparisons rewritten; {@code collation} is the root's. */
  public static Rewritten rewrite(RelNode rel, RelCollation collation) {
    RelNode out = rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        if (other instanceof org.apache.calcite.rel.core.Aggregate agg) {
          noMinMax(agg);
        }
        RelNode visited = super.visit(other).accept(COMPARISONS.apply(other.getCluster().getRexBuilder()));
        return visited instanceof Sort sort && hasUuidKey(sort) ? sortByText(sort, other == rel) : visited;
      }
    });
    if (out != rel && out instanceof Sort top && rel instanceof Sort) {
      return new Rewritten(out, top.getCollation());
    }
    return new Rewritten(out, collation);
  }

  /** PostgreSQL 15 has no min/max of uuid: 42883, as there (Calcite would order signed halves). */
  private static void noMinMax(org.apache.calcite.rel.core.Aggregate agg) {
    for (org.apache.calcite.rel.core.AggregateCall call : agg.getAggCallList()) {
      org.apache.calcite.sql.SqlKind kind = call.getAggregation().getKind();
      if ((kind == org.apache.calcite.sql.SqlKind.MIN || kind == org.apache.calcite.sql.SqlKind.MAX)
          && call.getArgList().size() == 1
          && isUuid(agg.getInput().getRowType().getFieldList().get(call.getArgList().get(0)).getType())) {
        throw new org.troupedb.sql.internal.errors.SqlRuntimeException(new org.troupedb.sql.SqlException(
            org.troupedb.sql.SqlState.UNDEFINED_FUNCTION, "function " + kind.lowerName + "(uuid) does not exist", null,
            "No function matches the given name and argument types. You might need to add explicit type casts.", null));
      }
    }
  }

  private static boolean isUuid(RelDataType t) {
    return t.getSqlTypeName() == SqlTypeName.UUID;
  }

  private static boolean hasUuidKey(Sort sort) {
    for (RelFieldCollation fc : sort.getCollation().getFieldCollations()) {
      RelDataType t = sort.getInput().getRowType().getFieldList().get(fc.getFieldIndex()).getType();
      if (isUuid(t) || org.troupedb.sql.parser.ast.PgIntervalType.is(t)) {
        return true;
      }
    }
    return false;
  }

  /** The sort by the texts of its uuid keys; wrapped in a projection of its own fields unless it is the root. */
  private static RelNode sortByText(Sort sort, boolean root) {
    RelNode in = sort.getInput();
    RexBuilder rb = sort.getCluster().getRexBuilder();
    RelDataTypeFactory f = rb.getTypeFactory();
    int n = in.getRowType().getFieldCount();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>(in.getRowType().getFieldNames());
    for (int i = 0; i < n; i++) {
      projects.add(rb.makeInputRef(in, i));
    }
    List<RelFieldCollation> keys = new ArrayList<>();
    for (RelFieldCollation fc : sort.getCollation().getFieldCollations()) {
      RelDataType t = in.getRowType().getFieldList().get(fc.getFieldIndex()).getType();
      if (org.troupedb.sql.parser.ast.PgIntervalType.is(t)) { // intervals: by PostgreSQL's key, ties as equal
        projects.add(org.troupedb.sql.internal.functions.IntervalFunctions.sortKey(rb,
            rb.makeInputRef(in, fc.getFieldIndex())));
        names.add("$interval_key" + projects.size());
        keys.add(fc.withFieldIndex(projects.size() - 1));
        continue;
      }
      if (!isUuid(t)) {
        keys.add(fc);
        continue;
      }
      RelDataType text = f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), t.isNullable());
      projects.add(rb.makeCast(text, rb.makeInputRef(in, fc.getFieldIndex())));
      names.add("$uuid_text" + projects.size());
      keys.add(fc.withFieldIndex(projects.size() - 1));
    }
    RelNode keyed = LogicalProject.create(in, List.of(), projects, names, java.util.Set.of());
    RelCollation collation = RelCollations.of(keys);
    RelNode sorted = sort.copy(sort.getTraitSet().replace(collation), keyed, collation, sort.offset, sort.fetch);
    if (root) {
      return sorted;
    }
    List<RexNode> back = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      back.add(rb.makeInputRef(sorted, i));
    }
    return LogicalProject.create(sorted, List.of(), back, in.getRowType().getFieldNames(), java.util.Set.of());
  }

  /**
   * A comparison of a uuid (which Calcite turns into its text) with a string literal, the literal
   * read as uuid input ({@code 'A0EE…'}, {@code '{…}'}) and written in the lower-case form the
   * text has; {@code c} itself for any other call. A literal that is no uuid is 22P02, as in PostgreSQL.
   */
  private static RexNode canonicalLiteral(RexBuilder rb, RexCall c) {
    RexNode a = c.getOperands().get(0);
    RexNode b = c.getOperands().get(1);
    boolean swap = !uuidText(a);
    RexNode text = swap ? b : a;
    RexNode other = swap ? a : b;
    if (!uuidText(text) || !(other instanceof org.apache.calcite.rex.RexLiteral lit)
        || !org.apache.calcite.sql.type.SqlTypeUtil.inCharFamily(lit.getType()) || lit.getValue2() == null) {
      return c;
    }
    String canonical;
    try {
      canonical = org.troupedb.sql.internal.types.PgUuid.parse(lit.getValueAs(String.class)).toString();
    } catch (org.troupedb.sql.SqlException e) {
      throw new org.troupedb.sql.internal.errors.SqlRuntimeException(e);
    }
    RexNode fixed = rb.makeLiteral(canonical);
    return rb.makeCall(c.getType(), c.getOperator(), swap ? List.of(fixed, text) : List.of(text, fixed));
  }

  /** True for Calcite's implicit cast of a uuid to text. */
  private static boolean uuidText(RexNode n) {
    return n instanceof RexCall call && call.getKind() == org.apache.calcite.sql.SqlKind.CAST
        && isUuid(call.getOperands().get(0).getType());
  }

  /** Order comparisons of two uuids as comparisons of their texts. */
  private static final java.util.function.Function<RexBuilder, RexShuttle> COMPARISONS = rb -> new RexShuttle() {
    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (!(visited instanceof RexCall c) || c.getOperands().size() != 2) {
        return visited;
      }
      switch (c.getKind()) {
        case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> { }
        case EQUALS, NOT_EQUALS, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
          return canonicalLiteral(rb, c);
        }
        default -> {
          return visited;
        }
      }
      RexNode literal = canonicalLiteral(rb, c);
      if (literal != c) {
        return literal;
      }
      if (!isUuid(c.getOperands().get(0).getType()) || !isUuid(c.getOperands().get(1).getType())) {
        return visited;
      }
      RelDataTypeFactory f = rb.getTypeFactory();
      List<RexNode> texts = new ArrayList<>();
      for (RexNode o : c.getOperands()) {
        texts.add(rb.makeCast(f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR),
            o.getType().isNullable()), o));
      }
      return rb.makeCall(c.getType(), c.getOperator(), texts);
    }
  };
}
