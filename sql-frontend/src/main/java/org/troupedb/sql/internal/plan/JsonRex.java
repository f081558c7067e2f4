package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.functions.JsonFunctions;
import org.troupedb.sql.parser.ast.PgJsonType;

/**
 * Gives json and jsonb expressions their PostgreSQL meaning where Calcite sees only strings (see
 * {@link PgJsonType}): a cast to json or jsonb of anything else checks (and for jsonb normalises)
 * the text ({@code jsonb_in}); a string literal compared with a jsonb is read as jsonb
 * ({@code j = '{"a":1}'} matches {@code {"a": 1}}); {@code jsonb || jsonb} merges or appends
 * instead of joining the texts; {@code jsonb - key} is 0A000 (Calcite would subtract numbers).
 * Each replacement keeps the expression's type.
 */
final class JsonRex {
  private JsonRex() {}

  static RelNode rewrite(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall c)) {
          return visited;
        }
        PgType target = PgJsonType.pgType(c.getType());
        if (c.getKind() == SqlKind.CAST && target != null
            && PgJsonType.pgType(c.getOperands().get(0).getType()) != target) {
          return rb.makeCall(c.getType(), target == PgType.JSONB ? JsonFunctions.JSONB_IN : JsonFunctions.JSON_IN,
              c.getOperands());
        }
        if (c.getKind() == SqlKind.MINUS && c.getOperands().stream().anyMatch(o -> PgJsonType.isJsonb(o.getType())
            || o.getKind() == SqlKind.CAST && PgJsonType.isJsonb(((RexCall) o).getOperands().get(0).getType()))) {
          // Calcite typed jsonb - 'key' as a subtraction of numbers
          throw new org.troupedb.sql.internal.errors.SqlRuntimeException(
              org.troupedb.sql.SqlException.unsupported("operator jsonb - (deleting a key or element)"));
        }
        if (c.getOperator() == SqlStdOperatorTable.CONCAT && c.getOperands().stream()
            .anyMatch(o -> PgJsonType.isJsonb(o.getType()))) {
          return rb.makeCall(c.getType(), JsonFunctions.CONCAT, c.getOperands());
        }
        if (COMPARISONS.contains(c.getKind()) && c.getOperands().size() == 2) {
          RexNode a = c.getOperands().get(0);
          RexNode b = c.getOperands().get(1);
          if (PgJsonType.isJsonb(a.getType()) && textLiteral(b) || PgJsonType.isJsonb(b.getType()) && textLiteral(a)) {
            // NB: a literal cast to jsonb in the statement was normalised by LiteralCasts; this is idempotent
            List<RexNode> ops = new ArrayList<>();
            for (RexNode o : c.getOperands()) {
              ops.add(textLiteral(o) ? rb.makeCall(PgJsonType.of(rb.getTypeFactory(), PgType.JSONB,
                  o.getType().isNullable()), JsonFunctions.JSONB_IN, List.of(o)) : o);
            }
            return rb.makeCall(c.getType(), c.getOperator(), ops);
          }
        }
        return c;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }

  private static final java.util.Set<SqlKind> COMPARISONS = java.util.EnumSet.of(SqlKind.EQUALS,
      SqlKind.NOT_EQUALS, SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM);

  private static boolean textLiteral(RexNode n) {
    return n instanceof RexLiteral l && SqlTypeFamily.CHARACTER.contains(l.getType()); // a jsonb-typed one too: Calcite drops the cast of a literal
  }
}
