package org.troupedb.sql.internal.catalog;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * A view's descriptor (kind {@code 'V'} in the catalog's descriptor span): its query as written,
 * the columns that query produced when the view was created (name and type, as PostgreSQL fixes
 * them at CREATE VIEW), and the relations (tables and views) it reads, for DROP … CASCADE and
 * 2BP01. Shares the relation id space with tables, so {@link PgOids#relation} gives its OID.
 */
public record ViewDesc(long id, long databaseId, String schema, String name, String query,
    List<Column> columns, List<Long> dependsOn, boolean fixedStar) {

  /*
   * fixedStar: the query is SELECT * … without a column list, so its * stands for the view's
   * columns as they were at creation (as PostgreSQL fixes it), not for columns added since.
   */

  /** One output column of the view. */
  public record Column(String name, ColumnType type) {}

  public ViewDesc {
    columns = List.copyOf(columns);
    dependsOn = List.copyOf(dependsOn);
  }

  /**
   * The view as a column list in a table's shape (no indexes, every column nullable, no
   * defaults), for the catalog relations that list the columns of tables and views alike.
   */
  public TableDesc shape() {
    List<TableDesc.Column> cols = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      cols.add(new TableDesc.Column(i + 1, columns.get(i).name(), columns.get(i).type(), true, null, null, false));
    }
    return new TableDesc(id, databaseId, schema, name, cols, List.of());
  }

  public byte[] serialize() {
    return Catalog.write(out -> {
      out.writeByte('V');
      out.writeLong(id);
      out.writeLong(databaseId);
      out.writeUTF(schema);
      out.writeUTF(name);
      byte[] q = query.getBytes(StandardCharsets.UTF_8);
      out.writeInt(q.length);
      out.write(q);
      out.writeInt(columns.size());
      for (Column c : columns) {
        out.writeUTF(c.name());
        out.writeUTF(c.type().pg().name());
        out.writeInt(c.type().precision());
        out.writeInt(c.type().scale());
      }
      out.writeInt(dependsOn.size());
      for (long d : dependsOn) {
        out.writeLong(d);
      }
      out.writeBoolean(fixedStar);
    });
  }

  /** Reads what {@link #serialize} wrote after its kind byte. */
  static ViewDesc deserialize(DataInputStream in) throws IOException {
    long id = in.readLong();
    long db = in.readLong();
    String schema = in.readUTF();
    String name = in.readUTF();
    byte[] q = new byte[in.readInt()];
    in.readFully(q);
    int n = in.readInt();
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cols.add(new Column(in.readUTF(), new ColumnType(PgType.valueOf(in.readUTF()), in.readInt(), in.readInt())));
    }
    int d = in.readInt();
    List<Long> deps = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      deps.add(in.readLong());
    }
    boolean fixedStar = in.available() > 0 && in.readBoolean();
    return new ViewDesc(id, db, schema, name, new String(q, StandardCharsets.UTF_8), cols, deps, fixedStar);
  }
}
