package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.TableDesc.FkAction;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlCheckConstraint;
import org.troupedb.sql.parser.ast.SqlForeignKey;

/**
 * CHECK and FOREIGN KEY constraints in DDL: built from their syntax with PostgreSQL's default
 * names ({@code t_a_check}, {@code t_check}, {@code t_a_b_fkey}, a number appended on a clash),
 * validated against the tables, and — for ALTER TABLE ADD CONSTRAINT — against the existing rows.
 * A foreign key gets an index on its referencing columns unless one already leads with them, so
 * that deleting or updating a referenced row reads its referencing rows instead of scanning.
 */
final class ConstraintDdl {
  private ConstraintDdl() {}

  /**
   * {@code t} with the CHECK ({@link SqlCheckConstraint}) and FOREIGN KEY ({@link SqlForeignKey})
   * constraints in {@code nodes} added, plus the indexes the foreign keys need (not backfilled:
   * for a new table, or for the caller to backfill).
   */
  static TableDesc add(StatementContext cx, TableDesc t, List<SqlNode> nodes, String sql) throws SqlException {
    TableDesc out = t;
    for (SqlNode n : nodes) {
      if (n instanceof SqlCheckConstraint c) {
        out = out.withChecks(append(out.checks(), check(out, c, sql)));
      } else if (n instanceof SqlForeignKey f) {
        TableDesc.ForeignKey fk = foreignKey(cx, out, f);
        out = out.withForeignKeys(append(out.foreignKeys(), fk));
        out = withReferencingIndex(out, fk);
      }
    }
    return out;
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> l = new ArrayList<>(list);
    l.add(item);
    return l;
  }

  /** {@code base}, or {@code base1}, {@code base2}… : the first name no constraint of {@code t} has. */
  static String unusedName(TableDesc t, String base) {
    String n = base;
    for (int i = 1; t.hasConstraintNamed(n); i++) {
      n = base + i;
    }
    return n;
  }

  private static TableDesc.Check check(TableDesc t, SqlCheckConstraint c, String sql) throws SqlException {
    SqlParserPos at = c.exprText() != null ? c.exprText() : c.expr().getParserPosition();
    String text = sql.substring(Errors.position(sql, at.getLineNum(), at.getColumnNum()) - 1,
        Errors.position(sql, at.getEndLineNum(), at.getEndColumnNum()));
    Set<String> cols = new LinkedHashSet<>();
    c.expr().accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlIdentifier id) {
        String last = id.names.get(id.names.size() - 1);
        if (t.columnIndex(last) >= 0) {
          cols.add(last);
        }
        return null;
      }
    });
    String name;
    if (c.name() != null) {
      name = c.name().getSimple();
      if (t.hasConstraintNamed(name)) {
        throw new SqlException(SqlState.DUPLICATE_OBJECT, "constraint \"" + name + "\" for relation \""
            + t.name() + "\" already exists");
      }
    } else {
      name = unusedName(t, t.name() + (cols.size() == 1 ? "_" + cols.iterator().next() : "") + "_check");
    }
    return new TableDesc.Check(name, text, cols.stream().mapToInt(t::columnIndex).toArray());
  }

  private static FkAction action(SqlForeignKey.Action a) {
    return FkAction.valueOf(a.name());
  }

  private static TableDesc.ForeignKey foreignKey(StatementContext cx, TableDesc t, SqlForeignKey f)
      throws SqlException {
    String refName = Names.objectName(cx.database(), f.refTable());
    TableDesc parent = refName.equals(t.name()) ? t : Names.table(cx.database(), cx.catalog(), f.refTable());
    List<String> colNames = SqlForeignKey.names(f.columns());
    int[] cols = columns(t, colNames);
    int[] refCols;
    if (f.refColumns() == null) {
      if (parent.columns().get(parent.primary().columns()[0]).hidden()) {
        throw new SqlException(SqlState.INVALID_FOREIGN_KEY, "there is no primary key for referenced table \""
            + parent.name() + "\"");
      }
      refCols = parent.primary().columns();
    } else {
      refCols = columns(parent, SqlForeignKey.names(f.refColumns()));
    }
    if (cols.length != refCols.length) {
      throw new SqlException(SqlState.INVALID_FOREIGN_KEY,
          "number of referencing and referenced columns for foreign key disagree");
    }
    if (ForeignKeys.referencedIndex(parent, refCols) == null) {
      throw new SqlException(SqlState.INVALID_FOREIGN_KEY, "there is no unique constraint matching given keys for"
          + " referenced table \"" + parent.name() + "\"");
    }
    String name = f.name() != null ? f.name().getSimple() : unusedName(t, t.name() + "_" + String.join("_", colNames)
        + "_fkey");
    if (f.name() != null && t.hasConstraintNamed(name)) {
      throw new SqlException(SqlState.DUPLICATE_OBJECT, "constraint \"" + name + "\" for relation \"" + t.name()
          + "\" already exists");
    }
    for (int i = 0; i < cols.length; i++) {
      var a = t.columns().get(cols[i]).type();
      var b = parent.columns().get(refCols[i]).type();
      if (!family(a.pg()).equals(family(b.pg()))) {
        throw new SqlException(SqlState.DATATYPE_MISMATCH, "foreign key constraint \"" + name
            + "\" cannot be implemented", "Key columns \"" + t.columns().get(cols[i]).name() + "\" and \""
            + parent.columns().get(refCols[i]).name() + "\" are of incompatible types: " + a.sqlName() + " and "
            + b.sqlName() + ".", null, null);
      }
    }
    if (f.deferrable()) {
      throw SqlException.unsupported("DEFERRABLE foreign keys");
    }
    if (f.matchFull() && cols.length > 1) {
      throw SqlException.unsupported("MATCH FULL foreign keys over several columns");
    }
    return new TableDesc.ForeignKey(name, cols, parent.id(), refCols, action(f.onDelete()), action(f.onUpdate()));
  }

  /** Types whose values compare with each other (and encode alike once coerced). */
  private static String family(PgType t) {
    return switch (t) {
      case INT2, INT4, INT8 -> "int";
      case FLOAT4, FLOAT8 -> "float";
      case TEXT, VARCHAR, BPCHAR -> "text";
      default -> t.name();
    };
  }

  private static int[] columns(TableDesc t, List<String> names) throws SqlException {
    int[] out = new int[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.columnIndex(names.get(i));
      if (out[i] < 0 || t.columns().get(out[i]).hidden()) {
        throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + names.get(i)
            + "\" referenced in foreign key constraint does not exist");
      }
    }
    return out;
  }

  /** True if an index of {@code t} leads with exactly the columns {@code cols} (in any order). */
  static boolean indexLeadsWith(TableDesc t, int[] cols) {
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.columns().length >= cols.length
          && ForeignKeys.sameSet(java.util.Arrays.copyOf(ix.columns(), cols.length), cols)) {
        return true;
      }
    }
    return false;
  }

  /** {@code t} with an index on {@code fk}'s columns ({@code t_a_b_idx}) unless one leads with them. */
  private static TableDesc withReferencingIndex(TableDesc t, TableDesc.ForeignKey fk) {
    if (indexLeadsWith(t, fk.columns())) {
      return t;
    }
    List<String> names = new ArrayList<>();
    for (int c : fk.columns()) {
      names.add(t.columns().get(c).name());
    }
    String name = unusedName(t, t.name() + "_" + String.join("_", names) + "_idx");
    int id = t.indexes().stream().mapToInt(TableDesc.Index::id).max().orElse(1) + 1;
    List<TableDesc.Index> ix = new ArrayList<>(t.indexes());
    ix.add(new TableDesc.Index(id, name, false, fk.columns().clone(), new boolean[fk.columns().length]));
    return t.withIndexes(ix);
  }

  /**
   * ALTER TABLE ADD CHECK / FOREIGN KEY: {@code nt} (from {@link #add}) over the rows {@code t}
   * holds: 23514 / 23503 for a row that violates the new constraint.
   */
  static void validateExisting(StatementContext cx, TableDesc t, TableDesc nt) throws SqlException {
    List<TableDesc.Check> newChecks = new ArrayList<>(nt.checks());
    newChecks.removeAll(t.checks());
    List<TableDesc.ForeignKey> newFks = new ArrayList<>(nt.foreignKeys());
    newFks.removeAll(t.foreignKeys());
    if (!newChecks.isEmpty()) {
      Checks.validate(cx, nt, newChecks);
    }
    List<Object[]> rows = new KvTable(t, true).read(cx.txn(), cx.cancel(), null);
    for (Object[] row : rows) {
      String failed = newChecks.isEmpty() ? null : Checks.firstFailing(cx, nt, newChecks, row);
      if (failed != null) {
        throw new SqlException(SqlState.CHECK_VIOLATION, "check constraint \"" + failed + "\" of relation \""
            + t.name() + "\" is violated by some row");
      }
    }
    Catalog withNew = cx.catalog();
    for (TableDesc.ForeignKey f : newFks) {
      if (f.refTable() == t.id()) {
        // A self-reference: the referenced rows are the table's own.
        Catalog cat = cx.catalog();
        withNew = new Catalog(cat.version(), cat.epoch(), cat.databases(), replaced(cat.tables(), nt),
            cat.sequences(), cat.auth(), cat.views(), cat.comments());
      }
      ForeignKeys.checkReferences(cx.in(cx.txn(), withNew), nt, f, rows);
    }
  }

  private static java.util.Map<Long, TableDesc> replaced(java.util.Map<Long, TableDesc> tables, TableDesc t) {
    java.util.Map<Long, TableDesc> m = new java.util.HashMap<>(tables);
    m.put(t.id(), t);
    return m;
  }
}
