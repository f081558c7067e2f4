package org.troupedb.sql.internal.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;

/**
 * Replaces each view named in a query's FROM clauses by its stored query, as PostgreSQL's
 * rewriter does: {@code FROM v AS x} becomes {@code FROM (<v's query>) AS x(<v's columns>)},
 * nested views expanded in turn. The stored text is parsed with the same grammar (never edited
 * as text). A name a WITH clause defines is the CTE, not the view. Also reports the relations a
 * query reads directly, which CREATE VIEW records as the view's dependencies.
 *
 * <p>NB: a view's query is planned as part of each query that reads it, with the privileges of
 * the user running that query (PostgreSQL checks the view owner's on the underlying tables).
 */
public final class ViewExpansion {
  /** PostgreSQL reports a view that reads itself (through OR REPLACE) as infinite recursion. */
  private static final int MAX_DEPTH = 32;

  private final Catalog catalog;
  private final long databaseId;
  private final String databaseName;
  private final int depth;
  /** Relations (tables and views) the walked query names directly, in order of appearance. */
  private final Set<Long> referenced = new LinkedHashSet<>();
  private final Deque<Set<String>> ctes = new ArrayDeque<>();
  private boolean expanded;

  private ViewExpansion(Catalog catalog, long databaseId, int depth) {
    this.catalog = catalog;
    this.databaseId = databaseId;
    Catalog.Database db = catalog.databases().get(databaseId);
    this.databaseName = db == null ? "" : db.name();
    this.depth = depth;
  }

  /** A query with its views expanded, and whether it named any view. */
  public record Expanded(SqlNode node, boolean readsViews) {}

  /** Expands the views {@code node} reads (in place where possible). */
  public static Expanded expand(SqlNode node, Catalog catalog, long databaseId) throws SqlException {
    if (catalog.views().isEmpty()) {
      return new Expanded(node, false);
    }
    ViewExpansion e = new ViewExpansion(catalog, databaseId, 0);
    SqlNode out = e.walk(node);
    return new Expanded(out, e.expanded);
  }

  /** The ids of the tables and views {@code query} names directly (views not expanded). */
  public static List<Long> references(SqlNode query, Catalog catalog, long databaseId) throws SqlException {
    ViewExpansion e = new ViewExpansion(catalog, databaseId, MAX_DEPTH + 1);
    e.walk(query);
    return List.copyOf(e.referenced);
  }

  /** True when this walk only collects references (it never expands). */
  private boolean collecting() {
    return depth > MAX_DEPTH;
  }

  private SqlNode walk(SqlNode n) throws SqlException {
    if (n instanceof SqlSelect sel) {
      sel.setFrom(fromItem(sel.getFrom()));
      for (SqlNode o : List.of(nonNull(sel.getSelectList()), nonNull(sel.getWhere()), nonNull(sel.getGroup()),
          nonNull(sel.getHaving()), nonNull(sel.getOrderList()))) {
        walk(o);
      }
      return sel;
    }
    if (n instanceof SqlWith w) {
      Set<String> names = new HashSet<>();
      for (SqlNode item : w.withList) {
        names.add(((SqlWithItem) item).name.getSimple());
      }
      ctes.push(names);
      try {
        for (SqlNode item : w.withList) {
          SqlWithItem wi = (SqlWithItem) item;
          wi.query = walk(wi.query);
        }
        w.body = walk(w.body);
      } finally {
        ctes.pop();
      }
      return w;
    }
    if (n instanceof SqlNodeList list) {
      for (int i = 0; i < list.size(); i++) {
        list.set(i, walk(list.get(i)));
      }
      return list;
    }
    if (n instanceof SqlCall call) {
      List<SqlNode> ops = call.getOperandList();
      for (int i = 0; i < ops.size(); i++) {
        SqlNode o = ops.get(i);
        if (o != null) {
          SqlNode r = walk(o);
          if (r != o) {
            call.setOperand(i, r);
          }
        }
      }
      return call;
    }
    return n;
  }

  private static SqlNode nonNull(SqlNode n) {
    return n == null ? SqlNodeList.EMPTY : n;
  }

  /** A FROM item with its views expanded. */
  private SqlNode fromItem(SqlNode f) throws SqlException {
    if (f == null) {
      return null;
    }
    if (f instanceof SqlIdentifier id) {
      SqlNode r = relation(id, null, List.of());
      return r == null ? f : r;
    }
    if (f instanceof SqlJoin j) {
      j.setLeft(fromItem(j.getLeft()));
      j.setRight(fromItem(j.getRight()));
      if (j.getCondition() != null) {
        walk(j.getCondition());
      }
      return j;
    }
    if (f.getKind() == SqlKind.AS && f instanceof SqlBasicCall as && as.operand(0) instanceof SqlIdentifier id) {
      List<SqlNode> columns = as.getOperandList().subList(2, as.operandCount());
      SqlNode r = relation(id, (SqlIdentifier) as.operand(1), columns);
      return r == null ? f : r;
    }
    return walk(f);
  }

  /**
   * The expansion of relation name {@code id} (aliased as {@code alias} with {@code columns}
   * when given) if it names a view; null otherwise (recording the table it names).
   */
  private SqlNode relation(SqlIdentifier id, SqlIdentifier alias, List<SqlNode> columns) throws SqlException {
    String name = relationName(id);
    if (name == null) {
      return null;
    }
    TableDesc t = catalog.table(databaseId, "public", name);
    if (t != null) {
      referenced.add(t.id());
      return null;
    }
    ViewDesc v = catalog.view(databaseId, "public", name);
    if (v == null) {
      return null;
    }
    referenced.add(v.id());
    if (collecting()) {
      return null;
    }
    if (depth >= MAX_DEPTH) {
      throw new SqlException(SqlState.INVALID_RECURSION,
          "infinite recursion detected in rules for relation \"" + v.name() + "\"");
    }
    expanded = true;
    SqlNode parsed = QueryPlanner.parse(v.query());
    SqlSelect star = v.fixedStar() ? starSelect(parsed) : null;
    if (star != null) {
      List<SqlNode> items = new ArrayList<>();
      for (ViewDesc.Column c : v.columns()) {
        items.add(new SqlIdentifier(c.name(), star.getSelectList().getParserPosition()));
      }
      star.setSelectList(new SqlNodeList(items, star.getSelectList().getParserPosition()));
    }
    SqlNode query = new ViewExpansion(catalog, databaseId, depth + 1).walk(parsed);
    SqlParserPos pos = id.getParserPosition();
    List<SqlNode> operands = new ArrayList<>();
    operands.add(query);
    operands.add(alias != null ? alias : new SqlIdentifier(v.name(), pos));
    for (int i = 0; i < v.columns().size(); i++) {
      operands.add(i < columns.size() ? columns.get(i) : new SqlIdentifier(v.columns().get(i).name(), pos));
    }
    return SqlStdOperatorTable.AS.createCall(pos, operands);
  }

  /**
   * The SELECT of a query {@code SELECT * FROM …} (a lone unqualified star, maybe under ORDER BY /
   * LIMIT), or null: CREATE VIEW records such a view so that expanding it names the columns the
   * star stood for at creation, not the ones added to its tables since.
   */
  public static SqlSelect starSelect(SqlNode query) {
    SqlNode q = query instanceof org.apache.calcite.sql.SqlOrderBy ob ? ob.query : query;
    if (q instanceof SqlSelect sel && sel.getSelectList() != null && sel.getSelectList().size() == 1
        && sel.getSelectList().get(0) instanceof SqlIdentifier id && id.isStar() && id.names.size() == 1) {
      return sel;
    }
    return null;
  }

  /** The relation name {@code id} gives in the public schema, or null (a CTE, another schema). */
  private String relationName(SqlIdentifier id) {
    List<String> names = id.names;
    int n = names.size();
    if (n == 1) {
      for (Set<String> scope : ctes) {
        if (scope.contains(names.get(0))) {
          return null;
        }
      }
      return names.get(0);
    }
    if (!names.get(n - 2).equals("public") || n > 3 || n == 3 && !names.get(0).equals(databaseName)) {
      return null;
    }
    return names.get(n - 1);
  }
}
