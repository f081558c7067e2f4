package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlCreateIndex;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;

/**
 * CREATE INDEX and DROP INDEX: a new index is backfilled from the table's rows in the DDL's
 * transaction (23505 if a unique one meets a duplicate); a dropped one's KV span is deleted.
 */
final class IndexDdl {
  private IndexDdl() {}

  static String createIndex(StatementContext cx, long db, SqlCreateIndex ci)
      throws SqlException {
    if (ci.using() != null && !ci.using().equals("btree")) {
      throw SqlException.unsupported("index access method \"" + ci.using() + "\"");
    }
    TableDesc t = Ddl.table(cx, ci.table());
    List<String> columns = ci.columnNames();
    String name = ci.name() != null ? ci.name().getSimple()
        : t.name() + "_" + String.join("_", columns) + (ci.unique() ? "_key" : "_idx");
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.name().equals(name)) {
        if (ci.ifNotExists()) {
          return "CREATE INDEX";
        }
        throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
      }
    }
    int[] cols = new int[columns.size()];
    boolean[] desc = new boolean[cols.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = t.columnIndex(columns.get(i));
      if (cols[i] < 0) {
        throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + columns.get(i) + "\" does not exist");
      }
      desc[i] = ci.descending().get(i);
    }
    int id = t.indexes().stream().mapToInt(TableDesc.Index::id).max().orElse(1) + 1;
    TableDesc.Index ix = new TableDesc.Index(id, name, ci.unique(), cols, desc);
    List<TableDesc.Index> indexes = new ArrayList<>(t.indexes());
    indexes.add(ix);
    TableDesc nt = t.withIndexes(indexes);
    TableDdl.refuseJsonKeys(nt);
    backfill(cx, t, nt);
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(t.id()), List.of(nt.serialize()), cx.cancel());
    return "CREATE INDEX";
  }

  /** Writes the entries of the indexes {@code nt} has and {@code t} has not, from {@code t}'s rows. */
  static void backfill(StatementContext cx, TableDesc t, TableDesc nt) throws SqlException {
    KvTable kt = new KvTable(t, true);
    List<Object[]> rows = null;
    for (TableDesc.Index ix : nt.indexes()) {
      if (t.indexes().stream().anyMatch(o -> o.id() == ix.id())) {
        continue;
      }
      if (rows == null) {
        rows = kt.read(cx.txn(), cx.cancel(), null);
      }
      List<Mutation> ms = new ArrayList<>();
      TableDesc only = t.withIndexes(List.of(t.primary(), ix));
      for (Object[] row : rows) {
        List<Mutation> tmp = new ArrayList<>();
        RowWriter.insert(only, row, tmp);
        ms.add(tmp.get(1));
      }
      if (!ms.isEmpty()) {
        cx.session().onDuplicate(nt.id(), key -> uniqueIndexFailure(nt, ix.name(), key));
        try {
          Kv.await(cx.txn().write(ms), cx.cancel());
        } catch (KeyExistsException e) {
          throw uniqueIndexFailure(nt, ix.name(), e.key());
        }
      }
    }
  }

  /** 23505 for a backfill that met two rows with the same key of new unique index {@code name}. */
  static SqlException uniqueIndexFailure(TableDesc nt, String name, byte[] key) {
    SqlException d = RowWriter.duplicate(nt, key, null);
    return new SqlException(SqlState.UNIQUE_VIOLATION, "could not create unique index \"" + name + "\"",
        d.detail() == null ? null : d.detail().replace("already exists", "is duplicated"), null, null);
  }

  /**
   * Removes secondary indexes: each one's descriptor entry and its KV span, in the DDL's
   * transaction; the version bump makes every plan that used it stale.
   */
  static String dropIndex(StatementContext cx, long db, List<String> names, boolean ifExists)
      throws SqlException {
    java.util.Map<Long, TableDesc> changed = new java.util.LinkedHashMap<>();
    for (String name : names) {
      TableDesc owner = null;
      TableDesc.Index found = null;
      for (TableDesc t : cx.catalog().tables().values()) {
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
        if (ifExists) {
          continue; // NB: PostgreSQL also sends NOTICE: index "name" does not exist, skipping
        }
        throw new SqlException(SqlState.UNDEFINED_OBJECT, "index \"" + name + "\" does not exist");
      }
      if (found.id() == owner.primary().id()) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop index " + name
            + " because constraint " + name + " on table " + owner.name() + " requires it", null,
            "You can drop constraint " + name + " on table " + owner.name() + " instead.", null);
      }
      DropDdl.deleteSpan(cx, Catalog.indexPrefix(owner.id(), found.id()));
      List<TableDesc.Index> rest = new ArrayList<>(owner.indexes());
      rest.remove(found);
      changed.put(owner.id(), owner.withIndexes(rest));
    }
    if (!changed.isEmpty()) {
      List<byte[]> bytes = new ArrayList<>();
      for (TableDesc t : changed.values()) {
        bytes.add(t.serialize());
      }
      cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.copyOf(changed.keySet()), bytes, cx.cancel());
    }
    return "DROP INDEX";
  }

}
