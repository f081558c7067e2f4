package org.troupedb.sql.internal.exec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ValueEncoding;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;

/**
 * Turns row changes into KV mutations: the primary row plus every secondary index entry, all in
 * the caller's transaction. Primary rows and unique index entries are written with
 * {@link Mutation.Insert} so a duplicate fails with {@link KeyExistsException} (→ 23505).
 */
public final class RowWriter {
  private RowWriter() {}

  static byte[] primaryKey(TableDesc t, Object[] row) {
    return indexKey(t, t.primary(), row, false);
  }

  private static byte[] indexKey(TableDesc t, TableDesc.Index ix, Object[] row, boolean withPk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Catalog.indexPrefix(t.id(), ix.id()));
    for (int i = 0; i < ix.columns().length; i++) {
      KeyEncoding.encode(out, t.columns().get(ix.columns()[i]).type(), row[ix.columns()[i]], ix.descending()[i]);
    }
    if (withPk) {
      TableDesc.Index pk = t.primary();
      for (int i = 0; i < pk.columns().length; i++) {
        KeyEncoding.encode(out, t.columns().get(pk.columns()[i]).type(), row[pk.columns()[i]], pk.descending()[i]);
      }
    }
    return out.toByteArray();
  }

  private static boolean hasNull(TableDesc.Index ix, Object[] row) {
    for (int c : ix.columns()) {
      if (row[c] == null) {
        return true;
      }
    }
    return false;
  }

  private static Mutation indexEntry(TableDesc t, TableDesc.Index ix, Object[] row) {
    if (ix.unique() && !hasNull(ix, row)) {
      return new Mutation.Insert(indexKey(t, ix, row, false), primaryKey(t, row));
    }
    return new Mutation.Put(indexKey(t, ix, row, true), new byte[0]);
  }

  private static byte[] indexEntryKey(TableDesc t, TableDesc.Index ix, Object[] row) {
    return indexKey(t, ix, row, !(ix.unique() && !hasNull(ix, row)));
  }

  /** The key of a unique index entry for {@code row}, or null if the index is not unique or a column is NULL. */
  static byte[] uniqueEntryKey(TableDesc t, TableDesc.Index ix, Object[] row) {
    return ix.unique() && !hasNull(ix, row) ? indexKey(t, ix, row, false) : null;
  }

  static byte[] value(TableDesc t, Object[] row) {
    List<TableDesc.Column> cols = new ArrayList<>();
    List<Object> vals = new ArrayList<>();
    for (int i = 0; i < row.length; i++) {
      if (!t.isPrimaryKeyColumn(i)) {
        cols.add(t.columns().get(i));
        vals.add(row[i]);
      }
    }
    return ValueEncoding.encode(cols.toArray(new TableDesc.Column[0]), vals.toArray(), t.history());
  }

  static void insert(TableDesc t, Object[] row, List<Mutation> out) {
    out.add(new Mutation.Insert(primaryKey(t, row), value(t, row)));
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      out.add(indexEntry(t, ix, row));
    }
  }

  static void delete(TableDesc t, Object[] row, List<Mutation> out) {
    out.add(new Mutation.Delete(primaryKey(t, row)));
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      out.add(new Mutation.Delete(indexEntryKey(t, ix, row)));
    }
  }

  /** Deletes first so index entries that stay equal are re-inserted cleanly. */
  static void update(TableDesc t, Object[] oldRow, Object[] newRow, List<Mutation> deletes,
      List<Mutation> writes) {
    byte[] oldPk = primaryKey(t, oldRow);
    byte[] newPk = primaryKey(t, newRow);
    if (Arrays.equals(oldPk, newPk)) {
      writes.add(new Mutation.Put(newPk, value(t, newRow)));
    } else {
      deletes.add(new Mutation.Delete(oldPk));
      writes.add(new Mutation.Insert(newPk, value(t, newRow)));
    }
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      byte[] ok = indexEntryKey(t, ix, oldRow);
      byte[] nk = indexEntryKey(t, ix, newRow);
      if (!Arrays.equals(ok, nk) || !Arrays.equals(oldPk, newPk)) {
        deletes.add(new Mutation.Delete(ok));
        writes.add(indexEntry(t, ix, newRow));
      }
    }
  }

  /** The 23505 error for a duplicate {@code key} written for {@code row}. */
  static SqlException duplicate(TableDesc t, byte[] key, List<Object[]> candidates) {
    for (TableDesc.Index ix : t.indexes()) {
      byte[] prefix = Catalog.indexPrefix(t.id(), ix.id());
      if (key.length < prefix.length || !Arrays.equals(Arrays.copyOf(key, prefix.length), prefix)) {
        continue;
      }
      KeyEncoding.Reader r = new KeyEncoding.Reader(key, prefix.length);
      List<String> names = new ArrayList<>();
      List<String> vals = new ArrayList<>();
      for (int i = 0; i < ix.columns().length; i++) {
        TableDesc.Column c = t.columns().get(ix.columns()[i]);
        names.add(c.name());
        vals.add(ColumnType.text(c.type(), r.read(c.type(), ix.descending()[i])));
      }
      return new SqlException(SqlState.UNIQUE_VIOLATION,
          "duplicate key value violates unique constraint \"" + ix.name() + "\"",
          "Key (" + String.join(", ", names) + ")=(" + String.join(", ", vals) + ") already exists.",
          null, null);
    }
    return new SqlException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint");
  }

  /** A row as PostgreSQL shows it in a DETAIL: {@code (G7, null, 1.00, 0)}, hidden columns left out. */
  static String rowText(TableDesc t, Object[] row) {
    List<String> vals = new ArrayList<>();
    for (int i = 0; i < row.length && i < t.columns().size(); i++) {
      if (!t.columns().get(i).hidden()) {
        vals.add(row[i] == null ? "null" : ColumnType.text(t.columns().get(i).type(), row[i]));
      }
    }
    return "(" + String.join(", ", vals) + ")";
  }
}
