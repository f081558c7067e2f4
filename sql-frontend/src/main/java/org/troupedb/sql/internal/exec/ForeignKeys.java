package org.troupedb.sql.internal.exec;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.TableDesc.FkAction;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.txn.Mutation;

/**
 * Foreign keys, enforced inside the writing transaction after a statement has written its rows
 * (so rows of one statement may reference each other, as with PostgreSQL's end-of-statement
 * checks):
 *
 * <pre>
 *   referencing row written  → GET the referenced key (primary key or unique index entry)
 *                              in the same transaction; missing → 23503
 *   referenced row deleted   → read the referencing rows through the index on the
 *   or its key updated         referencing columns (one is created with the constraint);
 *                              CASCADE / SET NULL / SET DEFAULT write them, NO ACTION /
 *                              RESTRICT → 23503
 * </pre>
 *
 * Both sides READ the other side's keys inside their transaction, so the serializable machinery
 * (timestamp cache, read refresh, intents) orders a child insert and a parent delete that run
 * concurrently: one of them fails with 40001, never both commit.
 */
final class ForeignKeys {
  private ForeignKeys() {}

  /** Referential actions nest at most this deep (PostgreSQL has no limit but the stack). */
  private static final int MAX_DEPTH = 64;

  /** Checks that every row of {@code rows} (full rows of {@code t}) finds the rows it references. */
  static void checkReferences(StatementContext cx, TableDesc t, List<Object[]> rows)
      throws SqlException {
    for (TableDesc.ForeignKey f : t.foreignKeys()) {
      checkReferences(cx, t, f, rows);
    }
  }

  /** {@link #checkReferences} for one foreign key. */
  static void checkReferences(StatementContext cx, TableDesc t, TableDesc.ForeignKey f,
      List<Object[]> rows) throws SqlException {
    TableDesc parent = cx.catalog().tables().get(f.refTable());
    Set<ByteBuffer> seen = new HashSet<>();
    List<CompletionStage<byte[]>> gets = new ArrayList<>();
    List<Object[]> asked = new ArrayList<>();
    for (Object[] row : rows) {
      if (!references(t, f, row)) {
        continue;
      }
      byte[] key = referencedKey(parent, f, row, t);
      if (seen.add(ByteBuffer.wrap(key))) {
        gets.add(cx.txn().get(key));
        asked.add(row);
      }
    }
    for (int i = 0; i < gets.size(); i++) {
      if (Kv.await(gets.get(i), cx.cancel()) == null) {
        Object[] row = asked.get(i);
        throw new SqlException(SqlState.FOREIGN_KEY_VIOLATION, "insert or update on table \"" + t.name()
            + "\" violates foreign key constraint \"" + f.name() + "\"",
            "Key " + keyText(t, f.columns(), row) + " is not present in table \"" + parent.name() + "\".", null, null);
      }
    }
  }

  /** False when a NULL in the referencing columns means {@code row} references nothing (MATCH SIMPLE). */
  private static boolean references(TableDesc t, TableDesc.ForeignKey f, Object[] row) {
    for (int c : f.columns()) {
      if (row[c] == null) {
        return false;
      }
    }
    return true;
  }

  /** The KV key whose presence proves {@code row}'s referenced row exists. */
  private static byte[] referencedKey(TableDesc parent, TableDesc.ForeignKey f, Object[] row, TableDesc child)
      throws SqlException {
    Object[] p = new Object[parent.columns().size()];
    for (int i = 0; i < f.columns().length; i++) {
      p[f.refColumns()[i]] = parent.columns().get(f.refColumns()[i]).type().coerce(row[f.columns()[i]]);
    }
    return parentKey(parent, f.refColumns(), p);
  }

  /** The primary key or unique index entry of {@code parent} for values {@code p} at {@code cols}. */
  private static byte[] parentKey(TableDesc parent, int[] cols, Object[] p) {
    TableDesc.Index ix = referencedIndex(parent, cols);
    return ix.id() == parent.primary().id() ? RowWriter.primaryKey(parent, p) : RowWriter.uniqueEntryKey(parent, ix, p);
  }

  /** The primary key or unique index of {@code t} over exactly the columns {@code cols}, or null. */
  static TableDesc.Index referencedIndex(TableDesc t, int[] cols) {
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.unique() && sameSet(ix.columns(), cols)) {
        return ix;
      }
    }
    return null;
  }

  static boolean sameSet(int[] a, int[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int x : a) {
      boolean found = false;
      for (int y : b) {
        found |= x == y;
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** {@code (a, b)=(1, x)} as PostgreSQL writes a key in a DETAIL. */
  static String keyText(TableDesc t, int[] cols, Object[] row) {
    List<String> names = new ArrayList<>();
    List<String> vals = new ArrayList<>();
    for (int c : cols) {
      names.add(t.columns().get(c).name());
      vals.add(row[c] == null ? "null" : ColumnType.text(t.columns().get(c).type(), row[c]));
    }
    return "(" + String.join(", ", names) + ")=(" + String.join(", ", vals) + ")";
  }

  /** After rows of {@code t} were deleted: the referential actions of the keys that reference them. */
  static void afterDelete(StatementContext cx, TableDesc t, List<Object[]> rows) throws SqlException {
    afterDelete(cx, t, rows, 0);
  }

  private static void afterDelete(StatementContext cx, TableDesc t, List<Object[]> rows, int depth)
      throws SqlException {
    List<Catalog.Reference> refs = cx.catalog().referencing(t.id());
    if (refs.isEmpty() || rows.isEmpty()) {
      return;
    }
    depth(depth);
    for (Catalog.Reference r : refs) {
      for (Object[] row : rows) {
        act(cx, t, r, row, null, r.fk().onDelete(), depth);
      }
    }
  }

  /**
   * After rows of {@code t} were updated ({@code olds[i]} became {@code news[i]}): the rows'
   * own references are checked where they changed, and the keys that reference changed values
   * get their ON UPDATE action.
   */
  static void afterUpdate(StatementContext cx, TableDesc t, List<Object[]> olds, List<Object[]> news)
      throws SqlException {
    afterUpdate(cx, t, olds, news, 0);
  }

  private static void afterUpdate(StatementContext cx, TableDesc t, List<Object[]> olds,
      List<Object[]> news, int depth) throws SqlException {
    for (TableDesc.ForeignKey f : t.foreignKeys()) {
      List<Object[]> changed = new ArrayList<>();
      for (int i = 0; i < olds.size(); i++) {
        if (!sameValues(t, f.columns(), olds.get(i), news.get(i))) {
          changed.add(news.get(i));
        }
      }
      checkReferences(cx, t, f, changed);
    }
    List<Catalog.Reference> refs = cx.catalog().referencing(t.id());
    if (refs.isEmpty()) {
      return;
    }
    depth(depth);
    for (Catalog.Reference r : refs) {
      for (int i = 0; i < olds.size(); i++) {
        if (!sameValues(t, r.fk().refColumns(), olds.get(i), news.get(i))) {
          act(cx, t, r, olds.get(i), news.get(i), r.fk().onUpdate(), depth);
        }
      }
    }
  }

  private static void depth(int depth) throws SqlException {
    if (depth > MAX_DEPTH) {
      throw new SqlException(SqlState.PROGRAM_LIMIT_EXCEEDED, "referential actions nest more than " + MAX_DEPTH
          + " levels deep");
    }
  }

  /**
   * Applies {@code action} of reference {@code r} for parent row {@code old} of {@code parent}
   * (deleted when {@code nw} is null, else updated to {@code nw}).
   */
  private static void act(StatementContext cx, TableDesc parent, Catalog.Reference r, Object[] old,
      Object[] nw, FkAction action, int depth) throws SqlException {
    TableDesc child = r.table();
    TableDesc.ForeignKey f = r.fk();
    for (int c : f.refColumns()) {
      if (old[c] == null) {
        return;
      }
    }
    List<Object[]> children = referencingRows(cx, child, f, parent, old);
    if (children.isEmpty()) {
      return;
    }
    switch (action) {
      case NO_ACTION, RESTRICT -> {
        // NO ACTION: only a violation if no row with the old key is left at the end of the statement.
        if (action == FkAction.RESTRICT
            || Kv.await(cx.txn().get(parentKey(parent, f.refColumns(), old)), cx.cancel()) == null) {
          throw stillReferenced(parent, child, f, old);
        }
      }
      case CASCADE -> {
        if (nw == null) {
          List<Mutation> ms = new ArrayList<>();
          for (Object[] c : children) {
            RowWriter.delete(child, c, ms);
          }
          DmlWrites.write(cx, child, ms);
          afterDelete(cx, child, children, depth + 1);
        } else {
          Object[] values = new Object[child.columns().size()];
          for (int i = 0; i < f.columns().length; i++) {
            values[f.columns()[i]] = child.columns().get(f.columns()[i]).type().coerce(nw[f.refColumns()[i]]);
          }
          rewrite(cx, child, f, children, values, depth);
        }
      }
      case SET_NULL -> rewrite(cx, child, f, children, new Object[child.columns().size()], depth);
      case SET_DEFAULT -> {
        boolean[] targeted = new boolean[child.columns().size()];
        java.util.Arrays.fill(targeted, true);
        for (int c : f.columns()) {
          targeted[c] = false;
        }
        Object[] defaults = NewRows.defaults(cx, child, targeted);
        Object[] asParent = new Object[parent.columns().size()];
        for (int i = 0; i < f.columns().length; i++) {
          Object d = defaults[f.columns()[i]];
          asParent[f.refColumns()[i]] = d == null ? null : parent.columns().get(f.refColumns()[i]).type().coerce(d);
        }
        if (sameValues(parent, f.refColumns(), asParent, old)) {
          // The rows would keep the key just removed (PostgreSQL's ri_setdefault re-check).
          throw stillReferenced(parent, child, f, old);
        }
        rewrite(cx, child, f, children, defaults, depth);
      }
      default -> throw new IllegalStateException(action.name());
    }
  }

  private static SqlException stillReferenced(TableDesc parent, TableDesc child, TableDesc.ForeignKey f,
      Object[] old) {
    return new SqlException(SqlState.FOREIGN_KEY_VIOLATION, "update or delete on table \"" + parent.name()
        + "\" violates foreign key constraint \"" + f.name() + "\" on table \"" + child.name() + "\"",
        "Key " + keyText(parent, f.refColumns(), old) + " is still referenced from table \"" + child.name()
            + "\".", null, null);
  }

  /** Sets {@code f}'s columns of {@code rows} to {@code values} (at those columns) and writes them. */
  private static void rewrite(StatementContext cx, TableDesc child, TableDesc.ForeignKey f,
      List<Object[]> rows, Object[] values, int depth) throws SqlException {
    List<Object[]> news = new ArrayList<>();
    List<Mutation> deletes = new ArrayList<>();
    List<Mutation> writes = new ArrayList<>();
    for (Object[] old : rows) {
      Object[] nw = old.clone();
      for (int c : f.columns()) {
        nw[c] = values[c];
      }
      NewRows.checkNotNull(child, nw);
      Checks.verify(cx, child, nw);
      RowWriter.update(child, old, nw, deletes, writes);
      news.add(nw);
    }
    deletes.addAll(writes);
    DmlWrites.write(cx, child, deletes);
    afterUpdate(cx, child, rows, news, depth + 1);
  }

  /**
   * The rows of {@code child} whose columns of {@code f} equal {@code parentRow}'s referenced
   * columns, read in the statement's transaction through the index on those columns.
   */
  static List<Object[]> referencingRows(StatementContext cx, TableDesc child, TableDesc.ForeignKey f,
      TableDesc parent, Object[] parentRow) throws SqlException {
    Object[] eq = new Object[child.columns().size()];
    for (int i = 0; i < f.columns().length; i++) {
      eq[f.columns()[i]] = child.columns().get(f.columns()[i]).type().coerce(parentRow[f.refColumns()[i]]);
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : new KvTable(child, true).read(cx.txn(), cx.cancel(), eq.clone())) {
      boolean match = true;
      for (int c : f.columns()) {
        match &= same(row[c], eq[c]);
      }
      if (match) {
        out.add(row);
      }
    }
    return out;
  }

  private static boolean sameValues(TableDesc t, int[] cols, Object[] a, Object[] b) {
    for (int c : cols) {
      if (!same(a[c], b[c])) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return java.util.Arrays.equals(x, y);
    }
    return java.util.Objects.equals(a, b);
  }
}
