package org.troupedb.sql.internal.catalog;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * What a table's stored rows may hold besides its current columns, so that ALTER TABLE need not
 * rewrite them: the ids and types of columns dropped or retyped (a value stored under such an id
 * is skipped, or converted into the column that took its place), and the <em>missing values</em> of
 * columns added with a constant DEFAULT (PostgreSQL 11+'s {@code attmissingval}): the value a row
 * written before the column existed has in it.
 *
 * <pre>
 *   stored row  [id 2: 7][id 3: 1.5f]          history: former(3, real → id 5), missing {6: 'x'}
 *   table now    a(id 2) int, b(id 5) double, c(id 6) text DEFAULT 'x'
 *   decoded      a = 7, b = 1.5 (converted), c = 'x' (missing: the row predates c)
 * </pre>
 *
 * A NULL in a column that has a missing value must be stored explicitly (it would otherwise read
 * as the missing value): {@link ValueEncoding} writes it as the marker {@code 0, id}.
 */
public record ColumnHistory(List<Former> former, Map<Integer, Object> missing) {
  public static final ColumnHistory EMPTY = new ColumnHistory(List.of(), Map.of());

  /**
   * A column id rows may still hold: its stored {@code type}, and the id of the column that now
   * holds its value converted ({@code successorId}, 0 for a dropped column).
   */
  public record Former(int id, ColumnType type, int successorId) {}

  public ColumnHistory {
    former = List.copyOf(former);
    missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
  }

  public Former former(int id) {
    for (Former f : former) {
      if (f.id() == id) {
        return f;
      }
    }
    return null;
  }

  /** The highest column id this history names (new columns take ids above it). */
  int maxId() {
    int m = 0;
    for (Former f : former) {
      m = Math.max(m, f.id());
    }
    return m;
  }

  public ColumnHistory withFormer(Former f) {
    List<Former> fs = new ArrayList<>(former);
    fs.add(f);
    return new ColumnHistory(fs, missing);
  }

  /** With {@code value} as the missing value of column {@code id} (null: none). */
  public ColumnHistory withMissing(int id, Object value) {
    Map<Integer, Object> m = new LinkedHashMap<>(missing);
    if (value == null) {
      m.remove(id);
    } else {
      m.put(id, value);
    }
    return new ColumnHistory(former, m);
  }

  /** Sets each column of {@code row} that has a missing value to it (before a stored row is decoded over it). */
  void fillMissing(TableDesc t, Object[] row) {
    for (Map.Entry<Integer, Object> e : missing.entrySet()) {
      int idx = t.columnIndexById(e.getKey());
      if (idx >= 0 && idx < row.length) {
        row[idx] = e.getValue();
      }
    }
  }

  void write(DataOutputStream out, TableDesc t) throws IOException {
    out.writeInt(former.size());
    for (Former f : former) {
      out.writeInt(f.id());
      out.writeUTF(f.type().pg().name());
      out.writeInt(f.type().precision());
      out.writeInt(f.type().scale());
      out.writeInt(f.successorId());
    }
    List<TableDesc.Column> cols = new ArrayList<>();
    List<Object> vals = new ArrayList<>();
    for (Map.Entry<Integer, Object> e : missing.entrySet()) {
      int idx = t.columnIndexById(e.getKey());
      if (idx >= 0) {
        cols.add(t.columns().get(idx));
        vals.add(e.getValue());
      }
    }
    byte[] b = ValueEncoding.encode(cols.toArray(new TableDesc.Column[0]), vals.toArray(), EMPTY);
    out.writeInt(b.length);
    out.write(b);
  }

  static ColumnHistory read(DataInputStream in, TableDesc t) throws IOException {
    int n = in.readInt();
    List<Former> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = in.readInt();
      ColumnType type = new ColumnType(PgType.valueOf(in.readUTF()), in.readInt(), in.readInt());
      fs.add(new Former(id, type, in.readInt()));
    }
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    Object[] row = new Object[t.columns().size()];
    ValueEncoding.decodeStored(b, t, new ColumnHistory(fs, Map.of()), row);
    Map<Integer, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < row.length; i++) {
      if (row[i] != null) {
        m.put(t.columns().get(i).id(), row[i]);
      }
    }
    return new ColumnHistory(fs, m);
  }
}
