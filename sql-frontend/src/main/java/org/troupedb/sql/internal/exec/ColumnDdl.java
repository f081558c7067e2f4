package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.ColumnHistory;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlAlterTable;

/**
 * ALTER TABLE ADD COLUMN and DROP COLUMN, neither rewriting the table's rows: stored values are
 * tagged by column id, so a new column is absent from old rows (they read its <em>missing
 * value</em>, the constant DEFAULT evaluated once, as PostgreSQL 11+ stores {@code attmissingval})
 * and a dropped column's values are skipped on read ({@link ColumnHistory}). A volatile DEFAULT is
 * the exception: {@link ColumnBackfill} evaluates it per row and rewrites the rows.
 */
final class ColumnDdl {
  private ColumnDdl() {}

  /** ADD COLUMN: a nullable or NOT NULL column, with or without a DEFAULT. */
  static String addColumn(StatementContext cx, TableDesc t, SqlAlterTable at, String sql) throws SqlException {
    TableDdl.ColumnDef d = TableDdl.columnDef(at.column(), sql);
    if (t.columnIndex(d.name()) >= 0 && !t.columns().get(t.columnIndex(d.name())).hidden()) {
      if (at.columnIfExists()) {
        return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: column "name" ... already exists, skipping
      }
      throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" of relation \""
          + t.name() + "\" already exists");
    }
    if (t.columnIndex(d.name()) >= 0) {
      throw SqlException.unsupported("a column named " + d.name() + ", the name of the table's hidden row id");
    }
    if (d.unique() || d.primaryKey() || !at.column().constraints().isEmpty()) {
      throw SqlException.unsupported("ALTER TABLE ADD COLUMN with a constraint (add the column, then the constraint)");
    }
    boolean volatileDefault = d.serial() || (d.defaultSql() != null && VolatileDefaults.isVolatileOrSequence(d.defaultSql()));
    if (d.serial()) {
      throw SqlException.unsupported("ALTER TABLE ADD COLUMN of a serial type");
    }
    int id = t.nextColumnId();
    String defaultSql = d.defaultSql();
    TableDesc.Column col = new TableDesc.Column(id, d.name(), d.type(), !d.notNull(), defaultSql, null, false);
    List<TableDesc.Column> cols = new ArrayList<>(t.columns());
    cols.add(col);
    TableDesc nt = t.withColumns(cols);
    Object missing = null;
    if (defaultSql != null && !volatileDefault) {
      missing = NewRows.evalDefault(cx, col); // once, as PostgreSQL evaluates a non-volatile default
      nt = nt.withHistory(nt.history().withMissing(id, missing));
    }
    if (volatileDefault) {
      ColumnBackfill.fill(cx, nt, cols.size() - 1); // evaluated per row, as PostgreSQL's rewrite does
    } else if (missing == null && d.notNull() && hasRows(cx, t)) {
      throw containsNulls(d.name(), t.name());
    }
    write(cx, nt);
    return "ALTER TABLE";
  }

  static SqlException containsNulls(String column, String table) {
    return new SqlException(SqlState.NOT_NULL_VIOLATION, "column \"" + column + "\" of relation \"" + table
        + "\" contains null values");
  }

  /**
   * DROP COLUMN [IF EXISTS]: as in PostgreSQL, the indexes, CHECK constraints and foreign keys of
   * this table that use the column go with it; a view using it, or another table's foreign key
   * through an index on it, is 2BP01 (CASCADE: 0A000). A primary-key column is 0A000 here.
   */
  static String dropColumn(StatementContext cx, TableDesc t, SqlAlterTable at) throws SqlException {
    String name = at.columnName().getSimple();
    int pos = t.columnIndex(name);
    if (pos < 0 || t.columns().get(pos).hidden()) {
      if (at.columnIfExists()) {
        return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: column "name" ... does not exist, skipping
      }
      throw undefinedColumn(name, t.name());
    }
    if (at.cascade()) {
      throw SqlException.unsupported("ALTER TABLE DROP COLUMN … CASCADE");
    }
    List<String> deps = ColumnDependents.viewsUsing(cx.catalog(), t, name);
    List<TableDesc.Index> keep = new ArrayList<>();
    List<TableDesc.Index> dropped = new ArrayList<>();
    for (TableDesc.Index ix : t.indexes()) {
      (contains(ix.columns(), pos) ? dropped : keep).add(ix);
    }
    for (Catalog.Reference r : cx.catalog().referencing(t.id())) {
      if (r.table().id() != t.id() && contains(r.fk().refColumns(), pos)) {
        deps.add("constraint " + r.fk().name() + " on table " + r.table().name() + " depends on column " + name
            + " of table " + t.name());
      }
    }
    if (!deps.isEmpty()) {
      throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop column " + name + " of table "
          + t.name() + " because other objects depend on it", String.join("\n", deps),
          "Use DROP ... CASCADE to drop the dependent objects too.", null);
    }
    if (t.isPrimaryKeyColumn(pos)) {
      throw SqlException.unsupported("dropping a primary key column");
    }
    for (TableDesc.Index ix : dropped) {
      DropDdl.deleteSpan(cx, Catalog.indexPrefix(t.id(), ix.id()));
    }
    TableDesc.Column c = t.columns().get(pos);
    TableDesc nt = ColumnPositions.without(t.withIndexes(keep), pos)
        .withHistory(t.history().withMissing(c.id(), null).withFormer(new ColumnHistory.Former(c.id(), c.type(), 0)));
    List<Long> ids = new ArrayList<>(List.of(nt.id()));
    List<byte[]> bytes = new ArrayList<>(List.of(nt.serialize()));
    for (Catalog.Reference r : cx.catalog().referencing(t.id())) {
      if (r.table().id() != t.id() && !ids.contains(r.table().id())) {
        ids.add(r.table().id());
        bytes.add(ColumnPositions.referencesWithout(r.table(), t.id(), pos).serialize());
      }
    }
    ColumnPositions.shiftComments(cx.catalog(), t, pos, ids, bytes);
    Catalog.SequenceDesc seq = c.sequence() == null ? null
        : cx.catalog().sequence(t.databaseId(), "public", c.sequence());
    if (seq != null) { // a SERIAL column's sequence goes with it, as PostgreSQL drops an owned sequence
      ids.add(seq.id());
      bytes.add(null);
    }
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, bytes, cx.cancel());
    return "ALTER TABLE";
  }

  /** True if the table has a row (one key of its primary index read). */
  static boolean hasRows(StatementContext cx, TableDesc t) throws SqlException {
    byte[] prefix = Catalog.indexPrefix(t.id(), TableDesc.PRIMARY_INDEX_ID);
    return !org.troupedb.sql.internal.catalog.Kv.await(cx.txn().scan(prefix,
        org.troupedb.sql.internal.catalog.KeyEncoding.prefixEnd(prefix), 1), cx.cancel()).isEmpty();
  }

  static SqlException undefinedColumn(String column, String table) {
    return new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + column + "\" of relation \"" + table
        + "\" does not exist");
  }

  static boolean contains(int[] cols, int pos) {
    for (int c : cols) {
      if (c == pos) {
        return true;
      }
    }
    return false;
  }

  static void write(StatementContext cx, TableDesc nt) throws SqlException {
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(nt.id()), List.of(nt.serialize()), cx.cancel());
  }
}
