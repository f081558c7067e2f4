package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.DmlTrees;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * Writes the rows of an INSERT, UPDATE or DELETE in the statement's transaction: each row
 * completed and checked (NOT NULL, CHECK), its index entries, ON CONFLICT handled row by row, and
 * the foreign keys checked after the rows are written.
 */
final class DmlWrites {
  private DmlWrites() {}

  /** Writes {@code ms} to table {@code t}; a duplicate key is 23505 naming {@code t}'s constraint. */
  static void write(StatementContext cx, TableDesc t, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    cx.session().onDuplicate(t.id(), key -> RowWriter.duplicate(t, key, null));
    try {
      Kv.await(cx.txn().write(ms), cx.cancel());
    } catch (KeyExistsException e) {
      throw RowWriter.duplicate(t, e.key(), null);
    }
  }

  /** Inserts the source {@code rows} (values of the targeted columns); returns the rows written. */
  static List<Object[]> insert(StatementContext cx, DmlPlan.Write p, List<Object[]> rows) throws SqlException {
    Txn txn = cx.txn();
    Catalog cat = cx.catalog();
    List<Object[]> written = new ArrayList<>();
    TableDesc t = p.table();
    int[] targets = p.targets();
    boolean[] targeted = new boolean[t.columns().size()];
    for (int c : targets) {
      targeted[c] = true;
    }
    boolean perRow = VolatileDefaults.any(t, targeted);
    Object[] defaults = perRow ? null : NewRows.defaults(cx, t, targeted); // per row: no extra nextval call
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] full = new Object[t.columns().size()];
      for (int j = 0; j < targets.length; j++) {
        full[targets[j]] = t.columns().get(targets[j]).type().coerce(r[j]);
      }
      NewRows.complete(cx, t, targeted, perRow ? NewRows.defaults(cx, t, targeted) : defaults, full);
      if (p.onConflict()) {
        Object[] row = insertOrUpdate(cx, p, full);
        if (row != null) {
          written.add(row);
        }
        continue;
      }
      Checks.verify(cx, t, full);
      RowWriter.insert(t, full, ms);
      written.add(full);
    }
    write(cx, t, ms);
    if (!p.onConflict()) {
      ForeignKeys.checkReferences(cx, t, written);
    }
    return written;
  }

  /**
   * ON CONFLICT for one new row {@code full}: inserts it if no row conflicts, else applies DO
   * UPDATE (when its WHERE holds); returns the row written, or null.
   */
  private static Object[] insertOrUpdate(StatementContext cx, DmlPlan.Write p, Object[] full) throws SqlException {
    Txn txn = cx.txn();
    Catalog cat = cx.catalog();
    TableDesc t = p.table();
    Checks.verify(cx, t, full);
    Object[] existing = conflicting(cx, t, full);
    if (existing == null) {
      List<Mutation> one = new ArrayList<>();
      RowWriter.insert(t, full, one);
      write(cx, t, one);
      ForeignKeys.checkReferences(cx, t, List.<Object[]>of(full));
      return full;
    }
    if (p.conflictUpdate() == null) {
      return null;
    }
    List<Integer> vis = DmlTrees.visibleColumns(t);
    Object[] params = new Object[vis.size() * 2];
    System.arraycopy(DmlTrees.valuesOf(existing, vis), 0, params, 0, vis.size());
    System.arraycopy(DmlTrees.valuesOf(full, vis), 0, params, vis.size(), vis.size());
    Object[] upd = PlanRunner.run(cx, p.conflictUpdate(), params).get(0);
    if (!Boolean.TRUE.equals(upd[vis.size()])) {
      return null;
    }
    Object[] nw = existing.clone();
    for (int i = 0; i < vis.size(); i++) {
      nw[vis.get(i)] = t.columns().get(vis.get(i)).type().coerce(upd[i]);
    }
    NewRows.checkNotNull(t, nw);
    Checks.verify(cx, t, nw);
    List<Mutation> del = new ArrayList<>();
    List<Mutation> wr = new ArrayList<>();
    RowWriter.update(t, existing, nw, del, wr);
    del.addAll(wr);
    write(cx, t, del);
    ForeignKeys.afterUpdate(cx, t, List.<Object[]>of(existing), List.<Object[]>of(nw));
    return nw;
  }

  /** The existing row that {@code row} conflicts with on the primary key or a unique index, or null. */
  private static Object[] conflicting(StatementContext cx, TableDesc t, Object[] row) throws SqlException {
    Txn txn = cx.txn();
    KvTable kt = new KvTable(t, true);
    byte[] pk = RowWriter.primaryKey(t, row);
    byte[] v = Kv.await(txn.get(pk), cx.cancel());
    if (v != null) {
      return kt.decodeRow(pk, v);
    }
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      byte[] entry = RowWriter.uniqueEntryKey(t, ix, row);
      if (entry == null) {
        continue;
      }
      byte[] target = Kv.await(txn.get(entry), cx.cancel());
      if (target != null) {
        byte[] rv = Kv.await(txn.get(target), cx.cancel());
        if (rv != null) {
          return kt.decodeRow(target, rv);
        }
      }
    }
    return null;
  }

  /** Updates the source {@code rows} (every column, then the new values of the targets); returns the new rows. */
  static List<Object[]> update(StatementContext cx, DmlPlan.Write p, List<Object[]> rows) throws SqlException {
    Txn txn = cx.txn();
    Catalog cat = cx.catalog();
    TableDesc t = p.table();
    List<Object[]> written = new ArrayList<>();
    List<Object[]> olds = new ArrayList<>();
    int n = t.columns().size();
    List<Mutation> deletes = new ArrayList<>();
    List<Mutation> writes = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] old = Arrays.copyOf(r, n);
      Object[] nw = old.clone();
      for (int j = 0; j < p.targets().length; j++) {
        nw[p.targets()[j]] = t.columns().get(p.targets()[j]).type().coerce(r[n + j]);
      }
      NewRows.checkNotNull(t, nw);
      Checks.verify(cx, t, nw);
      RowWriter.update(t, old, nw, deletes, writes);
      written.add(nw);
      olds.add(old);
    }
    deletes.addAll(writes);
    write(cx, t, deletes);
    ForeignKeys.afterUpdate(cx, t, olds, written);
    return written;
  }

  /** Deletes the source {@code rows} (every column); returns them. */
  static List<Object[]> delete(StatementContext cx, DmlPlan.Write p, List<Object[]> rows) throws SqlException {
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      RowWriter.delete(p.table(), r, ms);
    }
    write(cx, p.table(), ms);
    ForeignKeys.afterDelete(cx, p.table(), rows);
    return rows;
  }
}
