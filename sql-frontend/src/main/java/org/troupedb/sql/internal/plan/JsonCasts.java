package org.troupedb.sql.internal.plan;

import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Makes {@code x::json}, {@code x::jsonb} and {@code x::text} (and the other string types) plain
 * CASTs. NB: Calcite's {@code ::} is a binary operator, and a binary operator's string result takes
 * the collation of its operands by SQL's coercibility rules, so {@code jsonb_value::text} stayed
 * jsonb and {@code json_value::jsonb} was refused ("two explicit different collations"; json and
 * jsonb are collated strings, see {@code PgJsonType}; so is interval, see {@code PgIntervalType});
 * {@code CAST(x AS t)} has exactly type t.
 */
final class JsonCasts {
  private JsonCasts() {}

  private static final Set<String> STRING_TARGETS = Set.of("json", "jsonb", "text", "varchar", "bpchar", "name",
      "interval");

  static void standardize(SqlNode node) {
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getOperator() == SqlLibraryOperators.INFIX_CAST && call instanceof SqlBasicCall basic
            && call.operandCount() == 2 && call.operand(1) instanceof SqlDataTypeSpec spec
            && spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg && STRING_TARGETS.contains(pg.typeName())) {
          basic.setOperator(SqlStdOperatorTable.CAST);
        }
        return super.visit(call);
      }
    });
  }
}
