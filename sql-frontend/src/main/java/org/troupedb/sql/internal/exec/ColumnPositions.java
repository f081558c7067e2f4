package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CommentDesc;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * Descriptors name columns by their position in the table's column list (index keys, CHECK and
 * foreign-key columns, column comments by attnum). DROP COLUMN removes one position; this class
 * renumbers what comes after it and leaves out the CHECKs and foreign keys that used it.
 */
final class ColumnPositions {
  private ColumnPositions() {}

  /** {@code t} without the column at {@code pos}, and without the checks and foreign keys using it. */
  static TableDesc without(TableDesc t, int pos) {
    List<TableDesc.Column> cols = new ArrayList<>(t.columns());
    cols.remove(pos);
    List<TableDesc.Index> indexes = new ArrayList<>();
    for (TableDesc.Index ix : t.indexes()) {
      indexes.add(new TableDesc.Index(ix.id(), ix.name(), ix.unique(), shift(ix.columns(), pos), ix.descending()));
    }
    List<TableDesc.Check> checks = new ArrayList<>();
    for (TableDesc.Check c : t.checks()) {
      if (!ColumnDdl.contains(c.columns(), pos)) {
        checks.add(new TableDesc.Check(c.name(), c.expr(), shift(c.columns(), pos)));
      }
    }
    List<TableDesc.ForeignKey> fks = new ArrayList<>();
    for (TableDesc.ForeignKey f : t.foreignKeys()) {
      boolean self = f.refTable() == t.id();
      if (ColumnDdl.contains(f.columns(), pos) || (self && ColumnDdl.contains(f.refColumns(), pos))) {
        continue;
      }
      fks.add(new TableDesc.ForeignKey(f.name(), shift(f.columns(), pos), f.refTable(),
          self ? shift(f.refColumns(), pos) : f.refColumns(), f.onDelete(), f.onUpdate()));
    }
    return t.withColumns(cols).withIndexes(indexes).withChecks(checks).withForeignKeys(fks);
  }

  /** {@code other}'s foreign keys into table {@code tableId} renumbered after its column {@code pos} went. */
  static TableDesc referencesWithout(TableDesc other, long tableId, int pos) {
    List<TableDesc.ForeignKey> fks = new ArrayList<>();
    for (TableDesc.ForeignKey f : other.foreignKeys()) {
      fks.add(f.refTable() != tableId ? f : new TableDesc.ForeignKey(f.name(), f.columns(), f.refTable(),
          shift(f.refColumns(), pos), f.onDelete(), f.onUpdate()));
    }
    return other.withForeignKeys(fks);
  }

  /**
   * Adds to {@code ids}/{@code bytes} the comment changes of dropping the column at {@code pos}:
   * its comment goes (null bytes), later columns' comments move down one attnum.
   */
  static void shiftComments(Catalog cat, TableDesc t, int pos, List<Long> ids, List<byte[]> bytes) {
    int attnum = PgOids.attnum(t, pos);
    for (CommentDesc c : cat.comments().values()) {
      if (c.relationId() != t.id() || c.subId() < attnum) {
        continue;
      }
      ids.add(c.id());
      bytes.add(c.subId() == attnum ? null
          : new CommentDesc(c.id(), c.relationId(), c.subId() - 1, c.text()).serialize());
    }
  }

  private static int[] shift(int[] cols, int pos) {
    int[] out = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      out[i] = cols[i] > pos ? cols[i] - 1 : cols[i];
    }
    return out;
  }
}
