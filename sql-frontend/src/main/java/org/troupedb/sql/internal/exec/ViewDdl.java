package org.troupedb.sql.internal.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.pgcatalog.PgDefinitions;
import org.troupedb.sql.internal.plan.DmlTrees;
import org.troupedb.sql.internal.plan.PlanKind;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.plan.ViewExpansion;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlCreateView;
import org.troupedb.sql.parser.ast.SqlDropView;

/**
 * CREATE [OR REPLACE] VIEW and DROP VIEW, and the views that depend on a dropped relation
 * (2BP01 without CASCADE, dropped with it), with PostgreSQL 15's messages. A view stores its
 * query as written and the columns it produced at creation ({@link ViewDesc}); queries expand it
 * ({@link ViewExpansion}).
 */
final class ViewDdl {
  private ViewDdl() {}

  /** Executes CREATE VIEW, DROP VIEW or CREATE TABLE AS; returns the command tag. */
  static String execute(StatementContext cx, org.apache.calcite.sql.SqlNode node, String sql)
      throws SqlException {
    if (node instanceof SqlCreateView cv) {
      return createView(cx, cv, sql);
    } else if (node instanceof SqlDropView dv) {
      return dropView(cx, dv);
    }
    return CreateTableAs.execute(cx, (org.troupedb.sql.parser.ast.SqlCreateTableAs) node, sql);
  }

  static String createView(StatementContext cx, SqlCreateView cv, String sql) throws SqlException {
    if (cv.unsupported() != null) {
      throw SqlException.unsupported(cv.unsupported());
    }
    long db = cx.databaseId();
    String name = Ddl.objectName(cx, cv.name());
    ViewDesc old = cx.catalog().view(db, "public", name);
    if (cx.catalog().table(db, "public", name) != null || cx.catalog().sequence(db, "public", name) != null) {
      if (cv.orReplace()) {
        throw new SqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a view");
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    if (old != null && !cv.orReplace()) {
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    QueryPlanner.Plan plan =
        plan(cx, PlanKind.VIEW_QUERY, sql, () -> ((SqlCreateView) QueryPlanner.parse(sql)).query());
    if (!plan.paramTypes().isEmpty()) {
      throw new SqlException(SqlState.UNDEFINED_PARAMETER, "there is no parameter $1");
    }
    List<ViewDesc.Column> columns = columns(plan, cv.columnNames(),
        "CREATE VIEW specifies more column names than columns");
    if (old != null) {
      checkReplacement(old, columns);
    }
    org.apache.calcite.sql.SqlNode query = ((SqlCreateView) QueryPlanner.parse(sql)).query();
    List<Long> deps = ViewExpansion.references(query, cx.catalog(), db);
    boolean fixedStar = cv.columnNames().isEmpty() && ViewExpansion.starSelect(query) != null;
    long id = old != null ? old.id() : cx.catalogs().nextId(cx.txn(), cx.cancel());
    ViewDesc v = new ViewDesc(id, db, "public", name, queryText(cv, sql), columns, deps, fixedStar);
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(id), List.of(v.serialize()), cx.cancel());
    return "CREATE VIEW";
  }

  /** The plan of a DDL statement's query; errors positioned in the statement's text. */
  static QueryPlanner.Plan plan(StatementContext cx, PlanKind kind, String sql, QueryPlanner.NodeBuilder query)
      throws SqlException {
    try {
      return cx.planner().planCached(cx.catalog(), cx.databaseId(), kind, sql, query);
    } catch (SqlException e) {
      throw Errors.locate(e, sql);
    }
  }

  /**
   * The columns of a planned query, renamed by {@code names} (fewer names than columns rename the
   * first ones, as PostgreSQL allows); 42601 for too many names, 42701 for a repeated one.
   */
  static List<ViewDesc.Column> columns(QueryPlanner.Plan plan, List<String> names, String tooMany)
      throws SqlException {
    List<RelDataTypeField> fields = plan.rowType().getFieldList();
    if (names.size() > fields.size()) {
      throw new SqlException(SqlState.SYNTAX_ERROR, tooMany);
    }
    List<ViewDesc.Column> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String n = i < names.size() ? names.get(i) : plan.columns().get(i).name();
      for (ViewDesc.Column c : out) {
        if (c.name().equals(n)) {
          throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + n + "\" specified more than once");
        }
      }
      out.add(new ViewDesc.Column(n, ColumnType.fromRelType(fields.get(i).getType())));
    }
    return out;
  }

  /** PostgreSQL's rules for OR REPLACE: the old columns stay, in order, with their types; more may follow. */
  private static void checkReplacement(ViewDesc old, List<ViewDesc.Column> columns) throws SqlException {
    if (columns.size() < old.columns().size()) {
      throw new SqlException(SqlState.INVALID_TABLE_DEFINITION, "cannot drop columns from view");
    }
    for (int i = 0; i < old.columns().size(); i++) {
      ViewDesc.Column o = old.columns().get(i);
      ViewDesc.Column n = columns.get(i);
      if (!o.name().equals(n.name())) {
        throw new SqlException(SqlState.INVALID_TABLE_DEFINITION, "cannot change name of view column \""
            + o.name() + "\" to \"" + n.name() + "\"", null,
            "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.", null);
      }
      if (o.type().pg() != n.type().pg() || o.type().typmod() != n.type().typmod()) {
        throw new SqlException(SqlState.INVALID_TABLE_DEFINITION, "cannot change data type of view column \""
            + o.name() + "\" from " + typeName(o.type()) + " to " + typeName(n.type()));
      }
    }
  }

  private static String typeName(ColumnType t) {
    return PgDefinitions.formatType((long) t.pg().oid(), t.typmod());
  }

  /** The query's text as written in {@code sql}. */
  private static String queryText(SqlCreateView cv, String sql) {
    SqlParserPos at = cv.queryPos();
    if (at == null) {
      return cv.query().toString();
    }
    return sql.substring(Errors.position(sql, at.getLineNum(), at.getColumnNum()) - 1,
        Errors.position(sql, at.getEndLineNum(), at.getEndColumnNum()));
  }

  static String dropView(StatementContext cx, SqlDropView dv) throws SqlException {
    long db = cx.databaseId();
    List<ViewDesc> dropped = new ArrayList<>();
    for (SqlIdentifier id : dv.names()) {
      String n = Ddl.objectName(cx, id);
      ViewDesc v = cx.catalog().view(db, "public", n);
      if (v == null) {
        if (cx.catalog().table(db, "public", n) != null) {
          throw new SqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + n + "\" is not a view", null,
              "Use DROP TABLE to remove a table.", null);
        }
        if (dv.ifExists()) {
          continue; // NB: PostgreSQL also sends NOTICE: view "name" does not exist, skipping
        }
        throw new SqlException(SqlState.UNDEFINED_TABLE, "view \"" + n + "\" does not exist");
      }
      dropped.add(v);
    }
    List<Long> ids = new ArrayList<>();
    List<Long> relationIds = new ArrayList<>();
    Map<Long, String> names = new LinkedHashMap<>();
    for (ViewDesc v : dropped) {
      ids.add(v.id());
      relationIds.add(v.id());
      names.put(v.id(), "view " + v.name());
    }
    ids.addAll(dependentViews(cx.catalog(), relationIds, names, dv.cascade()));
    ids.addAll(CommentDdl.commentsOn(cx.catalog(), List.copyOf(ids)));
    List<Long> distinct = List.copyOf(new java.util.LinkedHashSet<>(ids));
    if (!distinct.isEmpty()) {
      cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), distinct, Arrays.asList(new byte[distinct.size()][]),
          cx.cancel());
    }
    return "DROP VIEW";
  }

  /**
   * The ids of the views that read one of {@code dropping} (directly or through other views) and
   * are not themselves being dropped. Without CASCADE, 2BP01 as PostgreSQL reports it: "cannot drop
   * view v because other objects depend on it", the dependency chain as DETAIL. {@code kinds} names
   * each dropped relation ("table t", "view v").
   */
  static List<Long> dependentViews(Catalog cat, List<Long> dropping, Map<Long, String> kinds, boolean cascade)
      throws SqlException {
    List<Long> out = new ArrayList<>();
    for (long root : dropping) {
      List<String> lines = new ArrayList<>();
      Deque<Long> todo = new ArrayDeque<>(List.of(root));
      Map<Long, String> what = new java.util.HashMap<>(kinds);
      while (!todo.isEmpty()) {
        long r = todo.poll();
        for (ViewDesc v : cat.viewsReading(r)) {
          if (dropping.contains(v.id())) {
            continue;
          }
          lines.add("view " + v.name() + " depends on " + what.get(r));
          what.put(v.id(), "view " + v.name());
          if (!out.contains(v.id())) {
            out.add(v.id());
            todo.add(v.id());
          }
        }
      }
      if (!lines.isEmpty() && !cascade) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop " + kinds.get(root)
            + " because other objects depend on it", String.join("\n", lines),
            "Use DROP ... CASCADE to drop the dependent objects too.", null);
      }
    }
    return out;
  }

  /** The views to drop with tables {@code dropped} (DROP TABLE … CASCADE), or 2BP01. */
  static List<Long> dependentViewsOfTables(Catalog cat, List<TableDesc> dropped, boolean cascade)
      throws SqlException {
    if (cat.views().isEmpty()) {
      return List.of();
    }
    List<Long> ids = new ArrayList<>();
    Map<Long, String> kinds = new LinkedHashMap<>();
    for (TableDesc t : dropped) {
      ids.add(t.id());
      kinds.put(t.id(), "table " + t.name());
    }
    return dependentViews(cat, ids, kinds, cascade);
  }
}
