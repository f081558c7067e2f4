package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.plan.QueryPlanner;

/**
 * Which views use a column of a table they read. Views are stored as written, so this reads the
 * parsed query: a view uses column {@code c} of {@code t} if it reads {@code t} and names an
 * identifier ending in {@code c}, or selects {@code *} over columns that include {@code c}.
 * NB: conservative — a view reading two tables with a same-named column counts as using both.
 */
final class ColumnDependents {
  private ColumnDependents() {}

  /** PostgreSQL's DETAIL lines ({@code view v depends on column a of table t}), one per view. */
  static List<String> viewsUsing(Catalog cat, TableDesc t, String column) throws SqlException {
    List<String> out = new ArrayList<>();
    for (ViewDesc v : cat.viewsReading(t.id())) {
      if (uses(v, column)) {
        out.add("view " + v.name() + " depends on column " + column + " of table " + t.name());
      }
    }
    return out;
  }

  /** The first view reading {@code t} that uses {@code column}, or null. */
  static ViewDesc firstViewUsing(Catalog cat, TableDesc t, String column) throws SqlException {
    for (ViewDesc v : cat.viewsReading(t.id())) {
      if (uses(v, column)) {
        return v;
      }
    }
    return null;
  }

  private static boolean uses(ViewDesc v, String column) throws SqlException {
    SqlNode q = QueryPlanner.parse(v.query());
    Boolean found = q.accept(new SqlBasicVisitor<Boolean>() {
      @Override
      public Boolean visit(SqlIdentifier id) {
        if (id.isStar()) {
          // a lone SELECT * stands for the view's columns at creation; NB: any other star counts
          return !v.fixedStar() || v.columns().stream().anyMatch(c -> c.name().equals(column));
        }
        return id.names.get(id.names.size() - 1).equals(column);
      }

      @Override
      public Boolean visit(org.apache.calcite.sql.SqlCall call) {
        for (SqlNode n : call.getOperandList()) {
          if (n != null && Boolean.TRUE.equals(n.accept(this))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public Boolean visit(org.apache.calcite.sql.SqlNodeList list) {
        for (SqlNode n : list) {
          if (n != null && Boolean.TRUE.equals(n.accept(this))) {
            return true;
          }
        }
        return false;
      }
    });
    return Boolean.TRUE.equals(found);
  }
}
