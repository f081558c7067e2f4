package org.troupedb.sql.internal.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the catalog at one version: databases, tables, views and sequences.
 *
 * <p>Key layout of the SQL key space (SQL owns keys &ge; 0x10; ids use
 * {@link KeyEncoding#writeId}):
 *
 * <pre>
 *   10 01                        catalog version (8 bytes, bumped by every DDL)
 *   10 02                        next descriptor id (8 bytes)
 *   10 03 id                     descriptor (database 'D', table 'T', view 'V', comment 'M', sequence 'S', role 'R',
 *                                access-control list 'A': see {@link AuthCatalog})
 *   11 id                        sequence value (8 bytes; see {@link Sequences})
 *   12 tableId indexId keycols   table data: primary index rows (value = non-key columns,
 *                                {@link ValueEncoding}); secondary index entries (unique: key =
 *                                index columns, value = primary key bytes; non-unique: key = index
 *                                columns + primary key columns, empty value)
 * </pre>
 */
public record Catalog(long version, long epoch, Map<Long, Database> databases, Map<Long, TableDesc> tables,
    Map<Long, SequenceDesc> sequences, AuthCatalog auth, Map<Long, ViewDesc> views,
    Map<Long, CommentDesc> comments) {

  /** A snapshot without views or comments. */
  public Catalog(long version, long epoch, Map<Long, Database> databases, Map<Long, TableDesc> tables,
      Map<Long, SequenceDesc> sequences, AuthCatalog auth) {
    this(version, epoch, databases, tables, sequences, auth, Map.of(), Map.of());
  }

  /** The comment on relation {@code relationId} (subId 0) or its column (subId = attnum), or null. */
  public CommentDesc comment(long relationId, int subId) {
    for (CommentDesc c : comments.values()) {
      if (c.relationId() == relationId && c.subId() == subId) {
        return c;
      }
    }
    return null;
  }

  /**
   * Each loaded snapshot gets its own epoch; plan caches key on it rather than on the version,
   * because an uncommitted DDL's version number may later be taken by a different DDL.
   */
  private static final java.util.concurrent.atomic.AtomicLong EPOCHS = new java.util.concurrent.atomic.AtomicLong();

  static final byte[] VERSION_KEY = {0x10, 0x01};
  static final byte[] ID_KEY = {0x10, 0x02};
  static final byte[] DESC_PREFIX = {0x10, 0x03};
  static final byte SEQUENCE_PREFIX = 0x11;
  public static final byte TABLE_PREFIX = 0x12;

  /** A database. */
  public record Database(long id, String name) {}

  /** A sequence's definition (its current value lives in its own key). */
  public record SequenceDesc(long id, long databaseId, String schema, String name, long increment,
      long min, long max, long start) {}

  public static Catalog empty() {
    return new Catalog(0, 0, Map.of(), Map.of(), Map.of(), AuthCatalog.EMPTY);
  }

  public Database database(String name) {
    for (Database d : databases.values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  public TableDesc table(long databaseId, String schema, String name) {
    for (TableDesc t : tables.values()) {
      if (t.databaseId() == databaseId && t.schema().equals(schema) && t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** A foreign key {@code fk} of table {@code table}, seen from the table it references. */
  public record Reference(TableDesc table, TableDesc.ForeignKey fk) {}

  /**
   * The foreign keys (of any table, itself included) that reference table {@code tableId}, in
   * creation order of their tables (as PostgreSQL lists dependent objects).
   */
  public List<Reference> referencing(long tableId) {
    List<Reference> out = new java.util.ArrayList<>();
    for (TableDesc t : tables.values()) {
      for (TableDesc.ForeignKey f : t.foreignKeys()) {
        if (f.refTable() == tableId) {
          out.add(new Reference(t, f));
        }
      }
    }
    if (out.size() > 1) {
      out.sort(java.util.Comparator.comparingLong(r -> r.table().id())); // stable: a table's keys keep their order
    }
    return out;
  }

  /** The view {@code name} in a database's schema, or null. */
  public ViewDesc view(long databaseId, String schema, String name) {
    for (ViewDesc v : views.values()) {
      if (v.databaseId() == databaseId && v.schema().equals(schema) && v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }

  /** The views that read relation {@code id} (a table or a view) directly, in creation order. */
  public List<ViewDesc> viewsReading(long id) {
    List<ViewDesc> out = new java.util.ArrayList<>();
    for (ViewDesc v : views.values()) {
      if (v.dependsOn().contains(id)) {
        out.add(v);
      }
    }
    out.sort(java.util.Comparator.comparingLong(ViewDesc::id)); // NB: the map's order is not the ids'
    return out;
  }

  public SequenceDesc sequence(long databaseId, String schema, String name) {
    for (SequenceDesc s : sequences.values()) {
      if (s.databaseId() == databaseId && s.schema().equals(schema) && s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  static byte[] descKey(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(DESC_PREFIX, 0, DESC_PREFIX.length);
    KeyEncoding.writeId(out, id);
    return out.toByteArray();
  }

  static byte[] sequenceKey(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(SEQUENCE_PREFIX);
    KeyEncoding.writeId(out, id);
    return out.toByteArray();
  }

  /** The key prefix of all of a table's rows and index entries. */
  public static byte[] tablePrefix(long tableId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(TABLE_PREFIX);
    KeyEncoding.writeId(out, tableId);
    return out.toByteArray();
  }

  /** The key prefix of one index of a table. */
  public static byte[] indexPrefix(long tableId, int indexId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(TABLE_PREFIX);
    KeyEncoding.writeId(out, tableId);
    KeyEncoding.writeId(out, indexId);
    return out.toByteArray();
  }

  public static byte[] serialize(Database d) {
    return write(out -> {
      out.writeByte('D');
      out.writeLong(d.id());
      out.writeUTF(d.name());
    });
  }

  public static byte[] serialize(SequenceDesc s) {
    return write(out -> {
      out.writeByte('S');
      out.writeLong(s.id());
      out.writeLong(s.databaseId());
      out.writeUTF(s.schema());
      out.writeUTF(s.name());
      out.writeLong(s.increment());
      out.writeLong(s.min());
      out.writeLong(s.max());
      out.writeLong(s.start());
    });
  }

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  static byte[] write(Writer w) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      w.write(out);
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds a snapshot from the descriptor rows. */
  static Catalog load(long version, List<byte[]> descriptors) {
    Map<Long, Database> dbs = new TreeMap<>();
    Map<Long, TableDesc> tables = new TreeMap<>();
    Map<Long, SequenceDesc> seqs = new TreeMap<>();
    Map<Long, AuthCatalog.RoleDesc> roles = new TreeMap<>();
    Map<String, AuthCatalog.Acl> acls = new TreeMap<>();
    Map<Long, ViewDesc> views = new TreeMap<>();
    Map<Long, CommentDesc> comments = new TreeMap<>();
    try {
      for (byte[] b : descriptors) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        switch (in.readByte()) {
          case 'D' -> {
            Database d = new Database(in.readLong(), in.readUTF());
            dbs.put(d.id(), d);
          }
          case 'T' -> {
            TableDesc t = TableDesc.deserialize(in);
            tables.put(t.id(), t);
          }
          case 'V' -> {
            ViewDesc v = ViewDesc.deserialize(in);
            views.put(v.id(), v);
          }
          case 'M' -> {
            CommentDesc c = CommentDesc.deserialize(in);
            comments.put(c.id(), c);
          }
          case 'S' -> {
            SequenceDesc s = new SequenceDesc(in.readLong(), in.readLong(), in.readUTF(),
                in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
            seqs.put(s.id(), s);
          }
          case 'R' -> {
            AuthCatalog.RoleDesc r = AuthCatalog.RoleDesc.deserialize(in);
            roles.put(r.id(), r);
          }
          case 'A' -> {
            AuthCatalog.Acl a = AuthCatalog.Acl.deserialize(in);
            acls.put(AuthCatalog.aclKey(a.kind(), a.objectId()), a);
          }
          default -> throw new IllegalStateException("unknown descriptor");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Catalog(version, EPOCHS.incrementAndGet(), Map.copyOf(dbs), Map.copyOf(tables), Map.copyOf(seqs),
        AuthCatalog.build(roles, acls), Map.copyOf(views), Map.copyOf(comments));
  }
}
