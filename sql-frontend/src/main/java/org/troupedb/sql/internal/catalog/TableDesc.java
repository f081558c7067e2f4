package org.troupedb.sql.internal.catalog;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * A table's descriptor: columns, primary index (id 1) and secondary indexes. Immutable; a DDL
 * writes a new version. A table declared without a primary key gets a hidden {@code rowid} column
 * as its key.
 */
public record TableDesc(long id, long databaseId, String schema, String name, List<Column> columns,
    List<Index> indexes) {

  public static final int PRIMARY_INDEX_ID = 1;

  /**
   * One column. {@code defaultSql} is the DEFAULT expression's SQL text (null: none);
   * {@code sequence} names the sequence of a SERIAL column (null otherwise).
   */
  public record Column(int id, String name, ColumnType type, boolean nullable, String defaultSql,
      String sequence, boolean hidden) {}

  /** An index over {@code columns} (positions in the table's column list). */
  public record Index(int id, String name, boolean unique, int[] columns, boolean[] descending) {}

  public Index primary() {
    return indexes.get(0);
  }

  public int columnIndex(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  public int columnIndexById(int columnId) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).id() == columnId) {
        return i;
      }
    }
    return -1;
  }

  public boolean isPrimaryKeyColumn(int position) {
    for (int c : primary().columns()) {
      if (c == position) {
        return true;
      }
    }
    return false;
  }

  public byte[] serialize() {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      out.writeByte('T');
      out.writeLong(id);
      out.writeLong(databaseId);
      out.writeUTF(schema);
      out.writeUTF(name);
      out.writeInt(columns.size());
      for (Column c : columns) {
        out.writeInt(c.id());
        out.writeUTF(c.name());
        out.writeUTF(c.type().pg().name());
        out.writeInt(c.type().precision());
        out.writeInt(c.type().scale());
        out.writeBoolean(c.nullable());
        writeNullable(out, c.defaultSql());
        writeNullable(out, c.sequence());
        out.writeBoolean(c.hidden());
      }
      out.writeInt(indexes.size());
      for (Index ix : indexes) {
        out.writeInt(ix.id());
        out.writeUTF(ix.name());
        out.writeBoolean(ix.unique());
        out.writeInt(ix.columns().length);
        for (int i = 0; i < ix.columns().length; i++) {
          out.writeInt(ix.columns()[i]);
          out.writeBoolean(ix.descending()[i]);
        }
      }
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static TableDesc deserialize(DataInputStream in) throws IOException {
    long id = in.readLong();
    long db = in.readLong();
    String schema = in.readUTF();
    String name = in.readUTF();
    int n = in.readInt();
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int cid = in.readInt();
      String cname = in.readUTF();
      ColumnType t = new ColumnType(PgType.valueOf(in.readUTF()), in.readInt(), in.readInt());
      boolean nullable = in.readBoolean();
      String def = readNullable(in);
      String seq = readNullable(in);
      cols.add(new Column(cid, cname, t, nullable, def, seq, in.readBoolean()));
    }
    int m = in.readInt();
    List<Index> idx = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      int iid = in.readInt();
      String iname = in.readUTF();
      boolean unique = in.readBoolean();
      int k = in.readInt();
      int[] c = new int[k];
      boolean[] d = new boolean[k];
      for (int j = 0; j < k; j++) {
        c[j] = in.readInt();
        d[j] = in.readBoolean();
      }
      idx.add(new Index(iid, iname, unique, c, d));
    }
    return new TableDesc(id, db, schema, name, List.copyOf(cols), List.copyOf(idx));
  }

  static void writeNullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
