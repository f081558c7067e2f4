package org.troupedb.sql.internal.exec;

import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.plan.QueryPlanner;

/**
 * INSERT, UPDATE and DELETE on a view. A view PostgreSQL could not update automatically gets
 * PostgreSQL's 55000 with its DETAIL (why) and HINT; one it could (a single table, no grouping,
 * aggregates, DISTINCT, set operations, WITH, LIMIT) is 0A000 here: automatically updatable
 * views are not supported yet.
 */
final class ViewWrites {
  private ViewWrites() {}

  /** The statement kinds, with PostgreSQL's wording. */
  enum Write {
    INSERT("insert into", "inserting into", "INSERT"),
    UPDATE("update", "updating", "UPDATE"),
    DELETE("delete from", "deleting from", "DELETE");

    final String verb;
    final String gerund;
    final String event;

    Write(String verb, String gerund, String event) {
      this.verb = verb;
      this.gerund = gerund;
      this.event = event;
    }
  }

  private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "string_agg",
      "array_agg", "bool_and", "bool_or", "every", "stddev", "variance", "stddev_pop", "stddev_samp",
      "var_pop", "var_samp", "json_agg", "jsonb_agg");

  /** Fails if {@code target} names a view (and no table) of database {@code db}. */
  static void refuseView(Catalog cat, long db, SqlNode target, Write write) throws SqlException {
    if (!(target instanceof SqlIdentifier id) || cat.views().isEmpty()) {
      return;
    }
    String name = id.names.get(id.names.size() - 1);
    ViewDesc v = cat.table(db, "public", name) == null ? cat.view(db, "public", name) : null;
    if (v == null) {
      return;
    }
    String why = notUpdatable(QueryPlanner.parse(v.query()));
    if (why == null) {
      throw SqlException.unsupported(write.event + " on a view (automatically updatable views)");
    }
    String verb = write == Write.DELETE ? "deleting from" : write.gerund;
    throw new SqlException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        "cannot " + write.verb + " view \"" + v.name() + "\"", why,
        "To enable " + verb + " the view, provide an INSTEAD OF " + write.event
            + " trigger or an unconditional ON " + write.event + " DO INSTEAD rule.", null);
  }

  /**
   * PostgreSQL's reason (view_query_is_auto_updatable, in its order) why a view with query
   * {@code q} is not automatically updatable; null if it is.
   */
  static String notUpdatable(SqlNode q) {
    boolean limited = false;
    if (q instanceof SqlOrderBy ob) {
      limited = ob.offset != null || ob.fetch != null;
      q = ob.query;
    }
    if (q.getKind() == SqlKind.WITH) {
      return "Views containing WITH are not automatically updatable.";
    }
    if (q instanceof SqlSelect sel) {
      if (sel.isDistinct()) {
        return "Views containing DISTINCT are not automatically updatable.";
      }
      if (sel.getGroup() != null && !sel.getGroup().isEmpty()) {
        return "Views containing GROUP BY are not automatically updatable.";
      }
      if (sel.getHaving() != null) {
        return "Views containing HAVING are not automatically updatable.";
      }
    } else if (q.getKind() == SqlKind.UNION || q.getKind() == SqlKind.INTERSECT || q.getKind() == SqlKind.EXCEPT) {
      return "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
    }
    if (limited || q instanceof SqlSelect s && (s.getFetch() != null || s.getOffset() != null)) {
      return "Views containing LIMIT or OFFSET are not automatically updatable.";
    }
    if (!(q instanceof SqlSelect sel)) {
      return "Views that do not select from a single table or view are not automatically updatable.";
    }
    boolean[] found = new boolean[2]; // aggregate, window
    sel.getSelectList().accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind() == SqlKind.OVER) {
          found[1] = true;
          return null;
        }
        if (call.getOperator().isAggregator()
            || AGGREGATES.contains(call.getOperator().getName().toLowerCase(java.util.Locale.ROOT))) {
          found[0] = true;
        }
        return super.visit(call);
      }

      @Override
      public Void visit(SqlNodeList list) {
        return super.visit(list);
      }
    });
    if (found[0]) {
      return "Views that return aggregate functions are not automatically updatable.";
    }
    if (found[1]) {
      return "Views that return window functions are not automatically updatable.";
    }
    SqlNode from = sel.getFrom();
    if (from != null && from.getKind() == SqlKind.AS) {
      from = ((SqlCall) from).operand(0);
    }
    if (!(from instanceof SqlIdentifier)) {
      return "Views that do not select from a single table or view are not automatically updatable.";
    }
    return null;
  }
}
