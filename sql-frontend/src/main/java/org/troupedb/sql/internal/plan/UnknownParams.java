package org.troupedb.sql.internal.plan;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * PostgreSQL types a parameter whose type nothing determines ({@code SELECT $1}, {@code $1 || 'x'},
 * {@code coalesce($1, 'x')}) as {@code text} (its {@code unknown} resolves to text); Calcite's
 * validator rejects it ("Illegal use of dynamic parameter"). The planner retries such a statement
 * with each parameter Calcite rejected cast to text, one at a time, so parameters whose type the
 * context does determine ({@code WHERE i = $1}, {@code $1::int}) keep it.
 *
 * <p>A parameter the client declared a type for ({@link DeclaredTypes}: {@code PREPARE p(numeric)},
 * Parse's type OIDs) has that type, as in PostgreSQL, whatever its context would infer: {@code
 * PREPARE p(numeric) AS SELECT $1 * 2} multiplies a numeric (Calcite alone would infer integer from
 * the other operand, and {@code EXECUTE p(1.25)} would answer 2). So a declared parameter that is
 * untyped, or whose inferred type differs from the declared one, is cast to the declared type and
 * the statement planned again; a parameter inferred as declared keeps its plan (no cast over a key
 * column). If the statement does not plan so, it is planned as before (inferred types, else text).
 */
final class UnknownParams {
  private UnknownParams() {}

  /**
   * The span of a validation error about an untyped parameter (the parameter itself, or a call
   * given an {@code <UNKNOWN>} operand), or null.
   */
  static SqlParserPos untypedSpan(SqlException e) {
    String m = e.getMessage();
    if (m == null || !(m.contains("could not determine data type of parameter")
        || m.startsWith("Cannot apply") && m.contains("<UNKNOWN>"))) {
      return null;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CalciteContextException ctx && ctx.getPosLine() > 0) {
        return new SqlParserPos(ctx.getPosLine(), ctx.getPosColumn(), ctx.getEndPosLine(), ctx.getEndPosColumn());
      }
    }
    return null;
  }

  /**
   * Plans {@code builder}'s node, retrying with each untyped parameter cast to its declared type
   * ({@code declared}, from {@link DeclaredTypes#shaping}) or text.
   */
  static QueryPlanner.Plan plan(QueryPlanner planner, Catalog catalog, long databaseId, List<PgType> declared,
      QueryPlanner.NodeBuilder builder) throws SqlException {
    if (!declared.isEmpty()) {
      QueryPlanner.Plan inferred = null;
      try {
        inferred = plan(planner, catalog, databaseId, builder, declared, Set.of());
        Set<Integer> retyped = retyped(inferred.paramTypes(), declared, repeated(builder.build()));
        if (retyped.isEmpty()) {
          return inferred;
        }
        return plan(planner, catalog, databaseId, builder, declared, retyped);
      } catch (SqlException e) {
        if (inferred != null) {
          return inferred; // the declared type does not fit where the parameter stands (Calcite refuses it)
        }
        // planned as an undeclared statement is, below (e.g. an int4 $1 || 'x', which Calcite refuses)
      }
    }
    return plan(planner, catalog, databaseId, builder, List.of(), Set.of());
  }

  /**
   * The (0-based) parameters to cast to their declared type: those declared as a type other than
   * the one {@code inferred} gave them, and those that occur more than once ({@code repeated}: each
   * occurrence is typed by its own context, {@code inferred} holds only the first's).
   */
  static Set<Integer> retyped(List<RelDataType> inferred, List<PgType> declared, Set<Integer> repeated) {
    Set<Integer> out = new java.util.TreeSet<>();
    for (int i = 0; i < declared.size() && i < inferred.size(); i++) {
      PgType d = declared.get(i);
      RelDataType t = inferred.get(i);
      if (d != null && t != null && (repeated.contains(i) || !ColumnType.fromRelType(t).equals(ColumnType.of(d)))) {
        out.add(i);
      }
    }
    return out;
  }

  /** The (0-based) parameters that occur more than once in {@code node}. */
  static Set<Integer> repeated(SqlNode node) {
    Set<Integer> seen = new java.util.HashSet<>();
    Set<Integer> out = new java.util.HashSet<>();
    node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlDynamicParam param) {
        if (!seen.add(param.getIndex())) {
          out.add(param.getIndex());
        }
        return param;
      }
    });
    return out;
  }

  /**
   * Plans {@code builder}'s node with the parameters {@code retyped} cast to their declared type,
   * retrying with each parameter Calcite finds untyped cast to its declared type or text.
   */
  private static QueryPlanner.Plan plan(QueryPlanner planner, Catalog catalog, long databaseId,
      QueryPlanner.NodeBuilder builder, List<PgType> declared, Set<Integer> retyped) throws SqlException {
    Set<SqlParserPos> untyped = new java.util.HashSet<>();
    while (true) {
      SqlNode node = builder.build();
      try {
        return planner.plan(catalog, databaseId, untyped.isEmpty() && retyped.isEmpty() ? node
            : castUntyped(node, untyped, retyped, declared));
      } catch (SqlException e) {
        SqlParserPos pos = untypedSpan(e);
        if (pos == null || !untyped.add(pos)) {
          throw e;
        }
      }
    }
  }

  /**
   * {@code node} with the parameters inside {@code spans} or numbered in {@code retyped} cast to
   * their declared type or text (unless cast already).
   */
  static SqlNode castUntyped(SqlNode node, Set<SqlParserPos> spans, Set<Integer> retyped, List<PgType> declared) {
    return node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        return call.getKind() == SqlKind.CAST && call.operand(0) instanceof SqlDynamicParam ? call : super.visit(call);
      }

      @Override
      public SqlNode visit(SqlDynamicParam param) {
        SqlParserPos p = param.getParserPosition();
        if (retyped.contains(param.getIndex()) || spans.stream().anyMatch(untyped -> untyped.overlaps(p))) {
          SqlDataTypeSpec type = new SqlDataTypeSpec(new SqlPgTypeNameSpec(DeclaredTypes.castName(declared,
              param.getIndex()), SqlPgTypeNameSpec.UNSPECIFIED, SqlPgTypeNameSpec.UNSPECIFIED, false, p), p);
          return SqlStdOperatorTable.CAST.createCall(p, param, type);
        }
        return param;
      }
    });
  }
}
