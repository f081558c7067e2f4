package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlDropTable;
import org.troupedb.sql.parser.ast.SqlTruncateTable;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;

/**
 * DROP TABLE, TRUNCATE and DROP DATABASE: the data spans deleted a page at a time and the
 * descriptors (with dependent views, sequences, comments and foreign keys) removed or rewritten in
 * the DDL's transaction.
 */
final class DropDdl {
  private DropDdl() {}

  /** DROP TABLE: the tables' data, descriptors, sequences and comments, with dependent views (CASCADE). */
  static String dropTables(StatementContext cx, long db, SqlDropTable dt) throws SqlException {
    List<Long> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    List<TableDesc> dropped = new ArrayList<>();
    for (SqlIdentifier id : dt.names()) {
      String n = Ddl.objectName(cx, id);
      TableDesc t = cx.catalog().table(db, "public", n);
      if (t == null && cx.catalog().view(db, "public", n) != null) {
        throw new SqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + n + "\" is not a table", null,
            "Use DROP VIEW to remove a view.", null);
      }
      if (t == null) {
        if (dt.ifExists()) {
          continue;
        }
        throw new SqlException(SqlState.UNDEFINED_TABLE, "table \"" + n + "\" does not exist");
      }
      dropped.add(t);
    }
    java.util.Map<Long, TableDesc> children = dependentForeignKeys(cx.catalog(), dropped, dt.cascade());
    for (long view : ViewDdl.dependentViewsOfTables(cx.catalog(), dropped, dt.cascade())) {
      ids.add(view);
      bytes.add(null);
    }
    for (TableDesc t : dropped) {
      deleteData(cx, t);
      ids.add(t.id());
      bytes.add(null);
      for (TableDesc.Column col : t.columns()) {
        Catalog.SequenceDesc seq = col.sequence() == null ? null : cx.catalog().sequence(db, "public", col.sequence());
        if (seq != null) {
          ids.add(seq.id());
          bytes.add(null);
        }
      }
    }
    for (long comment : CommentDdl.commentsOn(cx.catalog(), List.copyOf(ids))) {
      ids.add(comment);
      bytes.add(null);
    }
    for (TableDesc c : children.values()) {
      ids.add(c.id());
      bytes.add(c.serialize());
    }
    if (!ids.isEmpty()) {
      cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, bytes, cx.cancel());
    }
    return "DROP TABLE";
  }

  /** TRUNCATE: deletes the tables' rows; 0A000 for a table referenced from a table not truncated with it. */
  static String truncate(StatementContext cx, SqlTruncateTable tr) throws SqlException {
    List<TableDesc> ts = new ArrayList<>();
    for (SqlIdentifier id : tr.names()) {
      ts.add(Ddl.table(cx, id));
    }
    for (TableDesc t : ts) {
      for (Catalog.Reference r : cx.catalog().referencing(t.id())) {
        if (ts.stream().noneMatch(o -> o.id() == r.table().id())) {
          throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED, "cannot truncate a table referenced in a foreign"
              + " key constraint", "Table \"" + r.table().name() + "\" references \"" + t.name() + "\".",
              "Truncate table \"" + r.table().name() + "\" at the same time, or use TRUNCATE ... CASCADE.", null);
        }
      }
    }
    for (TableDesc t : ts) {
      deleteData(cx, t);
    }
    return "TRUNCATE TABLE";
  }

  /** DROP DATABASE: the database with its tables, views and sequences, as in PostgreSQL. */
  static String dropDatabase(StatementContext cx, SqlDropDatabase dd) throws SqlException {
    String name = dd.name().getSimple();
    Catalog.Database d = cx.catalog().database(name);
    if (d == null) {
      if (dd.ifExists()) {
        return "DROP DATABASE";
      }
      throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"" + name + "\" does not exist");
    }
    if (d.id() == cx.databaseId()) {
      throw new SqlException(SqlState.OBJECT_IN_USE, "cannot drop the currently open database");
    }
    // As in PostgreSQL, the database's tables, views and sequences go with it.
    List<Long> ids = new ArrayList<>(List.of(d.id()));
    for (TableDesc t : cx.catalog().tables().values()) {
      if (t.databaseId() == d.id()) {
        deleteData(cx, t);
        ids.add(t.id());
      }
    }
    cx.catalog().sequences().values().stream().filter(q -> q.databaseId() == d.id()).forEach(q -> ids.add(q.id()));
    cx.catalog().views().values().stream().filter(v -> v.databaseId() == d.id()).forEach(v -> ids.add(v.id()));
    ids.addAll(CommentDdl.commentsOn(cx.catalog(), List.copyOf(ids)));
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, Arrays.asList(new byte[ids.size()][]), cx.cancel());
    return "DROP DATABASE";
  }

  /**
   * The tables not being dropped whose foreign keys reference one of {@code dropped}, without
   * those foreign keys (DROP TABLE … CASCADE); 2BP01 as PostgreSQL reports it without CASCADE.
   */
  private static java.util.Map<Long, TableDesc> dependentForeignKeys(Catalog cat, List<TableDesc> dropped,
      boolean cascade) throws SqlException {
    java.util.Set<Long> gone = new java.util.HashSet<>();
    dropped.forEach(t -> gone.add(t.id()));
    java.util.Map<Long, TableDesc> changed = new java.util.LinkedHashMap<>();
    for (TableDesc t : dropped) {
      List<String> deps = new ArrayList<>();
      for (Catalog.Reference r : cat.referencing(t.id())) {
        if (gone.contains(r.table().id())) {
          continue;
        }
        deps.add("constraint " + r.fk().name() + " on table " + r.table().name() + " depends on table " + t.name());
        TableDesc c = changed.getOrDefault(r.table().id(), r.table());
        List<TableDesc.ForeignKey> fks = new ArrayList<>(c.foreignKeys());
        fks.remove(r.fk());
        changed.put(c.id(), c.withForeignKeys(fks));
      }
      if (!deps.isEmpty() && !cascade) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop table " + t.name()
            + " because other objects depend on it", String.join("\n", deps),
            "Use DROP ... CASCADE to drop the dependent objects too.", null);
      }
    }
    return changed;
  }

  static void deleteData(StatementContext cx, TableDesc t) throws SqlException {
    deleteSpan(cx, Catalog.tablePrefix(t.id()));
  }

  /** Deletes every key that starts with {@code prefix}, a page at a time. */
  static void deleteSpan(StatementContext cx, byte[] prefix) throws SqlException {
    byte[] start = prefix;
    byte[] end = KeyEncoding.prefixEnd(start);
    while (true) {
      List<KeyValue> page = Kv.await(cx.txn().scan(start, end, 1000), cx.cancel());
      if (page.isEmpty()) {
        return;
      }
      List<Mutation> ms = new ArrayList<>();
      for (KeyValue kv : page) {
        ms.add(new Mutation.Delete(kv.key()));
      }
      Kv.await(cx.txn().write(ms), cx.cancel());
      byte[] last = page.get(page.size() - 1).key();
      start = Arrays.copyOf(last, last.length + 1);
    }
  }
}
