package org.troupedb.sql.internal;

import java.util.Locale;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Checks string literals cast to a number or boolean ({@code 'abc'::integer}, {@code CAST('x' AS
 * boolean)}) before planning, as PostgreSQL does while parsing: bad text is 22P02 {@code invalid
 * input syntax for type integer: "abc"} at the literal's position, whether or not a row is ever
 * read. Other types (and out-of-range numbers) are left to execution.
 */
final class LiteralCasts {
  private LiteralCasts() {}

  /** Throws the 22P02 of the first string literal in {@code node} its cast target type cannot read. */
  static void check(SqlNode node) throws SqlException {
    try {
      node.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
              && call.operand(0) instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.CHAR
              && call.operand(1) instanceof SqlDataTypeSpec spec) {
            checkLiteral(lit, target(spec));
          }
          return super.visit(call);
        }
      });
    } catch (SqlRuntimeException e) {
      throw e.sqlException();
    }
  }

  private static void checkLiteral(SqlLiteral lit, PgType type) {
    if (type == null) {
      return;
    }
    String text = lit.getValueAs(String.class);
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (type == PgType.NUMERIC && (t.equals("nan") || t.endsWith("infinity"))) {
      return; // accepted by PostgreSQL; execution decides what TroupeDB does with it
    }
    try {
      ColumnType.of(type).coerce(text);
    } catch (SqlException e) {
      if (SqlState.INVALID_TEXT_REPRESENTATION.equals(e.sqlState())) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    }
  }

  /** The checked target type of a cast, or null for a type this check leaves alone. */
  private static PgType target(SqlDataTypeSpec spec) {
    PgType t = null;
    if (spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg) {
      t = pg.pgType();
    } else if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      SqlTypeName n = SqlTypeName.get(basic.getTypeName().getSimple().toUpperCase(Locale.ROOT));
      t = n == null ? null : switch (n) {
        case BOOLEAN -> PgType.BOOL;
        case SMALLINT -> PgType.INT2;
        case INTEGER -> PgType.INT4;
        case BIGINT -> PgType.INT8;
        case DECIMAL -> PgType.NUMERIC;
        default -> null;
      };
    }
    return t == PgType.BOOL || t == PgType.INT2 || t == PgType.INT4 || t == PgType.INT8 || t == PgType.NUMERIC
        ? t : null;
  }
}
