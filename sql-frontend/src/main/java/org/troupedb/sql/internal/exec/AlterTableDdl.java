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
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlTableConstraint;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;

/**
 * ALTER TABLE: dispatches the column actions ({@link ColumnDdl} ADD / DROP COLUMN, {@link
 * RenameDdl}, {@link AlterColumnDdl}) and runs ADD PRIMARY KEY (a table keyed by its hidden rowid:
 * rows rewritten under the new key), ADD UNIQUE / CHECK / FOREIGN KEY validated against the
 * existing rows, and DROP CONSTRAINT.
 */
final class AlterTableDdl {
  private AlterTableDdl() {}

  static String alterTable(StatementContext cx, long db, SqlAlterTable at, String sql)
      throws SqlException {
    if (at.ifExists() && cx.catalog().table(db, "public", Ddl.objectName(cx, at.name())) == null) {
      return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: relation "name" does not exist, skipping
    }
    TableDesc t = Ddl.table(cx, at.name());
    switch (at.action()) {
      case ADD_COLUMN -> {
        return ColumnDdl.addColumn(cx, t, at, sql);
      }
      case ADD_CONSTRAINT -> {
        if (!(at.constraint() instanceof SqlTableConstraint tc && tc.primaryKey())) {
          return addConstraint(cx, t, at.constraint(), sql);
        }
      }
      case DROP_CONSTRAINT -> {
        return dropConstraint(cx, t, ((SqlIdentifier) at.constraint()).getSimple(), at.columnIfExists());
      }
      case DROP_COLUMN -> {
        return ColumnDdl.dropColumn(cx, t, at);
      }
      case RENAME_TABLE -> {
        return RenameDdl.renameTable(cx, t, at);
      }
      case RENAME_COLUMN -> {
        return RenameDdl.renameColumn(cx, t, at);
      }
      default -> {
        return AlterColumnDdl.alterColumn(cx, t, at, sql);
      }
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
    TableDdl.refuseJsonKeys(nt);
    List<Object[]> rows = new KvTable(t, true).read(cx.txn(), cx.cancel(), null);
    DropDdl.deleteData(cx, t);
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
        writeRewritten(cx, nt, ms);
        ms.clear();
      }
    }
    writeRewritten(cx, nt, ms);
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(t.id()), List.of(nt.serialize()), cx.cancel());
    return "ALTER TABLE";
  }

  /** ALTER TABLE ADD UNIQUE / CHECK / FOREIGN KEY, validated against the existing rows. */
  static String addConstraint(StatementContext cx, TableDesc t, SqlNode c, String sql)
      throws SqlException {
    TableDesc nt;
    if (c instanceof SqlTableConstraint u) {
      int[] cols = TableDdl.positions(t.columns(), u.columnNames(), t.name());
      String name = u.name() != null ? u.name().getSimple()
          : ConstraintDdl.unusedName(t, t.name() + "_" + String.join("_", u.columnNames()) + "_key");
      if (cx.catalog().tables().values().stream().anyMatch(o -> o.databaseId() == t.databaseId()
          && (o.name().equals(name) || o.indexes().stream().anyMatch(i -> i.name().equals(name))))) {
        throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
      }
      int id = t.indexes().stream().mapToInt(TableDesc.Index::id).max().orElse(1) + 1;
      List<TableDesc.Index> indexes = new ArrayList<>(t.indexes());
      indexes.add(new TableDesc.Index(id, name, true, cols, new boolean[cols.length]));
      nt = t.withIndexes(indexes);
      TableDdl.refuseJsonKeys(nt);
    } else {
      nt = ConstraintDdl.add(cx, t, List.of(c), sql);
      ConstraintDdl.validateExisting(cx, t, nt);
    }
    IndexDdl.backfill(cx, t, nt);
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(t.id()), List.of(nt.serialize()), cx.cancel());
    return "ALTER TABLE";
  }

  /** ALTER TABLE DROP CONSTRAINT: a CHECK, a foreign key or a UNIQUE constraint (its index). */
  static String dropConstraint(StatementContext cx, TableDesc t, String name, boolean ifExists)
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
        for (Catalog.Reference r : cx.catalog().referencing(t.id())) {
          if (ForeignKeys.referencedIndex(t, r.fk().refColumns()) == ix) {
            throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop constraint " + name
                + " on table " + t.name() + " because other objects depend on it", "constraint " + r.fk().name()
                + " on table " + r.table().name() + " depends on index " + name,
                "Use DROP ... CASCADE to drop the dependent objects too.", null);
          }
        }
        IndexDdl.dropIndex(cx, t.databaseId(), List.of(name), false);
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
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(t.id()), List.of(nt.serialize()), cx.cancel());
    return "ALTER TABLE";
  }

  private static void writeRewritten(StatementContext cx, TableDesc nt, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    cx.session().onDuplicate(nt.id(), key -> IndexDdl.uniqueIndexFailure(nt, nt.name() + "_pkey", key));
    try {
      Kv.await(cx.txn().write(ms), cx.cancel());
    } catch (KeyExistsException e) {
      throw IndexDdl.uniqueIndexFailure(nt, nt.name() + "_pkey", e.key());
    }
  }

}
