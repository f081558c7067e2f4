package org.troupedb.sql.internal.plan;

import java.util.List;
import java.util.Set;
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
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * PostgreSQL types a parameter whose type nothing determines ({@code SELECT $1}, {@code $1 || 'x'},
 * {@code coalesce($1, 'x')}) as {@code text} (its {@code unknown} resolves to text); Calcite's
 * validator rejects it ("Illegal use of dynamic parameter"). The planner retries such a statement
 * with each parameter Calcite rejected cast to text, one at a time, so parameters whose type the
 * context does determine ({@code WHERE i = $1}, {@code $1::int}) keep it. A parameter the client
 * declared a type for ({@link DeclaredTypes}) is cast to that type instead, as PostgreSQL types it;
 * if the statement does not plan so, it is planned as before, with text.
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
      try {
        return plan(planner, catalog, databaseId, builder, declared);
      } catch (SqlException e) {
        // planned as an undeclared statement is, below (e.g. an int4 $1 || 'x', which Calcite refuses)
      }
    }
    return plan(planner, catalog, databaseId, builder, List.of());
  }

  private static QueryPlanner.Plan plan(QueryPlanner planner, Catalog catalog, long databaseId,
      QueryPlanner.NodeBuilder builder, List<PgType> declared) throws SqlException {
    Set<SqlParserPos> untyped = new java.util.HashSet<>();
    while (true) {
      SqlNode node = builder.build();
      try {
        return planner.plan(catalog, databaseId, untyped.isEmpty() ? node : castUntyped(node, untyped, declared));
      } catch (SqlException e) {
        SqlParserPos pos = untypedSpan(e);
        if (pos == null || !untyped.add(pos)) {
          throw e;
        }
      }
    }
  }

  /**
   * {@code node} with the parameters inside {@code spans} cast to their declared type or text
   * (unless cast already).
   */
  static SqlNode castUntyped(SqlNode node, Set<SqlParserPos> spans, List<PgType> declared) {
    return node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        return call.getKind() == SqlKind.CAST && call.operand(0) instanceof SqlDynamicParam ? call : super.visit(call);
      }

      @Override
      public SqlNode visit(SqlDynamicParam param) {
        SqlParserPos p = param.getParserPosition();
        for (SqlParserPos untyped : spans) {
          if (untyped.overlaps(p)) {
            SqlDataTypeSpec type = new SqlDataTypeSpec(new SqlPgTypeNameSpec(DeclaredTypes.castName(declared,
                param.getIndex()), SqlPgTypeNameSpec.UNSPECIFIED, SqlPgTypeNameSpec.UNSPECIFIED, false, p), p);
            return SqlStdOperatorTable.CAST.createCall(p, param, type);
          }
        }
        return param;
      }
    });
  }
}
