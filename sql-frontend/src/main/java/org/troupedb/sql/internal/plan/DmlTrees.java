package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgTypeSystem;
import org.troupedb.sql.parser.ast.SqlOnConflict;

/**
 * The query trees a write is planned as. UPDATE and DELETE become {@code SELECT <all columns>,
 * <new values> FROM t WHERE <condition>} ({@link #selectAll}); RETURNING and ON CONFLICT DO UPDATE
 * become selects over the written row passed as parameters ({@link #returningNode},
 * {@link #conflictNode}); the target column lists are resolved against the table. INSERT's VALUES
 * are typed in {@link InsertValues}.
 */
public final class DmlTrees {
  private DmlTrees() {}

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /**
   * The columns an INSERT writes. As in PostgreSQL, the rows of a VALUES must all be as long
   * (42601 otherwise), and without a column list a VALUES shorter than the table fills the first
   * columns and leaves the rest to their defaults.
   */
  public static int[] insertTargets(TableDesc t, SqlInsert ins) throws SqlException {
    int[] all = targets(t, ins.getTargetColumnList());
    if (ins.getSource().getKind() != SqlKind.VALUES) {
      return all;
    }
    int width = -1;
    for (SqlNode r : ((SqlCall) ins.getSource()).getOperandList()) {
      SqlCall row = (SqlCall) r;
      if (width >= 0 && row.operandCount() != width) {
        SqlNode at = row.operandCount() > 0 ? row.operand(0) : row;
        throw Errors.at(SqlState.SYNTAX_ERROR, "VALUES lists must all be the same length", at.getParserPosition());
      }
      width = row.operandCount();
    }
    SqlNodeList cols = ins.getTargetColumnList();
    if (cols != null && !cols.isEmpty()) {
      return all;
    }
    return width > 0 && width < all.length ? Arrays.copyOf(all, width) : all;
  }

  public static List<Integer> visibleColumns(TableDesc t) {
    List<Integer> v = new ArrayList<>();
    for (int i = 0; i < t.columns().size(); i++) {
      if (!t.columns().get(i).hidden()) {
        v.add(i);
      }
    }
    return v;
  }

  /** {@code (VALUES (CAST(? AS t1), …)) AS alias(c1, …)} over the visible columns. */
  public static SqlNode rowSource(TableDesc t, String alias, int firstParam) {
    int param = firstParam;
    List<SqlNode> vals = new ArrayList<>();
    List<SqlNode> asOps = new ArrayList<>();
    for (int i : visibleColumns(t)) {
      vals.add(SqlStdOperatorTable.CAST.createCall(POS, new SqlDynamicParam(param++, POS),
          typeSpec(t.columns().get(i).type())));
    }
    SqlNode values = SqlStdOperatorTable.VALUES.createCall(POS, SqlStdOperatorTable.ROW.createCall(POS, vals));
    asOps.add(values);
    asOps.add(new SqlIdentifier(alias, POS));
    for (int i : visibleColumns(t)) {
      asOps.add(new SqlIdentifier(t.columns().get(i).name(), POS));
    }
    return SqlStdOperatorTable.AS.createCall(POS, asOps);
  }

  /** SELECT <RETURNING items> FROM (VALUES <the written row as parameters>) AS t. */
  public static SqlNode returningNode(TableDesc t, SqlNodeList items) {
    return new SqlSelect(POS, null, items, rowSource(t, t.name(), 0), null, null, null, null, null,
        null, null, null, null);
  }

  /**
   * SELECT <new values of all visible columns>, <where or TRUE> FROM existing AS t, excluded:
   * from ON CONFLICT DO UPDATE, or for UPSERT ({@code oc} null) the proposed non-key values.
   */
  public static SqlNode conflictNode(TableDesc t, int[] targets, SqlOnConflict oc) throws SqlException {
    List<SqlNode> items = new ArrayList<>();
    SqlNode where = SqlLiteral.createBoolean(true, POS);
    Map<Integer, SqlNode> assigned = new HashMap<>();
    if (oc == null) {
      for (int c : targets) {
        if (!t.isPrimaryKeyColumn(c)) {
          assigned.put(c, new SqlIdentifier(List.of("excluded", t.columns().get(c).name()), POS));
        }
      }
    } else {
      for (int i = 0; i < oc.updateColumns().size(); i++) {
        SqlIdentifier id = (SqlIdentifier) oc.updateColumns().get(i);
        int c = t.columnIndex(id.names.get(id.names.size() - 1));
        if (c < 0 || t.columns().get(c).hidden()) {
          throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + id + "\" of relation \""
              + t.name() + "\" does not exist");
        }
        assigned.put(c, castIfNeeded(oc.updateValues().get(i), t.columns().get(c).type()));
      }
      if (oc.where() != null) {
        where = oc.where();
      }
    }
    for (int i : visibleColumns(t)) {
      SqlNode e = assigned.get(i);
      items.add(e != null ? e : new SqlIdentifier(List.of(t.name(), t.columns().get(i).name()), POS));
    }
    items.add(where);
    SqlNode from = new SqlJoin(POS, rowSource(t, t.name(), 0),
        SqlLiteral.createBoolean(false, POS), JoinType.COMMA.symbol(POS),
        rowSource(t, "excluded", visibleColumns(t).size()), JoinConditionType.NONE.symbol(POS), null);
    return new SqlSelect(POS, null, new SqlNodeList(items, POS), from, null, null, null, null, null,
        null, null, null, null);
  }

  /** A {@code SELECT nextval(…)}, {@code currval(…)} or {@code setval(…)} without FROM: that call, else null. */
  public static SqlCall sequenceCall(SqlNode node) {
    if (!(node instanceof SqlSelect sel) || sel.getFrom() != null || sel.getSelectList().size() != 1) {
      return null;
    }
    SqlNode item = sel.getSelectList().get(0);
    if (item.getKind() == SqlKind.AS) {
      item = ((SqlCall) item).operand(0);
    }
    if (item instanceof SqlCall call && call.getOperator() instanceof SqlUnresolvedFunction) {
      String name = call.getOperator().getName().toLowerCase();
      if (name.equals("nextval") || name.equals("currval") || name.equals("setval")) {
        return call;
      }
    }
    return null;
  }

  /** The columns a target list names (all visible ones when it is empty); 42703 and 42701 as PostgreSQL. */
  public static int[] targets(TableDesc t, SqlNodeList cols) throws SqlException {
    if (cols == null || cols.isEmpty()) {
      return IntStream.range(0, t.columns().size())
          .filter(i -> !t.columns().get(i).hidden()).toArray();
    }
    int[] out = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      SqlIdentifier id = (SqlIdentifier) cols.get(i);
      String n = id.names.get(id.names.size() - 1);
      int idx = t.columnIndex(n);
      if (idx < 0 || t.columns().get(idx).hidden()) {
        throw Errors.at(SqlState.UNDEFINED_COLUMN,
            "column \"" + n + "\" of relation \"" + t.name() + "\" does not exist", id.getParserPosition());
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == idx) {
          throw Errors.at(SqlState.DUPLICATE_COLUMN, "column \"" + n + "\" specified more than once",
              id.getParserPosition());
        }
      }
      out[i] = idx;
    }
    return out;
  }

  /** The Calcite type a column of type {@code ct} is cast to. */
  public static SqlDataTypeSpec typeSpec(ColumnType ct) {
    SqlTypeName n;
    int prec = -1;
    int scale = -1;
    switch (ct.pg()) {
      case BOOL -> n = SqlTypeName.BOOLEAN;
      case INT2 -> n = SqlTypeName.SMALLINT;
      case INT4 -> n = SqlTypeName.INTEGER;
      case INT8 -> n = SqlTypeName.BIGINT;
      case FLOAT4 -> n = SqlTypeName.REAL;
      case FLOAT8 -> n = SqlTypeName.DOUBLE;
      case NUMERIC -> {
        n = SqlTypeName.DECIMAL;
        prec = ct.precision() < 0 ? PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION : ct.precision();
        scale = ct.precision() < 0 ? PgTypeSystem.UNBOUNDED_NUMERIC_SCALE : Math.max(ct.scale(), 0);
      }
      case BYTEA -> n = SqlTypeName.VARBINARY;
      case DATE -> n = SqlTypeName.DATE;
      case TIMESTAMP -> n = SqlTypeName.TIMESTAMP;
      case TIMESTAMPTZ -> n = SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      case UUID -> n = SqlTypeName.UUID;
      case TIME -> {
        n = SqlTypeName.TIME;
        prec = 3; // milliseconds (see PgTime)
        scale = org.apache.calcite.rel.type.RelDataType.SCALE_NOT_SPECIFIED;
      }
      default -> n = SqlTypeName.VARCHAR;
    }
    return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(n, prec, scale, null, POS), POS);
  }

  /** Casts parameters and bare NULLs (whose type Calcite cannot infer) to the column type. */
  public static SqlNode castIfNeeded(SqlNode e, ColumnType ct) {
    if (e.getKind() == SqlKind.DYNAMIC_PARAM || (e instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL)) {
      return SqlStdOperatorTable.CAST.createCall(POS, e, typeSpec(ct));
    }
    return e;
  }

  /** A column DEFAULT or CHECK expression parsed on its own (42601 if it does not parse). */
  public static SqlNode parseExpression(String sql) throws SqlException {
    try {
      return SqlParser.create(sql, QueryPlanner.PARSER).parseExpression();
    } catch (SqlParseException e) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "bad DEFAULT expression: " + sql, e);
    }
  }

  /** {@code SELECT <every column of t, hidden ones too>, <extra> FROM t [alias] WHERE where}. */
  public static SqlNode selectAll(TableDesc t, SqlIdentifier alias, SqlNode where, List<SqlNode> extra) {
    String a = alias != null ? alias.getSimple() : t.name();
    List<SqlNode> list = new ArrayList<>();
    for (TableDesc.Column c : t.columns()) {
      list.add(new SqlIdentifier(List.of(a, c.name()), POS));
    }
    list.addAll(extra);
    SqlNode from = SqlStdOperatorTable.AS.createCall(POS,
        new SqlIdentifier(QueryPlanner.allColumnsName(t.name()), POS), new SqlIdentifier(a, POS));
    return new SqlSelect(POS, null, new SqlNodeList(list, POS), from, where, null, null, null, null,
        null, null, null, null);
  }

  /** The values of {@code row} at positions {@code vis}, in order. */
  public static Object[] valuesOf(Object[] row, List<Integer> vis) {
    Object[] v = new Object[vis.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row[vis.get(i)];
    }
    return v;
  }
}
