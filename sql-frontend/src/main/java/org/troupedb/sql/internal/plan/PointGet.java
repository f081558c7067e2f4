package org.troupedb.sql.internal.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * The fast path for primary-key point queries: {@code SELECT cols FROM t WHERE k1 = v1 AND …}
 * binding every primary-key column to a literal or parameter, nothing else. It skips Calcite's
 * planner and executor: one KV get and a projection.
 *
 * @param keyValues per primary-key column: the literal value (internal representation) or null
 * @param keyParams per primary-key column: the parameter index, or -1 for a literal
 * @param output the table columns returned, in order
 * @param names their labels
 */
public record PointGet(TableDesc table, Object[] keyValues, int[] keyParams, int[] output, List<String> names) {

  /**
   * Whether the point get keeps the types the client declared for its key parameters: each is
   * undeclared or declared as its key column's type. NB: otherwise the general planner types the
   * comparison as PostgreSQL does ({@code id = $1} with {@code $1 numeric} compares numerics, so
   * 1.5 matches no int key), where the point get would coerce 1.5 to the key column (2).
   */
  public boolean keepsDeclaredTypes(List<org.troupedb.sql.PgType> declared) {
    List<org.troupedb.sql.PgType> shaping = DeclaredTypes.shaping(declared);
    int[] pk = table.primary().columns();
    for (int i = 0; i < keyParams.length; i++) {
      int p = keyParams[i];
      if (p >= 0 && p < shaping.size() && shaping.get(p) != null
          && !org.troupedb.sql.internal.types.ColumnType.of(shaping.get(p)).equals(table.columns().get(pk[i]).type())) {
        return false;
      }
    }
    return true;
  }

  /** The point get a query is, or null when it is anything more. */
  public static PointGet match(Catalog cat, long db, SqlNode node) {
    if (!(node instanceof SqlSelect sel) || sel.getWhere() == null || sel.getGroup() != null
        || sel.getHaving() != null || sel.getOrderList() != null || sel.getOffset() != null
        || sel.getFetch() != null || sel.isDistinct() || (sel.getWindowList() != null && !sel.getWindowList().isEmpty())) {
      return null;
    }
    SqlNode from = sel.getFrom();
    String alias = null;
    if (from != null && from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() == 2) {
      alias = ((SqlIdentifier) ((SqlCall) from).operand(1)).getSimple();
      from = ((SqlCall) from).operand(0);
    }
    if (!(from instanceof SqlIdentifier tid) || !tid.isSimple()) {
      return null;
    }
    TableDesc t = cat.table(db, "public", tid.getSimple());
    if (t == null) {
      return null;
    }
    String qualifier = alias != null ? alias : t.name();
    Map<Integer, SqlNode> bound = new HashMap<>();
    if (!conjuncts(sel.getWhere(), t, qualifier, bound)) {
      return null;
    }
    int[] pk = t.primary().columns();
    if (bound.size() != pk.length) {
      return null;
    }
    Object[] values = new Object[pk.length];
    int[] params = new int[pk.length];
    for (int i = 0; i < pk.length; i++) {
      SqlNode v = bound.get(pk[i]);
      if (v == null) {
        return null;
      }
      if (v instanceof SqlDynamicParam p) {
        params[i] = p.getIndex();
      } else {
        params[i] = -1;
        SqlLiteral lit = (SqlLiteral) v;
        Object raw = lit.getTypeName() == SqlTypeName.DECIMAL ? lit.getValueAs(BigDecimal.class)
            : lit.getTypeName() == SqlTypeName.CHAR ? lit.getValueAs(String.class) : null;
        try {
          values[i] = raw == null ? null : t.columns().get(pk[i]).type().coerce(raw);
        } catch (SqlException e) {
          return null;
        }
        if (values[i] == null) {
          return null;
        }
      }
    }
    List<Integer> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SqlNode item : sel.getSelectList()) {
      String label = null;
      if (item.getKind() == SqlKind.AS) {
        label = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
        item = ((SqlCall) item).operand(0);
      }
      if (!(item instanceof SqlIdentifier id)) {
        return null;
      }
      if (id.isStar()) {
        if (label != null || id.names.size() > 2) {
          return null;
        }
        for (int i = 0; i < t.columns().size(); i++) {
          if (!t.columns().get(i).hidden()) {
            out.add(i);
            names.add(t.columns().get(i).name());
          }
        }
        continue;
      }
      int c = column(id, t, qualifier);
      if (c < 0) {
        return null;
      }
      out.add(c);
      names.add(label != null ? label : t.columns().get(c).name());
    }
    return new PointGet(t, values, params, out.stream().mapToInt(Integer::intValue).toArray(), names);
  }

  private static int column(SqlIdentifier id, TableDesc t, String qualifier) {
    if (id.names.size() > 2 || (id.names.size() == 2 && !id.names.get(0).equals(qualifier))) {
      return -1;
    }
    int c = t.columnIndex(id.names.get(id.names.size() - 1));
    return c >= 0 && !t.columns().get(c).hidden() ? c : -1;
  }

  private static boolean conjuncts(SqlNode n, TableDesc t, String qualifier, Map<Integer, SqlNode> bound) {
    if (n.getKind() == SqlKind.AND) {
      for (SqlNode o : ((SqlBasicCall) n).getOperandList()) {
        if (!conjuncts(o, t, qualifier, bound)) {
          return false;
        }
      }
      return true;
    }
    if (n.getKind() != SqlKind.EQUALS) {
      return false;
    }
    SqlNode a = ((SqlCall) n).operand(0);
    SqlNode b = ((SqlCall) n).operand(1);
    if (!(a instanceof SqlIdentifier)) {
      SqlNode x = a;
      a = b;
      b = x;
    }
    if (!(a instanceof SqlIdentifier id)) {
      return false;
    }
    boolean value = b instanceof SqlDynamicParam
        || (b instanceof SqlLiteral l && (l.getTypeName() == SqlTypeName.DECIMAL || l.getTypeName() == SqlTypeName.CHAR));
    int c = column(id, t, qualifier);
    if (!value || c < 0 || !t.isPrimaryKeyColumn(c) || bound.containsKey(c)) {
      return false;
    }
    bound.put(c, b);
    return true;
  }

  /** A stand-in plan describing parameters and rows (no bindable: the session runs it directly). */
  public QueryPlanner.Plan describe() {
    RelDataTypeFactory f = QueryPlanner.TYPE_FACTORY;
    int params = 0;
    for (int p : keyParams) {
      params = Math.max(params, p + 1);
    }
    List<RelDataType> pt = new ArrayList<>();
    for (int i = 0; i < params; i++) {
      pt.add(null);
    }
    int[] pk = table.primary().columns();
    for (int i = 0; i < pk.length; i++) {
      if (keyParams[i] >= 0) {
        pt.set(keyParams[i], table.columns().get(pk[i]).type().toRelType(f, true));
      }
    }
    RelDataTypeFactory.Builder b = f.builder();
    int[][] origins = new int[output.length][];
    for (int i = 0; i < output.length; i++) {
      TableDesc.Column c = table.columns().get(output[i]);
      b.add(names.get(i), c.type().toRelType(f, c.nullable()));
      origins[i] = RelFacts.origin(table, output[i]);
    }
    RelDataType rowType = b.build();
    return new QueryPlanner.Plan(null, rowType, pt, "PointGet(table=[" + table.name() + "], key=[" + table.primary().name() + "])",
        Map.of(), RelFacts.withOrigins(ColumnType.columnsOf(rowType), origins), false,
        java.util.Set.of(table.id()));
  }
}
