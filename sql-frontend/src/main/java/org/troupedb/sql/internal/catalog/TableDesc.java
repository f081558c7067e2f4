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
 * A table's descriptor: columns, primary index (id 1), secondary indexes, CHECK constraints and
 * the foreign keys this table declares (the referencing side). Immutable; a DDL writes a new
 * version. A table declared without a primary key gets a hidden {@code rowid} column as its key.
 */
public record TableDesc(long id, long databaseId, String schema, String name, List<Column> columns,
    List<Index> indexes, List<Check> checks, List<ForeignKey> foreignKeys, ColumnHistory history) {

  public static final int PRIMARY_INDEX_ID = 1;

  /** A table without CHECK constraints or foreign keys. */
  public TableDesc(long id, long databaseId, String schema, String name, List<Column> columns,
      List<Index> indexes) {
    this(id, databaseId, schema, name, columns, indexes, List.of(), List.of());
  }

  /** A table whose columns were never dropped, retyped or added with a DEFAULT. */
  public TableDesc(long id, long databaseId, String schema, String name, List<Column> columns,
      List<Index> indexes, List<Check> checks, List<ForeignKey> foreignKeys) {
    this(id, databaseId, schema, name, columns, indexes, checks, foreignKeys, ColumnHistory.EMPTY);
  }

  /**
   * A CHECK constraint: {@code expr} is the expression's SQL text as written (without the outer
   * parentheses), {@code columns} the positions of the columns it names, in order of first
   * appearance (pg_constraint.conkey); a row passes when it is true or NULL.
   */
  public record Check(String name, String expr, int[] columns) {}

  /** What a foreign key does to referencing rows when the referenced key is deleted or updated. */
  public enum FkAction {
    NO_ACTION('a', null), RESTRICT('r', "RESTRICT"), CASCADE('c', "CASCADE"), SET_NULL('n', "SET NULL"),
    SET_DEFAULT('d', "SET DEFAULT");

    /** pg_constraint.confupdtype / confdeltype. */
    public final char code;
    /** As pg_get_constraintdef writes it (null: the default, not written). */
    public final String sql;

    FkAction(char code, String sql) {
      this.code = code;
      this.sql = sql;
    }
  }

  /**
   * A foreign key of this table: {@code columns} (positions here) reference {@code refColumns}
   * (positions in table {@code refTable}, a primary key or unique index there). MATCH SIMPLE: a
   * row with a NULL in any of its columns references nothing.
   */
  public record ForeignKey(String name, int[] columns, long refTable, int[] refColumns, FkAction onDelete,
      FkAction onUpdate) {}

  public TableDesc withColumns(List<Column> cols) {
    return new TableDesc(id, databaseId, schema, name, List.copyOf(cols), indexes, checks, foreignKeys, history);
  }

  public TableDesc withIndexes(List<Index> idx) {
    return new TableDesc(id, databaseId, schema, name, columns, List.copyOf(idx), checks, foreignKeys, history);
  }

  public TableDesc withChecks(List<Check> cs) {
    return new TableDesc(id, databaseId, schema, name, columns, indexes, List.copyOf(cs), foreignKeys, history);
  }

  public TableDesc withForeignKeys(List<ForeignKey> fks) {
    return new TableDesc(id, databaseId, schema, name, columns, indexes, checks, List.copyOf(fks), history);
  }

  public TableDesc withHistory(ColumnHistory h) {
    return new TableDesc(id, databaseId, schema, name, columns, indexes, checks, foreignKeys, h);
  }

  /** A copy named {@code newName} (ALTER TABLE RENAME TO). */
  public TableDesc withName(String newName) {
    return new TableDesc(id, databaseId, schema, newName, columns, indexes, checks, foreignKeys, history);
  }

  /** True if a constraint or index of this table is called {@code n}. */
  public boolean hasConstraintNamed(String n) {
    return indexes.stream().anyMatch(i -> i.name().equals(n)) || checks.stream().anyMatch(c -> c.name().equals(n))
        || foreignKeys.stream().anyMatch(f -> f.name().equals(n));
  }

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

  /** The id for a new column: above every id a current, dropped or retyped column has had. */
  public int nextColumnId() {
    return Math.max(columns.stream().mapToInt(Column::id).max().orElse(0), history.maxId()) + 1;
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
      out.writeInt(checks.size());
      for (Check c : checks) {
        out.writeUTF(c.name());
        out.writeUTF(c.expr());
        out.writeInt(c.columns().length);
        for (int col : c.columns()) {
          out.writeInt(col);
        }
      }
      out.writeInt(foreignKeys.size());
      for (ForeignKey f : foreignKeys) {
        out.writeUTF(f.name());
        out.writeLong(f.refTable());
        out.writeInt(f.columns().length);
        for (int i = 0; i < f.columns().length; i++) {
          out.writeInt(f.columns()[i]);
          out.writeInt(f.refColumns()[i]);
        }
        out.writeUTF(f.onDelete().name());
        out.writeUTF(f.onUpdate().name());
      }
      history.write(out, this);
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
    List<Check> checks = new ArrayList<>();
    List<ForeignKey> fks = new ArrayList<>();
    if (in.available() > 0) { // descriptors written before constraints existed end here
      int nc = in.readInt();
      for (int i = 0; i < nc; i++) {
        String cname = in.readUTF();
        String expr = in.readUTF();
        int[] ccols = new int[in.readInt()];
        for (int j = 0; j < ccols.length; j++) {
          ccols[j] = in.readInt();
        }
        checks.add(new Check(cname, expr, ccols));
      }
      int nf = in.readInt();
      for (int i = 0; i < nf; i++) {
        String fname = in.readUTF();
        long ref = in.readLong();
        int k = in.readInt();
        int[] c = new int[k];
        int[] r = new int[k];
        for (int j = 0; j < k; j++) {
          c[j] = in.readInt();
          r[j] = in.readInt();
        }
        fks.add(new ForeignKey(fname, c, ref, r, FkAction.valueOf(in.readUTF()), FkAction.valueOf(in.readUTF())));
      }
    }
    TableDesc t = new TableDesc(id, db, schema, name, List.copyOf(cols), List.copyOf(idx), List.copyOf(checks),
        List.copyOf(fks));
    // descriptors written before ALTER TABLE kept a column history end here
    return in.available() > 0 ? t.withHistory(ColumnHistory.read(in, t)) : t;
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
