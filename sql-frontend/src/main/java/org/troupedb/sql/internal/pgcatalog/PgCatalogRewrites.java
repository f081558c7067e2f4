package org.troupedb.sql.internal.pgcatalog;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlVisitor;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Rewrites of parsed queries that give PostgreSQL's catalog spellings their meaning before
 * validation (tree to tree; the SQL text is never touched):
 *
 * <ul>
 *   <li>{@code pg_catalog.f(...)} calls {@code f}: every function lives in pg_catalog, which is
 *       implicitly first on the search path;
 *   <li>{@code pg_get_indexdef(oid[, col, pretty])} and {@code pg_get_constraintdef(oid[, pretty])}
 *       become scalar lookups in {@code pg_catalog."$indexdef"} / {@code "$constraintdef"};
 *   <li>{@code 'name'::regclass} becomes the OID lookup in pg_class (a digit string stays an OID);
 *   <li>{@code current_schemas(b)} is the array of the search path;
 *   <li>{@code information_schema._pg_expandarray(a)} in a select list becomes a lateral join
 *       ({@link PgSelectListSrf});
 *   <li>{@code has_table_privilege}, {@code has_database_privilege} and {@code has_schema_privilege}
 *       look the grants up in {@code pg_catalog."$privileges"};
 *   <li>a SELECT that inner-joins a relation TroupeDB always keeps empty (policies, extended
 *       statistics, publications, inheritance, role membership) and aggregates nothing is
 *       answered by an empty row set of the same width: its result cannot have rows, so the
 *       expressions over those relations (arrays, {@code = ANY}, functions of features TroupeDB
 *       lacks) need not be planned. This is how psql's {@code \d table} footers are answered.
 * </ul>
 */
public final class PgCatalogRewrites {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /** Relations that are empty in every TroupeDB catalog. */
  static final Set<String> ALWAYS_EMPTY = Set.of("pg_policy", "pg_statistic_ext", "pg_publication",
      "pg_publication_rel", "pg_publication_namespace", "pg_inherits", "pg_auth_members", "pg_trigger",
      "pg_rewrite");

  private static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "avg", "string_agg",
      "array_agg", "bool_and", "bool_or", "every", "stddev", "variance", "json_agg", "jsonb_agg");

  private PgCatalogRewrites() {}

  /** {@code pg_catalog.f(...)} as {@code f(...)}; any other call unchanged. */
  public static SqlCall unqualify(SqlCall call) {
    if (call.getOperator() instanceof SqlUnresolvedFunction f && f.getSqlIdentifier() != null
        && f.getSqlIdentifier().names.size() == 2
        && f.getSqlIdentifier().names.get(0).equalsIgnoreCase("pg_catalog")) {
      SqlIdentifier simple = new SqlIdentifier(f.getName().toLowerCase(Locale.ROOT),
          f.getSqlIdentifier().getParserPosition());
      SqlFunction op = new SqlUnresolvedFunction(simple, null, null, null, null,
          f.getFunctionType() == null ? SqlFunctionCategory.USER_DEFINED_FUNCTION : f.getFunctionType());
      return op.createCall(call.getFunctionQuantifier(), call.getParserPosition(),
          call.getOperandList().toArray(new SqlNode[0]));
    }
    return call;
  }

  /**
   * The replacement of {@code call} (its operands already rewritten by {@code shuttle}), or null
   * when it is not one of ours.
   */
  public static SqlNode rewrite(SqlCall call, SqlVisitor<SqlNode> shuttle) {
    if (call instanceof SqlSelect select) {
      SqlSelect lateral = PgSelectListSrf.rewrite(select);
      if (lateral != null) {
        return lateral.accept(shuttle);
      }
    }
    if (call instanceof SqlSelect select && provablyEmpty(select)) {
      return emptySelect(select.getSelectList().size());
    }
    if (call instanceof SqlOrderBy orderBy && orderBy.query instanceof SqlSelect select && provablyEmpty(select)) {
      return emptySelect(select.getSelectList().size());
    }
    if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
        && call.operand(1) instanceof SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg
        && call.operand(0) instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.CHAR) {
      String name = lit.getValueAs(String.class);
      if (name.chars().allMatch(Character::isDigit)) {
        return null;
      }
      if (pg.typeName().equals("regclass")) {
        return lookup("pg_class", "oid", eq("relname", SqlLiteral.createCharString(relationName(name), POS)));
      }
      if (pg.typeName().equals("regproc")) {
        // pg_proc-style columns (pg_type.typinput) hold function names, a regproc's text form
        return SqlLiteral.createCharString(relationName(name), POS);
      }
      return null;
    }
    SqlNode tool = PgToolCatalog.rewrite(call, shuttle);
    if (tool != null) {
      return tool;
    }
    if (!(call.getOperator() instanceof SqlUnresolvedFunction f)) {
      return null;
    }
    List<SqlNode> args = call.getOperandList();
    switch (f.getName().toLowerCase(Locale.ROOT)) {
      case "pg_get_indexdef" -> {
        if (args.isEmpty() || args.size() > 3) {
          return null;
        }
        SqlNode col = args.size() >= 2 ? args.get(1).accept(shuttle) : SqlLiteral.createExactNumeric("0", POS);
        return lookup("$indexdef", "$def", SqlStdOperatorTable.AND.createCall(POS,
            eq("$indexrelid", args.get(0).accept(shuttle)), eq("$colno", col)));
      }
      case "pg_get_constraintdef" -> {
        if (args.isEmpty() || args.size() > 2) {
          return null;
        }
        return lookup("$constraintdef", "$def", eq("$oid", args.get(0).accept(shuttle)));
      }
      case "obj_description" -> {
        if (args.isEmpty() || args.size() > 2) {
          return null;
        }
        return lookup("pg_description", "description", SqlStdOperatorTable.AND.createCall(POS,
            eq("objoid", args.get(0).accept(shuttle)), eq("objsubid", SqlLiteral.createExactNumeric("0", POS))));
      }
      case "col_description" -> {
        if (args.size() != 2) {
          return null;
        }
        return lookup("pg_description", "description", SqlStdOperatorTable.AND.createCall(POS,
            eq("objoid", args.get(0).accept(shuttle)), eq("objsubid", args.get(1).accept(shuttle))));
      }
      case "pg_get_viewdef" -> {
        if (args.isEmpty() || args.size() > 2) {
          return null;
        }
        return lookup("$viewdef", "$def", eq("$oid", args.get(0).accept(shuttle)));
      }
      case "has_table_privilege" -> {
        return privilegeCheck("TABLE", args, shuttle);
      }
      case "has_database_privilege" -> {
        return privilegeCheck("DATABASE", args, shuttle);
      }
      case "has_schema_privilege" -> {
        return privilegeCheck("SCHEMA", args, shuttle);
      }
      case "array_upper" -> {
        // NB: TroupeDB's arrays are one-dimensional from 1, so the upper bound of dimension 1 is
        // the cardinality (PostgreSQL says NULL for an empty array; a series up to 0 is empty too)
        if (args.size() != 2 || !(args.get(1) instanceof SqlLiteral d) || !"1".equals(d.toValue())) {
          return null;
        }
        return SqlStdOperatorTable.CARDINALITY.createCall(POS, args.get(0).accept(shuttle));
      }
      case "current_schemas" -> {
        if (args.size() != 1 || !(args.get(0) instanceof SqlLiteral b) || b.getTypeName() != SqlTypeName.BOOLEAN) {
          return null;
        }
        return Boolean.TRUE.equals(b.getValueAs(Boolean.class))
            ? SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR.createCall(POS,
                SqlLiteral.createCharString("pg_catalog", POS), SqlLiteral.createCharString("public", POS))
            : SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR.createCall(POS, SqlLiteral.createCharString("public", POS));
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * {@code has_*_privilege([user,] object, privilege)} as {@code (SELECT COUNT(*) > 0 FROM
   * pg_catalog."$privileges" WHERE kind, user (default current_user), object name or OID and
   * privilege match)}; null for another arity (then the function answers).
   */
  private static SqlNode privilegeCheck(String kind, List<SqlNode> args, SqlVisitor<SqlNode> shuttle) {
    if (args.size() != 2 && args.size() != 3) {
      return null;
    }
    SqlNode user = args.size() == 3 ? args.get(0).accept(shuttle) : SqlStdOperatorTable.CURRENT_USER.createCall(POS);
    SqlNode object = text(args.get(args.size() - 2).accept(shuttle));
    SqlNode privilege = SqlStdOperatorTable.UPPER.createCall(POS, text(args.get(args.size() - 1).accept(shuttle)));
    SqlNode where = SqlStdOperatorTable.AND.createCall(POS,
        SqlStdOperatorTable.AND.createCall(POS, eq("$kind", SqlLiteral.createCharString(kind, POS)),
            eq("$user", text(user))),
        SqlStdOperatorTable.AND.createCall(POS,
            SqlStdOperatorTable.OR.createCall(POS, eq("$name", object), eq("$oid", object)),
            eq("$privilege", privilege)));
    SqlNode from = SqlStdOperatorTable.AS.createCall(POS, new SqlIdentifier(List.of("pg_catalog", "$privileges"), POS),
        new SqlIdentifier(ALIAS, POS));
    SqlNode holds = SqlStdOperatorTable.GREATER_THAN.createCall(POS,
        SqlStdOperatorTable.COUNT.createCall(POS, SqlIdentifier.star(POS)), SqlLiteral.createExactNumeric("0", POS));
    return new SqlSelect(POS, null, SqlNodeList.of(holds), from, where, null, null, null, null, null, null, null, null);
  }

  private static SqlNode text(SqlNode value) {
    return SqlStdOperatorTable.CAST.createCall(POS, value,
        new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, POS), POS));
  }

  /** The relation name of a regclass input ({@code public."Foo"} is {@code Foo}). */
  static String relationName(String text) {
    String last = text;
    int dot = text.lastIndexOf('.');
    if (dot >= 0 && !text.endsWith("\"")) {
      last = text.substring(dot + 1);
    } else if (text.endsWith("\"") && text.lastIndexOf(".\"") >= 0) {
      last = text.substring(text.lastIndexOf(".\"") + 1);
    }
    if (last.length() >= 2 && last.startsWith("\"") && last.endsWith("\"")) {
      return last.substring(1, last.length() - 1).replace("\"\"", "\"");
    }
    return last.toLowerCase(Locale.ROOT);
  }

  private static final String ALIAS = "$pgcat";

  private static SqlNode eq(String column, SqlNode value) {
    return SqlStdOperatorTable.EQUALS.createCall(POS, new SqlIdentifier(List.of(ALIAS, column), POS), value);
  }

  /** {@code (SELECT column FROM pg_catalog.table AS "$pgcat" WHERE where)}. */
  private static SqlNode lookup(String table, String column, SqlNode where) {
    SqlNode from = SqlStdOperatorTable.AS.createCall(POS, new SqlIdentifier(List.of("pg_catalog", table), POS),
        new SqlIdentifier(ALIAS, POS));
    return new SqlSelect(POS, null, SqlNodeList.of(new SqlIdentifier(List.of(ALIAS, column), POS)), from, where,
        null, null, null, null, null, null, null, null);
  }

  /** {@code SELECT CAST(NULL AS VARCHAR) AS c1, ... FROM (VALUES (0)) WHERE FALSE}. */
  private static SqlSelect emptySelect(int width) {
    SqlNodeList items = new SqlNodeList(POS);
    for (int i = 0; i < width; i++) {
      SqlNode nul = SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createNull(POS),
          new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, POS), POS));
      items.add(SqlStdOperatorTable.AS.createCall(POS, nul, new SqlIdentifier("c" + (i + 1), POS)));
    }
    SqlNode values = SqlStdOperatorTable.VALUES.createCall(POS,
        SqlStdOperatorTable.ROW.createCall(POS, SqlLiteral.createExactNumeric("0", POS)));
    return new SqlSelect(POS, null, items, values, SqlLiteral.createBoolean(false, POS), null, null, null, null,
        null, null, null, null);
  }

  /** Whether a SELECT can have no row: an always-empty relation is inner-joined and nothing aggregates. */
  static boolean provablyEmpty(SqlSelect select) {
    if (select.getFrom() == null || select.getGroup() != null || select.getHaving() != null
        || !emptyFrom(select.getFrom())) {
      return false;
    }
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier id && id.isStar() || aggregates(item)) {
        return false;
      }
    }
    return true;
  }

  private static boolean emptyFrom(SqlNode from) {
    if (from instanceof SqlIdentifier id) {
      int n = id.names.size();
      return (n == 1 || n == 2 && id.names.get(0).equalsIgnoreCase("pg_catalog"))
          && ALWAYS_EMPTY.contains(id.names.get(n - 1).toLowerCase(Locale.ROOT));
    }
    if (from instanceof SqlBasicCall as && as.getKind() == SqlKind.AS) {
      return emptyFrom(as.operand(0));
    }
    if (from instanceof SqlJoin join) {
      JoinType type = join.getJoinType();
      return switch (type) {
        case INNER, COMMA, CROSS -> emptyFrom(join.getLeft()) || emptyFrom(join.getRight());
        case LEFT -> emptyFrom(join.getLeft());
        case RIGHT -> emptyFrom(join.getRight());
        default -> emptyFrom(join.getLeft()) && emptyFrom(join.getRight());
      };
    }
    return false;
  }

  /** Whether an expression calls an aggregate (not looking into subqueries). */
  private static boolean aggregates(SqlNode node) {
    boolean[] found = {false};
    node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (call instanceof SqlSelect || call instanceof SqlOrderBy) {
          return call;
        }
        if (call.getOperator() instanceof SqlFunction fn
            && AGGREGATES.contains(fn.getName().toLowerCase(Locale.ROOT))) {
          found[0] = true;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }
}
