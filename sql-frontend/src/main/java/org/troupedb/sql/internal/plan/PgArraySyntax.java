package org.troupedb.sql.internal.plan;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.functions.ArrayFunctions;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * PostgreSQL's array syntax in the shape Calcite validates and runs as PostgreSQL does, before
 * validation:
 *
 * <pre>
 *   CAST(v AS t[]), v::t[]      pg_array_cast(v, CAST(NULL AS t[]))   (text form or another array)
 *   x op ANY|SOME|ALL (array)   pg_array_quantify(x, array, 'opANY')  (NULLs as PostgreSQL; a subquery stays)
 *   array_agg(x [ORDER BY …])   pg_array_unrow(array_agg(ROW(x, true) …))  (NULL elements kept)
 *   FROM unnest(a) [AS u]       FROM unnest(a) AS unnest(unnest) / u(u)  (the column's name)
 * </pre>
 */
final class PgArraySyntax extends SqlShuttle {
  private PgArraySyntax() {}

  /** {@code node} with the rewrites above. */
  static SqlNode rewrite(SqlNode node) {
    return node == null ? null : node.accept(new PgArraySyntax());
  }

  /** {@code array_agg(x [ORDER BY …])} as {@code array_agg(ROW(x, true) [ORDER BY …])}. */
  private static SqlCall rowArgument(SqlCall agg) {
    SqlParserPos pos = agg.getParserPosition();
    java.util.List<SqlNode> operands = new java.util.ArrayList<>(agg.getOperandList());
    operands.set(0, new SqlBasicCall(SqlStdOperatorTable.ROW,
        java.util.List.<SqlNode>of(agg.operand(0), SqlLiteral.createBoolean(true, pos)), pos));
    return new SqlBasicCall(agg.getOperator(), operands, pos, agg.getFunctionQuantifier());
  }

  @Override
  public SqlNode visit(SqlCall call) {
    if (call.getKind() == SqlKind.RESPECT_NULLS || call.getKind() == SqlKind.IGNORE_NULLS) {
      return call; // as written
    }
    if (call.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR && call.operandCount() == 0) {
      throw new SqlRuntimeException(Errors.at(new SqlException("42P18", "cannot determine type of empty array", null,
          "Explicitly cast to the desired type, for example ARRAY[]::integer[].", null), call.getParserPosition()));
    }
    if (arrayCast(call) != null && call.operand(0) instanceof SqlLiteral lit
        && lit.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER) {
      // a literal is read while planning, its errors at its position (as PostgreSQL's parser does)
      SqlPgTypeNameSpec pg = (SqlPgTypeNameSpec) arrayCast(call).getTypeNameSpec();
      if (pg.pgType() != null) {
        try {
          new ColumnType(pg.pgType(), pg.precision(), pg.scale()).coerce(lit.getValueAs(String.class));
        } catch (SqlException e) {
          throw new SqlRuntimeException(Errors.at(e, lit.getParserPosition()));
        }
      }
    }
    if (arrayCast(call) != null && call.operand(0).getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR
        && ((SqlCall) call.operand(0)).operandCount() == 0) {
      // ARRAY[]::t[] is the empty array (Calcite's constructor needs an element)
      return ArrayFunctions.ARRAY_CAST.createCall(call.getParserPosition(),
          SqlLiteral.createCharString("{}", call.getParserPosition()), SqlStdOperatorTable.CAST.createCall(
              call.getParserPosition(), SqlLiteral.createNull(call.getParserPosition()), arrayCast(call)));
    }
    SqlNode visited = super.visit(call);
    if (!(visited instanceof SqlCall c)) {
      return visited;
    }
    SqlParserPos pos = c.getParserPosition();
    if (c instanceof SqlSelect select) {
      select.setFrom(nameUnnest(select.getFrom()));
      return select;
    }
    if (arrayCast(c) != null) {
      return ArrayFunctions.ARRAY_CAST.createCall(pos, c.operand(0),
          SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createNull(pos), arrayCast(c)));
    }
    if (c.getOperator() instanceof SqlQuantifyOperator q && c.operandCount() == 2) {
      SqlNode right = c.operand(1);
      if (right instanceof SqlNodeList list && list.size() == 1) {
        right = list.get(0);
      }
      if (right instanceof SqlNodeList || right.getKind().belongsTo(SqlKind.QUERY)) {
        return c;
      }
      String op = switch (q.comparisonKind) {
        case EQUALS -> "=";
        case NOT_EQUALS -> "<>";
        case LESS_THAN -> "<";
        case LESS_THAN_OR_EQUAL -> "<=";
        case GREATER_THAN -> ">";
        default -> ">=";
      };
      return ArrayFunctions.QUANTIFY.createCall(pos, c.operand(0), right,
          SqlLiteral.createCharString(op + (q.getKind() == SqlKind.ALL ? "ALL" : "ANY"), pos));
    }
    if (c.getKind() == SqlKind.ARRAY_AGG && c.operandCount() >= 1) {
      return ArrayFunctions.UNROW.createCall(pos, rowArgument(c));
    }
    return c;
  }

  /** The target type of a cast to an array type, or null. */
  private static SqlDataTypeSpec arrayCast(SqlCall c) {
    return c.getKind() == SqlKind.CAST && c.operandCount() == 2 && c.operand(1) instanceof SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg && pg.isArray() ? spec : null;
  }

  private static SqlNode nameUnnest(SqlNode from) {
    if (from instanceof SqlJoin join) {
      join.setLeft(nameUnnest(join.getLeft()));
      join.setRight(nameUnnest(join.getRight()));
      return join;
    }
    SqlParserPos pos = from == null ? SqlParserPos.ZERO : from.getParserPosition();
    if (from != null && from.getKind() == SqlKind.UNNEST) {
      return SqlStdOperatorTable.AS.createCall(pos, from, new SqlIdentifier("unnest", pos),
          new SqlIdentifier("unnest", pos));
    }
    if (from instanceof SqlBasicCall as && as.getKind() == SqlKind.AS && as.operandCount() == 2
        && as.operand(0).getKind() == SqlKind.UNNEST && as.operand(1) instanceof SqlIdentifier alias) {
      return SqlStdOperatorTable.AS.createCall(pos, as.operand(0), alias, alias);
    }
    return from;
  }
}
