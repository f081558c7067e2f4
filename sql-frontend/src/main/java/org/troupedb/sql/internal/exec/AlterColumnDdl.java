package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.ColumnHistory;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * ALTER TABLE … ALTER COLUMN: SET / DROP DEFAULT and DROP NOT NULL change the descriptor only; SET
 * NOT NULL reads every row in the DDL's transaction (23502 if one is NULL); TYPE changes a column
 * to a wider type without rewriting rows: where the stored form is the same (int2 → int4 → int8,
 * varchar(n) → varchar(m ≥ n) / text, numeric(p,s) → numeric) only the descriptor changes; where
 * it is not (real → double precision, an integer → numeric) the column gets a new id and rows
 * written before keep the old id, whose values {@link ColumnHistory} converts on read.
 */
final class AlterColumnDdl {
  private AlterColumnDdl() {}

  static String alterColumn(StatementContext cx, TableDesc t, SqlAlterTable at, String sql) throws SqlException {
    String name = at.columnName().getSimple();
    int pos = t.columnIndex(name);
    if (pos < 0 || t.columns().get(pos).hidden()) {
      throw ColumnDdl.undefinedColumn(name, t.name());
    }
    TableDesc.Column c = t.columns().get(pos);
    TableDesc.Column nc = switch (at.action()) {
      case SET_DEFAULT -> withDefault(c, defaultText(at, sql));
      case DROP_DEFAULT -> withDefault(c, null);
      case SET_NOT_NULL -> withNullable(c, false);
      case DROP_NOT_NULL -> {
        if (t.isPrimaryKeyColumn(pos)) {
          throw new SqlException(SqlState.INVALID_TABLE_DEFINITION, "column \"" + name + "\" is in a primary key");
        }
        yield withNullable(c, true);
      }
      default -> null;
    };
    if (at.action() == SqlAlterTable.Action.ALTER_TYPE) {
      return alterType(cx, t, pos, at);
    }
    if (c.sequence() != null && (at.action() == SqlAlterTable.Action.SET_DEFAULT
        || at.action() == SqlAlterTable.Action.DROP_DEFAULT)) {
      throw SqlException.unsupported("ALTER COLUMN SET/DROP DEFAULT of a serial column");
    }
    List<TableDesc.Column> cols = new ArrayList<>(t.columns());
    cols.set(pos, nc);
    TableDesc nt = t.withColumns(cols);
    if (at.action() == SqlAlterTable.Action.SET_NOT_NULL && c.nullable()) {
      for (Object[] row : new KvTable(t, true).read(cx.txn(), cx.cancel(), null)) {
        if (row[pos] == null) {
          throw ColumnDdl.containsNulls(name, t.name());
        }
      }
    }
    ColumnDdl.write(cx, nt);
    return "ALTER TABLE";
  }

  private static String defaultText(SqlAlterTable at, String sql) {
    SqlParserPos p = at.valueText() != null ? at.valueText() : at.value().getParserPosition();
    return sql.substring(Errors.position(sql, p.getLineNum(), p.getColumnNum()) - 1,
        Errors.position(sql, p.getEndLineNum(), p.getEndColumnNum()));
  }

  private static TableDesc.Column withDefault(TableDesc.Column c, String defaultSql) {
    return new TableDesc.Column(c.id(), c.name(), c.type(), c.nullable(), defaultSql, c.sequence(), c.hidden());
  }

  private static TableDesc.Column withNullable(TableDesc.Column c, boolean nullable) {
    return new TableDesc.Column(c.id(), c.name(), c.type(), nullable, c.defaultSql(), c.sequence(), c.hidden());
  }

  /** How a column's stored values change for a new type. */
  private enum Change { NONE, IN_PLACE, CONVERTED, UNSUPPORTED }

  private static String alterType(StatementContext cx, TableDesc t, int pos, SqlAlterTable at) throws SqlException {
    TableDesc.Column c = t.columns().get(pos);
    ColumnType to = TableDdl.columnType((SqlPgTypeNameSpec) ((SqlDataTypeSpec) at.value()).getTypeNameSpec());
    if (at.using() != null) {
      throw SqlException.unsupported("ALTER COLUMN TYPE … USING");
    }
    Change change = change(c.type(), to);
    if (change == Change.NONE) {
      return "ALTER TABLE";
    }
    ViewDesc v = ColumnDependents.firstViewUsing(cx.catalog(), t, c.name());
    if (v != null) {
      throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED, "cannot alter type of a column used by a view or rule",
          "rule _RETURN on view " + v.name() + " depends on column \"" + c.name() + "\"", null, null);
    }
    if (change == Change.UNSUPPORTED) {
      throw SqlException.unsupported("ALTER COLUMN TYPE from " + c.type().sqlName() + " to " + to.sqlName()
          + " (only widening changes are)");
    }
    boolean keyed = t.indexes().stream().anyMatch(ix -> ColumnDdl.contains(ix.columns(), pos))
        || t.foreignKeys().stream().anyMatch(f -> ColumnDdl.contains(f.columns(), pos))
        || cx.catalog().referencing(t.id()).stream().anyMatch(r -> ColumnDdl.contains(r.fk().refColumns(), pos));
    boolean sameKey = c.type().pg() == to.pg() || (isInt(c.type().pg()) && isInt(to.pg()))
        || (c.type().pg() == PgType.FLOAT4 && to.pg() == PgType.FLOAT8);
    if (keyed && !sameKey) {
      throw SqlException.unsupported("ALTER COLUMN TYPE from " + c.type().sqlName() + " to " + to.sqlName()
          + " of a column in an index, key or foreign key");
    }
    Object missing = t.history().missing().get(c.id());
    ColumnHistory h = t.history().withMissing(c.id(), null);
    int id = c.id();
    if (change == Change.CONVERTED) {
      id = t.nextColumnId();
      h = h.withFormer(new ColumnHistory.Former(c.id(), c.type(), id));
    }
    h = h.withMissing(id, to.coerce(missing));
    List<TableDesc.Column> cols = new ArrayList<>(t.columns());
    cols.set(pos, new TableDesc.Column(id, c.name(), to, c.nullable(), c.defaultSql(), c.sequence(), c.hidden()));
    ColumnDdl.write(cx, t.withColumns(cols).withHistory(h));
    return "ALTER TABLE";
  }

  private static boolean isInt(PgType p) {
    return p == PgType.INT2 || p == PgType.INT4 || p == PgType.INT8;
  }

  private static int width(PgType p) {
    return switch (p) {
      case INT2 -> 2;
      case INT4 -> 4;
      case INT8 -> 8;
      default -> 0;
    };
  }

  /** Digits an integer type needs before the decimal point. */
  private static int digits(PgType p) {
    return switch (p) {
      case INT2 -> 5;
      case INT4 -> 10;
      default -> 19;
    };
  }

  private static Change change(ColumnType from, ColumnType to) {
    PgType f = from.pg();
    PgType t = to.pg();
    if (f == t && from.precision() == to.precision() && from.scale() == to.scale()) {
      return Change.NONE;
    }
    if (isInt(f) && isInt(t)) {
      return width(t) >= width(f) ? Change.IN_PLACE : Change.UNSUPPORTED;
    }
    if (isInt(f) && t == PgType.NUMERIC) {
      return to.precision() < 0 || to.precision() - Math.max(to.scale(), 0) >= digits(f)
          ? Change.CONVERTED : Change.UNSUPPORTED;
    }
    if (f == PgType.FLOAT4 && t == PgType.FLOAT8) {
      return Change.CONVERTED;
    }
    if (f == PgType.VARCHAR && (t == PgType.TEXT || (t == PgType.VARCHAR
        && (to.precision() < 0 || (from.precision() >= 0 && to.precision() >= from.precision()))))) {
      return Change.IN_PLACE;
    }
    if (f == PgType.TEXT && t == PgType.VARCHAR && to.precision() < 0) {
      return Change.IN_PLACE;
    }
    if (f == PgType.NUMERIC && t == PgType.NUMERIC && (to.precision() < 0 || (from.precision() >= 0
        && to.scale() == from.scale() && to.precision() >= from.precision()))) {
      return Change.IN_PLACE;
    }
    return Change.UNSUPPORTED;
  }
}
