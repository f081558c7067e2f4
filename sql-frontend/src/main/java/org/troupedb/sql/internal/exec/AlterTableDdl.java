package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.session.Session;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlTableConstraint;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * ALTER TABLE: ADD COLUMN (nullable, without a default), ADD PRIMARY KEY (a table keyed by its
 * hidden rowid: rows rewritten under the new key), ADD UNIQUE / CHECK / FOREIGN KEY validated
 * against the existing rows, DROP CONSTRAINT.
 */
final class AlterTableDdl {
  private AlterTableDdl() {}

  static String alterTable(Session s, Txn txn, Catalog cat, long db, SqlAlterTable at, String sql)
      throws SqlException {
    if (at.ifExists() && cat.table(db, "public", Ddl.objectName(s, at.name())) == null) {
      return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: relation "name" does not exist, skipping
    }
    TableDesc t = Ddl.table(s, cat, at.name());
    switch (at.action()) {
      case ADD_COLUMN -> { }
      case ADD_CONSTRAINT -> {
        if (!(at.constraint() instanceof SqlTableConstraint tc && tc.primaryKey())) {
          return addConstraint(s, txn, cat, t, at.constraint(), sql);
        }
      }
      case DROP_CONSTRAINT -> {
        return dropConstraint(s, txn, cat, t, ((SqlIdentifier) at.constraint()).getSimple(), at.columnIfExists());
      }
      case DROP_COLUMN -> throw SqlException.unsupported("ALTER TABLE DROP COLUMN");
      default -> throw SqlException.unsupported("ALTER TABLE RENAME");
    }
    if (at.action() == SqlAlterTable.Action.ADD_COLUMN) {
      TableDdl.ColumnDef d = TableDdl.columnDef(at.column(), sql);
      if (t.columnIndex(d.name()) >= 0) {
        if (at.columnIfExists()) {
          return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: column "name" ... already exists, skipping
        }
        throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" of relation \""
            + t.name() + "\" already exists");
      }
      if (d.defaultSql() != null || d.notNull() || d.serial() || d.unique() || d.primaryKey()) {
        throw SqlException.unsupported("ALTER TABLE ADD COLUMN with DEFAULT, NOT NULL or a constraint");
      }
      int id = t.columns().stream().mapToInt(TableDesc.Column::id).max().orElse(0) + 1;
      List<TableDesc.Column> cols = new ArrayList<>(t.columns());
      cols.add(new TableDesc.Column(id, d.name(), d.type(), true, null, null, false));
      TableDesc nt = t.withColumns(cols);
      s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
      return "ALTER TABLE";
    }
    // ADD PRIMARY KEY: only a table keyed by its hidden rowid; rows are rewritten under the new key.
    int rowid = t.primary().columns()[0];
    if (!t.columns().get(rowid).hidden()) {
      throw TableDdl.multiplePrimaryKeys(t.name());
    }
    if (rowid != t.columns().size() - 1) {
      throw SqlException.unsupported("ADD PRIMARY KEY on a table with columns added after creation");
    }
    List<TableDesc.Column> cols = new ArrayList<>(t.columns().subList(0, rowid));
    int[] pk = TableDdl.positions(cols, ((SqlTableConstraint) at.constraint()).columnNames(), t.name());
    for (int c : pk) {
      TableDesc.Column col = cols.get(c);
      cols.set(c, new TableDesc.Column(col.id(), col.name(), col.type(), false, col.defaultSql(), col.sequence(), false));
    }
    List<TableDesc.Index> indexes = new ArrayList<>();
    indexes.add(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, t.name() + "_pkey", true, pk, new boolean[pk.length]));
    indexes.addAll(t.indexes().subList(1, t.indexes().size()));
    TableDesc nt = t.withColumns(cols).withIndexes(indexes);
    List<Object[]> rows = new KvTable(t, true).read(txn, s.cancel, null);
    DropDdl.deleteData(s, txn, t);
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

  /** ALTER TABLE ADD UNIQUE / CHECK / FOREIGN KEY, validated against the existing rows. */
  static String addConstraint(Session s, Txn txn, Catalog cat, TableDesc t, SqlNode c, String sql)
      throws SqlException {
    TableDesc nt;
    if (c instanceof SqlTableConstraint u) {
      int[] cols = TableDdl.positions(t.columns(), u.columnNames(), t.name());
      String name = u.name() != null ? u.name().getSimple()
          : ConstraintDdl.unusedName(t, t.name() + "_" + String.join("_", u.columnNames()) + "_key");
      if (cat.tables().values().stream().anyMatch(o -> o.databaseId() == t.databaseId()
          && (o.name().equals(name) || o.indexes().stream().anyMatch(i -> i.name().equals(name))))) {
        throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
      }
      int id = t.indexes().stream().mapToInt(TableDesc.Index::id).max().orElse(1) + 1;
      List<TableDesc.Index> indexes = new ArrayList<>(t.indexes());
      indexes.add(new TableDesc.Index(id, name, true, cols, new boolean[cols.length]));
      nt = t.withIndexes(indexes);
    } else {
      nt = ConstraintDdl.add(s, cat, t, List.of(c), sql);
      ConstraintDdl.validateExisting(s, txn, cat, t, nt);
    }
    IndexDdl.backfill(s, txn, t, nt);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "ALTER TABLE";
  }

  /** ALTER TABLE DROP CONSTRAINT: a CHECK, a foreign key or a UNIQUE constraint (its index). */
  static String dropConstraint(Session s, Txn txn, Catalog cat, TableDesc t, String name, boolean ifExists)
      throws SqlException {
    TableDesc nt = null;
    for (TableDesc.Check c : t.checks()) {
      if (c.name().equals(name)) {
        List<TableDesc.Check> rest = new ArrayList<>(t.checks());
        rest.remove(c);
        nt = t.withChecks(rest);
      }
    }
    for (TableDesc.ForeignKey f : t.foreignKeys()) {
      if (f.name().equals(name)) {
        List<TableDesc.ForeignKey> rest = new ArrayList<>(t.foreignKeys());
        rest.remove(f);
        nt = t.withForeignKeys(rest);
      }
    }
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.name().equals(name) && ix.unique()) {
        if (ix.id() == t.primary().id()) {
          throw SqlException.unsupported("dropping a primary key");
        }
        for (Catalog.Reference r : cat.referencing(t.id())) {
          if (ForeignKeys.referencedIndex(t, r.fk().refColumns()) == ix) {
            throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop constraint " + name
                + " on table " + t.name() + " because other objects depend on it", "constraint " + r.fk().name()
                + " on table " + r.table().name() + " depends on index " + name,
                "Use DROP ... CASCADE to drop the dependent objects too.", null);
          }
        }
        IndexDdl.dropIndex(s, txn, cat, t.databaseId(), List.of(name), false);
        return "ALTER TABLE";
      }
    }
    if (nt == null) {
      if (ifExists) {
        return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: constraint "name" ... does not exist, skipping
      }
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "constraint \"" + name + "\" of relation \"" + t.name()
          + "\" does not exist");
    }
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "ALTER TABLE";
  }

  private static void writeRewritten(Session s, Txn txn, TableDesc nt, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    s.onDuplicate(nt.id(), key -> IndexDdl.uniqueIndexFailure(nt, nt.name() + "_pkey", key));
    try {
      Kv.await(txn.write(ms), s.cancel);
    } catch (KeyExistsException e) {
      throw IndexDdl.uniqueIndexFailure(nt, nt.name() + "_pkey", e.key());
    }
  }

}
