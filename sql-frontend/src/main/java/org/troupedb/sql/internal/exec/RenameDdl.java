package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlAlterTable;

/**
 * ALTER TABLE RENAME TO and RENAME COLUMN: descriptor-only changes (rows, keys, foreign keys,
 * comments and privileges name tables and columns by id or position). Views and CHECK
 * constraints are stored as written, by name; PostgreSQL follows a rename into them, TroupeDB
 * refuses a rename they would see (0A000 naming the view or constraint).
 */
final class RenameDdl {
  private RenameDdl() {}

  static String renameTable(StatementContext cx, TableDesc t, SqlAlterTable at) throws SqlException {
    String to = Ddl.objectName(cx, at.newName());
    long db = t.databaseId();
    boolean taken = cx.catalog().table(db, "public", to) != null || cx.catalog().view(db, "public", to) != null
        || cx.catalog().sequence(db, "public", to) != null
        || cx.catalog().tables().values().stream().anyMatch(o -> o.databaseId() == db
            && o.indexes().stream().anyMatch(i -> i.name().equals(to)));
    if (taken) {
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + to + "\" already exists");
    }
    List<ViewDesc> views = cx.catalog().viewsReading(t.id());
    if (!views.isEmpty()) {
      throw SqlException.unsupported("renaming table " + t.name() + ", which view " + views.get(0).name()
          + " reads (drop and recreate the view)");
    }
    ColumnDdl.write(cx, t.withName(to));
    return "ALTER TABLE";
  }

  static String renameColumn(StatementContext cx, TableDesc t, SqlAlterTable at) throws SqlException {
    String from = at.columnName().getSimple();
    String to = at.newName().getSimple();
    int pos = t.columnIndex(from);
    if (pos < 0 || t.columns().get(pos).hidden()) {
      throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + from + "\" does not exist");
    }
    int other = t.columnIndex(to);
    if (other >= 0 && !t.columns().get(other).hidden()) {
      throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + to + "\" of relation \"" + t.name()
          + "\" already exists");
    }
    if (other >= 0) {
      throw SqlException.unsupported("renaming a column to " + to + ", the name of the table's hidden row id");
    }
    ViewDesc v = ColumnDependents.firstViewUsing(cx.catalog(), t, from);
    if (v != null) {
      throw SqlException.unsupported("renaming column " + from + ", which view " + v.name()
          + " uses (drop and recreate the view)");
    }
    for (TableDesc.Check c : t.checks()) {
      if (ColumnDdl.contains(c.columns(), pos)) {
        throw SqlException.unsupported("renaming column " + from + ", which check constraint " + c.name() + " uses");
      }
    }
    TableDesc.Column c = t.columns().get(pos);
    List<TableDesc.Column> cols = new ArrayList<>(t.columns());
    cols.set(pos, new TableDesc.Column(c.id(), to, c.type(), c.nullable(), c.defaultSql(), c.sequence(), c.hidden()));
    ColumnDdl.write(cx, t.withColumns(cols));
    return "ALTER TABLE";
  }
}
