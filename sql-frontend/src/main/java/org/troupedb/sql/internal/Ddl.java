package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * DDL: writes descriptors through the statement's transaction (so DDL is transactional) and bumps
 * the catalog version. A new table gets range boundaries at its prefix and at the next prefix.
 */
final class Ddl {
  private Ddl() {}

  static String execute(Session s, Txn txn, Catalog cat, Command c) throws SqlException {
    long db = s.database.id();
    if (c instanceof Command.CreateTable ct) {
      return createTable(s, txn, cat, db, ct);
    } else if (c instanceof Command.DropTable dt) {
      List<Long> ids = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      for (String n : dt.names()) {
        TableDesc t = cat.table(db, "public", n);
        if (t == null) {
          if (dt.ifExists()) {
            continue;
          }
          throw new SqlException(SqlState.UNDEFINED_TABLE, "table \"" + n + "\" does not exist");
        }
        deleteData(s, txn, t);
        ids.add(t.id());
        bytes.add(null);
        for (TableDesc.Column col : t.columns()) {
          Catalog.SequenceDesc seq = col.sequence() == null ? null : cat.sequence(db, "public", col.sequence());
          if (seq != null) {
            ids.add(seq.id());
            bytes.add(null);
          }
        }
      }
      if (!ids.isEmpty()) {
        s.engine.catalog.writeDescriptors(txn, cat, ids, bytes, s.cancel);
      }
      return "DROP TABLE";
    } else if (c instanceof Command.Truncate tr) {
      for (String n : tr.names()) {
        TableDesc t = cat.table(db, "public", n);
        if (t == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + n + "\" does not exist");
        }
        deleteData(s, txn, t);
      }
      return "TRUNCATE TABLE";
    } else if (c instanceof Command.CreateIndex ci) {
      return createIndex(s, txn, cat, db, ci);
    } else if (c instanceof Command.DropIndex di) {
      return dropIndex(s, txn, cat, db, di);
    } else if (c instanceof Command.CreateSequence cs) {
      if (cat.sequence(db, "public", cs.name()) != null || cat.table(db, "public", cs.name()) != null) {
        if (cs.ifNotExists()) {
          return "CREATE SEQUENCE";
        }
        throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + cs.name() + "\" already exists");
      }
      long id = s.engine.catalog.nextId(txn, s.cancel);
      long inc = cs.increment() == 0 ? 1 : cs.increment();
      long min = cs.min() != null ? cs.min() : inc > 0 ? 1 : Long.MIN_VALUE;
      long max = cs.max() != null ? cs.max() : inc > 0 ? Long.MAX_VALUE : -1;
      long start = cs.start() != null ? cs.start() : inc > 0 ? min : max;
      Catalog.SequenceDesc seq = new Catalog.SequenceDesc(id, db, "public", cs.name(), inc, min, max, start);
      s.engine.catalog.writeDescriptors(txn, cat, List.of(id), List.of(Catalog.serialize(seq)), s.cancel);
      return "CREATE SEQUENCE";
    } else if (c instanceof Command.DropSequence ds) {
      List<Long> ids = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      for (String n : ds.names()) {
        Catalog.SequenceDesc seq = cat.sequence(db, "public", n);
        if (seq == null) {
          if (ds.ifExists()) {
            continue;
          }
          throw new SqlException(SqlState.UNDEFINED_TABLE, "sequence \"" + n + "\" does not exist");
        }
        ids.add(seq.id());
        bytes.add(null);
      }
      if (!ids.isEmpty()) {
        s.engine.catalog.writeDescriptors(txn, cat, ids, bytes, s.cancel);
      }
      return "DROP SEQUENCE";
    }
    if (c instanceof Command.AlterTable at) {
      return alterTable(s, txn, cat, db, at);
    }
    if (c instanceof Command.CreateDatabase cd) {
      if (cat.database(cd.name()) != null) {
        if (cd.ifNotExists()) {
          return "CREATE DATABASE";
        }
        throw new SqlException(SqlState.DUPLICATE_DATABASE, "database \"" + cd.name() + "\" already exists");
      }
      long id = s.engine.catalog.nextId(txn, s.cancel);
      s.engine.catalog.writeDescriptors(txn, cat, List.of(id),
          List.of(Catalog.serialize(new Catalog.Database(id, cd.name()))), s.cancel);
      return "CREATE DATABASE";
    }
    if (c instanceof Command.DropDatabase dd) {
      Catalog.Database d = cat.database(dd.name());
      if (d == null) {
        if (dd.ifExists()) {
          return "DROP DATABASE";
        }
        throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"" + dd.name() + "\" does not exist");
      }
      if (d.id() == s.database.id()) {
        throw new SqlException(SqlState.OBJECT_IN_USE, "cannot drop the currently open database");
      }
      if (cat.tables().values().stream().anyMatch(t -> t.databaseId() == d.id())
          || cat.sequences().values().stream().anyMatch(q -> q.databaseId() == d.id())) {
        throw SqlException.unsupported("DROP DATABASE of a database that still has tables or sequences");
      }
      s.engine.catalog.writeDescriptors(txn, cat, List.of(d.id()), java.util.Arrays.asList((byte[]) null), s.cancel);
      return "DROP DATABASE";
    }
    throw SqlException.unsupported(c.tag());
  }

  private static String createTable(Session s, Txn txn, Catalog cat, long db, Command.CreateTable ct)
      throws SqlException {
    if (cat.table(db, "public", ct.name()) != null || cat.sequence(db, "public", ct.name()) != null) {
      if (ct.ifNotExists()) {
        return "CREATE TABLE";
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + ct.name() + "\" already exists");
    }
    List<String> pkNames = new ArrayList<>(ct.primaryKey());
    for (Command.ColumnDef d : ct.columns()) {
      if (d.primaryKey()) {
        if (!pkNames.isEmpty()) {
          throw new SqlException(SqlState.INVALID_TABLE_DEFINITION,
              "multiple primary keys for table \"" + ct.name() + "\" are not allowed");
        }
        pkNames.add(d.name());
      }
    }
    long tableId = s.engine.catalog.nextId(txn, s.cancel);
    List<Long> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    List<TableDesc.Column> cols = new ArrayList<>();
    int colId = 1;
    for (Command.ColumnDef d : ct.columns()) {
      for (TableDesc.Column prev : cols) {
        if (prev.name().equals(d.name())) {
          throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" specified more than once");
        }
      }
      String seqName = null;
      boolean notNull = d.notNull() || pkNames.contains(d.name());
      if (d.serial()) {
        seqName = ct.name() + "_" + d.name() + "_seq";
        long seqId = s.engine.catalog.nextId(txn, s.cancel);
        long max = switch (d.type().pg()) {
          case INT2 -> Short.MAX_VALUE;
          case INT4 -> Integer.MAX_VALUE;
          default -> Long.MAX_VALUE;
        };
        ids.add(seqId);
        bytes.add(Catalog.serialize(new Catalog.SequenceDesc(seqId, db, "public", seqName, 1, 1, max, 1)));
        notNull = true;
      }
      cols.add(new TableDesc.Column(colId++, d.name(), d.type(), !notNull,
          d.serial() ? "nextval('" + seqName + "')" : d.defaultSql(), seqName, false));
    }
    int[] pkCols;
    if (pkNames.isEmpty()) {
      cols.add(new TableDesc.Column(colId, "rowid", ColumnType.of(PgType.INT8), false, null, null, true));
      pkCols = new int[] {cols.size() - 1};
    } else {
      pkCols = positions(cols, pkNames, ct.name());
    }
    List<TableDesc.Index> indexes = new ArrayList<>();
    indexes.add(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, ct.name() + "_pkey", true, pkCols,
        new boolean[pkCols.length]));
    List<List<String>> uniques = new ArrayList<>(ct.uniques());
    for (Command.ColumnDef d : ct.columns()) {
      if (d.unique()) {
        uniques.add(List.of(d.name()));
      }
    }
    for (List<String> u : uniques) {
      int[] uc = positions(cols, u, ct.name());
      indexes.add(new TableDesc.Index(indexes.size() + 1, ct.name() + "_" + String.join("_", u) + "_key",
          true, uc, new boolean[uc.length]));
    }
    TableDesc t = new TableDesc(tableId, db, "public", ct.name(), List.copyOf(cols), List.copyOf(indexes));
    ids.add(tableId);
    bytes.add(t.serialize());
    byte[] prefix = Catalog.tablePrefix(tableId);
    Kv.await(s.engine.kv.ensureSplitAt(prefix), s.cancel);
    Kv.await(s.engine.kv.ensureSplitAt(KeyEncoding.prefixEnd(prefix)), s.cancel);
    s.engine.catalog.writeDescriptors(txn, cat, ids, bytes, s.cancel);
    return "CREATE TABLE";
  }

  private static int[] positions(List<TableDesc.Column> cols, List<String> names, String table)
      throws SqlException {
    int[] out = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      out[i] = -1;
      for (int j = 0; j < cols.size(); j++) {
        if (cols.get(j).name().equals(names.get(i))) {
          out[i] = j;
        }
      }
      if (out[i] < 0) {
        throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + names.get(i)
            + "\" named in key does not exist");
      }
    }
    return out;
  }

  private static String createIndex(Session s, Txn txn, Catalog cat, long db, Command.CreateIndex ci)
      throws SqlException {
    TableDesc t = cat.table(db, "public", ci.table());
    if (t == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + ci.table() + "\" does not exist");
    }
    String name = ci.name() != null ? ci.name()
        : ci.table() + "_" + String.join("_", ci.columns()) + (ci.unique() ? "_key" : "_idx");
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.name().equals(name)) {
        if (ci.ifNotExists()) {
          return "CREATE INDEX";
        }
        throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
      }
    }
    int[] cols = new int[ci.columns().size()];
    boolean[] desc = new boolean[cols.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = t.columnIndex(ci.columns().get(i));
      if (cols[i] < 0) {
        throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + ci.columns().get(i) + "\" does not exist");
      }
      desc[i] = ci.descending().get(i);
    }
    int id = t.indexes().stream().mapToInt(TableDesc.Index::id).max().orElse(1) + 1;
    TableDesc.Index ix = new TableDesc.Index(id, name, ci.unique(), cols, desc);
    List<TableDesc.Index> indexes = new ArrayList<>(t.indexes());
    indexes.add(ix);
    TableDesc nt = new TableDesc(t.id(), t.databaseId(), t.schema(), t.name(), t.columns(), List.copyOf(indexes));
    // Backfill the new index from the existing rows.
    KvTable kt = new KvTable(nt, true);
    List<Mutation> ms = new ArrayList<>();
    TableDesc only = new TableDesc(t.id(), t.databaseId(), t.schema(), t.name(), t.columns(), List.of(t.primary(), ix));
    for (Object[] row : kt.read(txn, s.cancel, null)) {
      List<Mutation> tmp = new ArrayList<>();
      RowWriter.insert(only, row, tmp);
      ms.add(tmp.get(1));
    }
    if (!ms.isEmpty()) {
      s.onDuplicate(nt.id(), key -> uniqueIndexFailure(nt, name, key));
      try {
        Kv.await(txn.write(ms), s.cancel);
      } catch (KeyExistsException e) {
        throw uniqueIndexFailure(nt, name, e.key());
      }
    }
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "CREATE INDEX";
  }

  private static String alterTable(Session s, Txn txn, Catalog cat, long db, Command.AlterTable at)
      throws SqlException {
    TableDesc t = cat.table(db, "public", at.table());
    if (t == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + at.table() + "\" does not exist");
    }
    if (at.addColumn() != null) {
      Command.ColumnDef d = at.addColumn();
      if (t.columnIndex(d.name()) >= 0) {
        throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" of relation \""
            + t.name() + "\" already exists");
      }
      if (d.defaultSql() != null || d.notNull() || d.serial() || d.unique() || d.primaryKey()) {
        throw SqlException.unsupported("ALTER TABLE ADD COLUMN with DEFAULT, NOT NULL or a constraint");
      }
      int id = t.columns().stream().mapToInt(TableDesc.Column::id).max().orElse(0) + 1;
      List<TableDesc.Column> cols = new ArrayList<>(t.columns());
      cols.add(new TableDesc.Column(id, d.name(), d.type(), true, null, null, false));
      TableDesc nt = new TableDesc(t.id(), t.databaseId(), t.schema(), t.name(), List.copyOf(cols), t.indexes());
      s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
      return "ALTER TABLE";
    }
    // ADD PRIMARY KEY: only a table keyed by its hidden rowid; rows are rewritten under the new key.
    int rowid = t.primary().columns()[0];
    if (!t.columns().get(rowid).hidden()) {
      throw new SqlException(SqlState.INVALID_TABLE_DEFINITION,
          "multiple primary keys for table \"" + t.name() + "\" are not allowed");
    }
    if (rowid != t.columns().size() - 1) {
      throw SqlException.unsupported("ADD PRIMARY KEY on a table with columns added after creation");
    }
    List<TableDesc.Column> cols = new ArrayList<>(t.columns().subList(0, rowid));
    int[] pk = positions(cols, at.addPrimaryKey(), t.name());
    for (int c : pk) {
      TableDesc.Column col = cols.get(c);
      cols.set(c, new TableDesc.Column(col.id(), col.name(), col.type(), false, col.defaultSql(), col.sequence(), false));
    }
    List<TableDesc.Index> indexes = new ArrayList<>();
    indexes.add(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, t.name() + "_pkey", true, pk, new boolean[pk.length]));
    indexes.addAll(t.indexes().subList(1, t.indexes().size()));
    TableDesc nt = new TableDesc(t.id(), t.databaseId(), t.schema(), t.name(), List.copyOf(cols), List.copyOf(indexes));
    List<Object[]> rows = new KvTable(t, true).read(txn, s.cancel, null);
    deleteData(s, txn, t);
    List<Mutation> ms = new ArrayList<>();
    for (Object[] row : rows) {
      Object[] nr = Arrays.copyOf(row, rowid);
      for (int c : pk) {
        if (nr[c] == null) {
          throw new SqlException(SqlState.NOT_NULL_VIOLATION, "column \"" + cols.get(c).name()
              + "\" of relation \"" + t.name() + "\" contains null values");
        }
      }
      RowWriter.insert(nt, nr, ms);
      if (ms.size() >= 1000) {
        writeRewritten(s, txn, nt, ms);
        ms.clear();
      }
    }
    writeRewritten(s, txn, nt, ms);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "ALTER TABLE";
  }

  private static void writeRewritten(Session s, Txn txn, TableDesc nt, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    s.onDuplicate(nt.id(), key -> uniqueIndexFailure(nt, nt.name() + "_pkey", key));
    try {
      Kv.await(txn.write(ms), s.cancel);
    } catch (KeyExistsException e) {
      throw uniqueIndexFailure(nt, nt.name() + "_pkey", e.key());
    }
  }

  /** 23505 for a backfill that met two rows with the same key of new unique index {@code name}. */
  private static SqlException uniqueIndexFailure(TableDesc nt, String name, byte[] key) {
    SqlException d = RowWriter.duplicate(nt, key, null);
    return new SqlException(SqlState.UNIQUE_VIOLATION, "could not create unique index \"" + name + "\"",
        d.detail() == null ? null : d.detail().replace("already exists", "is duplicated"), null, null);
  }

  /**
   * Removes secondary indexes: each one's descriptor entry and its KV span, in the DDL's
   * transaction; the version bump makes every plan that used it stale.
   */
  private static String dropIndex(Session s, Txn txn, Catalog cat, long db, Command.DropIndex di)
      throws SqlException {
    java.util.Map<Long, TableDesc> changed = new java.util.LinkedHashMap<>();
    for (String name : di.names()) {
      TableDesc owner = null;
      TableDesc.Index found = null;
      for (TableDesc t : cat.tables().values()) {
        TableDesc cur = changed.getOrDefault(t.id(), t);
        if (cur.databaseId() != db) {
          continue;
        }
        for (TableDesc.Index ix : cur.indexes()) {
          if (ix.name().equals(name)) {
            owner = cur;
            found = ix;
          }
        }
      }
      if (found == null) {
        if (di.ifExists()) {
          continue; // NB: PostgreSQL also sends NOTICE: index "name" does not exist, skipping
        }
        throw new SqlException(SqlState.UNDEFINED_OBJECT, "index \"" + name + "\" does not exist");
      }
      if (found.id() == owner.primary().id()) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop index " + name
            + " because constraint " + name + " on table " + owner.name() + " requires it", null,
            "You can drop constraint " + name + " on table " + owner.name() + " instead.", null);
      }
      deleteSpan(s, txn, Catalog.indexPrefix(owner.id(), found.id()));
      List<TableDesc.Index> rest = new ArrayList<>(owner.indexes());
      rest.remove(found);
      changed.put(owner.id(), new TableDesc(owner.id(), owner.databaseId(), owner.schema(), owner.name(),
          owner.columns(), List.copyOf(rest)));
    }
    if (!changed.isEmpty()) {
      List<byte[]> bytes = new ArrayList<>();
      for (TableDesc t : changed.values()) {
        bytes.add(t.serialize());
      }
      s.engine.catalog.writeDescriptors(txn, cat, List.copyOf(changed.keySet()), bytes, s.cancel);
    }
    return "DROP INDEX";
  }

  private static void deleteData(Session s, Txn txn, TableDesc t) throws SqlException {
    deleteSpan(s, txn, Catalog.tablePrefix(t.id()));
  }

  /** Deletes every key that starts with {@code prefix}, a page at a time. */
  private static void deleteSpan(Session s, Txn txn, byte[] prefix) throws SqlException {
    byte[] start = prefix;
    byte[] end = KeyEncoding.prefixEnd(start);
    while (true) {
      List<KeyValue> page = Kv.await(txn.scan(start, end, 1000), s.cancel);
      if (page.isEmpty()) {
        return;
      }
      List<Mutation> ms = new ArrayList<>();
      for (KeyValue kv : page) {
        ms.add(new Mutation.Delete(kv.key()));
      }
      Kv.await(txn.write(ms), s.cancel);
      byte[] last = page.get(page.size() - 1).key();
      start = Arrays.copyOf(last, last.length + 1);
    }
  }

  static long nextval(Session s, Catalog cat, String name) throws SqlException {
    Catalog.SequenceDesc seq = cat.sequence(s.database.id(), "public", name);
    if (seq == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
    }
    long v = s.engine.sequences.nextval(seq);
    s.currvals.put(name, v);
    return v;
  }
}
