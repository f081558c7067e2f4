package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlRowTypeNameSpec;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * A set-returning function in a select list, PostgreSQL style, as a lateral join:
 *
 * <pre>
 *   SELECT a, (f(arr)).n AS k, f(arr) AS keys FROM t WHERE w
 *     ==&gt;
 *   SELECT a, "$srf".n AS k, CAST(ROW("$srf".x, "$srf".n) AS ROW(x INTEGER, n INTEGER)) AS keys
 *   FROM t, LATERAL TABLE(information_schema._pg_expandarray(arr)) AS "$srf"(x, n) WHERE w
 * </pre>
 *
 * Each row of FROM/WHERE yields one output row per element (none for an empty or NULL array), as
 * in PostgreSQL, where every call of the same function on the same argument advances in lockstep.
 * Handled: {@code information_schema._pg_expandarray} (pgjdbc's getPrimaryKeys and getIndexInfo),
 * {@code unnest(arr)} (its {@code x}) and {@code generate_subscripts(arr, 1)} (its {@code n}: SQLAlchemy's
 * primary-key reflection), and only when every call in the list has the same argument; any other
 * form is left alone (and fails validation as an unknown function). NB: subscripts count from 1
 * here, also for an int2vector, whose subscripts PostgreSQL counts from 0 (the order is the same).
 */
final class PgSelectListSrf {
  private static final SqlParserPos POS = SqlParserPos.ZERO;
  static final String FUNCTION = "_pg_expandarray";
  private static final String ALIAS = "$srf";

  private PgSelectListSrf() {}

  /** The rewritten select, or null when its select list calls no set-returning function we handle. */
  static SqlSelect rewrite(SqlSelect select) {
    List<SqlCall> calls = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      collect(item, calls);
    }
    if (calls.isEmpty()) {
      return null;
    }
    SqlNode arg = calls.get(0).operand(0);
    for (SqlCall c : calls) {
      if (!c.operand(0).equalsDeep(arg, org.apache.calcite.util.Litmus.IGNORE)) {
        return null;
      }
    }
    SqlShuttle replace = new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (call instanceof SqlSelect) {
          return call;
        }
        if (call.getKind() == SqlKind.DOT && isSrf(call.operand(0)) && call.operand(1) instanceof SqlIdentifier f) {
          return column(f.getSimple().toLowerCase(Locale.ROOT));
        }
        if (isSrf(call)) {
          return switch (name(call)) {
            case "unnest" -> column("x");
            case "generate_subscripts" -> column("n");
            default -> record();
          };
        }
        return super.visit(call);
      }
    };
    List<SqlNode> items = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      SqlNode replaced = item.accept(replace);
      if (isSrf(item) && !name((SqlCall) item).equals(FUNCTION)) { // PostgreSQL names the column after the function
        replaced = SqlStdOperatorTable.AS.createCall(POS, replaced, new SqlIdentifier(name((SqlCall) item), POS));
      }
      items.add(replaced);
    }
    SqlNode fn = new SqlUnresolvedFunction(new SqlIdentifier(List.of("information_schema", FUNCTION), POS), null,
        null, null, null, SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION).createCall(POS, arg);
    SqlNode lateral = SqlStdOperatorTable.LATERAL.createCall(POS,
        SqlStdOperatorTable.COLLECTION_TABLE.createCall(POS, fn));
    SqlNode aliased = SqlStdOperatorTable.AS.createCall(POS, lateral, new SqlIdentifier(ALIAS, POS),
        new SqlIdentifier("x", POS), new SqlIdentifier("n", POS));
    SqlNode left = select.getFrom() != null ? select.getFrom()
        : SqlStdOperatorTable.VALUES.createCall(POS, SqlStdOperatorTable.ROW.createCall(POS,
            SqlLiteral.createExactNumeric("0", POS)));
    SqlJoin from = new SqlJoin(POS, left, SqlLiteral.createBoolean(false, POS),
        JoinType.COMMA.symbol(POS), aliased, JoinConditionType.NONE.symbol(POS), null);
    return new SqlSelect(POS, (SqlNodeList) select.getOperandList().get(0),
        new SqlNodeList(items, POS), from, select.getWhere(), select.getGroup(), select.getHaving(),
        select.getWindowList(), select.getQualify(), select.getOrderList(), select.getOffset(), select.getFetch(),
        select.getHints());
  }

  private static SqlNode column(String name) {
    return new SqlIdentifier(List.of(ALIAS, name), POS);
  }

  /** {@code CAST(ROW("$srf".x, "$srf".n) AS ROW(x INTEGER, n INTEGER))}: the function's record. */
  private static SqlNode record() {
    SqlNode row = SqlStdOperatorTable.ROW.createCall(POS, column("x"), column("n"));
    SqlDataTypeSpec type = new SqlDataTypeSpec(new SqlRowTypeNameSpec(POS,
        List.of(new SqlIdentifier("x", POS), new SqlIdentifier("n", POS)),
        List.of(intSpec(), intSpec())), POS);
    return SqlStdOperatorTable.CAST.createCall(POS, row, type);
  }

  private static SqlDataTypeSpec intSpec() {
    return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, POS), POS);
  }

  private static void collect(SqlNode node, List<SqlCall> out) {
    node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (call instanceof SqlSelect) {
          return call;
        }
        if (isSrf(call)) {
          out.add((SqlCall) call);
          return call;
        }
        return super.visit(call);
      }
    });
  }

  static boolean isSrf(SqlNode node) {
    if (!(node instanceof SqlCall call) || !(call.getOperator() instanceof SqlUnresolvedFunction f)
        || f.getSqlIdentifier() == null) {
      return false;
    }
    List<String> names = f.getSqlIdentifier().names;
    String last = names.get(names.size() - 1).toLowerCase(Locale.ROOT);
    if (names.size() == 1 && last.equals("unnest")) {
      return call.operandCount() == 1;
    }
    if (names.size() == 1 && last.equals("generate_subscripts")) {
      return call.operandCount() == 2 && call.operand(1) instanceof SqlLiteral d && "1".equals(d.toValue());
    }
    return last.equals(FUNCTION) && call.operandCount() == 1
        && (names.size() == 1 || names.size() == 2 && names.get(0).equalsIgnoreCase("information_schema"));
  }

  /** The lower-case name of a call {@link #isSrf} accepted. */
  private static String name(SqlCall call) {
    List<String> names = ((SqlUnresolvedFunction) call.getOperator()).getSqlIdentifier().names;
    return names.get(names.size() - 1).toLowerCase(Locale.ROOT);
  }
}
