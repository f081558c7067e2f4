package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlColumnDef;
import org.troupedb.sql.parser.ast.SqlCreateTable;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlTableConstraint;

/**
 * CREATE TABLE: the column definitions (types, defaults, SERIAL sequences), the primary key (the
 * hidden {@code rowid} without one), UNIQUE indexes and the constraints, written as one
 * descriptor in the DDL's transaction; a new table gets range boundaries at its prefix and the
 * next prefix.
 */
final class TableDdl {
  private TableDdl() {}

  /** One column of CREATE TABLE or ALTER TABLE ADD COLUMN; {@code defaultSql} as written. */
  record ColumnDef(String name, ColumnType type, boolean notNull, boolean primaryKey, boolean unique,
      String defaultSql, boolean serial) {}

  static ColumnDef columnDef(SqlColumnDef c, String sql) throws SqlException {
    SqlPgTypeNameSpec spec = c.pgType();
    String defaultSql = null;
    if (c.defaultValue() != null) {
      SqlParserPos at = c.defaultText() != null ? c.defaultText() : c.defaultValue().getParserPosition();
      defaultSql = sql.substring(Errors.position(sql, at.getLineNum(), at.getColumnNum()) - 1,
          Errors.position(sql, at.getEndLineNum(), at.getEndColumnNum()));
    }
    return new ColumnDef(c.name().getSimple(), columnType(spec), c.notNull() || c.primaryKey(), c.primaryKey(),
        c.unique(), defaultSql, spec.serial());
  }

  /** The column type a PostgreSQL type name declares; 0A000 for a type TroupeDB has no columns of. */
  static ColumnType columnType(SqlPgTypeNameSpec spec) throws SqlException {
    if (spec.isArray()) {
      ColumnType e = columnType(spec.elementSpec());
      PgType array = e.pg().arrayType();
      if (array == null) {
        throw SqlException.unsupported("columns of type " + spec.typeName());
      }
      return new ColumnType(array, e.precision(), e.scale());
    }
    int p = spec.precision();
    switch (spec.typeName()) {
      case "numeric" -> {
        if (p == SqlPgTypeNameSpec.UNSPECIFIED) {
          return ColumnType.of(PgType.NUMERIC);
        }
        int scale = Math.max(spec.scale(), 0);
        if (p < 1 || p > 1000) {
          throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC precision " + p + " must be between 1 and 1000");
        }
        if (scale > p) {
          throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC scale " + scale
              + " must be between 0 and precision " + p);
        }
        return new ColumnType(PgType.NUMERIC, p, scale);
      }
      case "varchar", "bpchar" -> {
        if (p == 0) {
          throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "length for type " + spec.typeName()
              + " must be at least 1");
        }
        PgType t = spec.typeName().equals("varchar") ? PgType.VARCHAR : PgType.BPCHAR;
        return new ColumnType(t, p == SqlPgTypeNameSpec.UNSPECIFIED && t == PgType.BPCHAR ? 1 : p, -1);
      }
      case "string" -> {
        return ColumnType.of(PgType.TEXT);
      }
      case "bool", "int2", "int4", "int8", "float4", "float8", "text", "bytea", "date", "timestamp", "timestamptz",
          "uuid", "time", "json", "jsonb", "interval" -> {
        return ColumnType.of(spec.pgType()); // NB: a timestamp precision is accepted; values keep microseconds at most
      }
      default -> {
        if (spec.pgType() != null || PG_TYPES_WITHOUT_COLUMNS.contains(spec.typeName())) {
          throw SqlException.unsupported("columns of type " + spec.typeName());
        }
        throw new SqlException(SqlState.UNDEFINED_OBJECT, "type \"" + spec.typeName() + "\" does not exist");
      }
    }
  }

  /**
   * 0A000 when a key or index of {@code t} has a json, jsonb or array column: keys encode values by
   * their order, and jsonb's order (PostgreSQL's {@code jsonb_cmp}) is not implemented; PostgreSQL
   * itself has no btree order for {@code json} (42704 there).
   */
  static void refuseJsonKeys(org.troupedb.sql.internal.catalog.TableDesc t) throws SqlException {
    for (org.troupedb.sql.internal.catalog.TableDesc.Index ix : t.indexes()) {
      for (int c : ix.columns()) {
        PgType pg = t.columns().get(c).type().pg();
        if (pg == PgType.JSON || pg == PgType.JSONB || pg == PgType.INTERVAL || pg.isArray()) {
          throw SqlException.unsupported((ix.id() == org.troupedb.sql.internal.catalog.TableDesc.PRIMARY_INDEX_ID
              ? "a primary key" : ix.unique() ? "a unique constraint" : "an index")
              + (pg.isArray() ? " on an array column" : " on a " + pg.typname() + " column"));
        }
      }
    }
  }

  /** PostgreSQL types that exist but that a TroupeDB column cannot have (0A000, not 42704). */
  private static final java.util.Set<String> PG_TYPES_WITHOUT_COLUMNS = SqlPgTypeNameSpec.UNSUPPORTED_PG_TYPES;

  static String createTable(StatementContext cx, long db, SqlCreateTable ct, String sql)
      throws SqlException {
    String name = Ddl.objectName(cx, ct.name());
    if (cx.catalog().table(db, "public", name) != null || cx.catalog().sequence(db, "public", name) != null
        || cx.catalog().view(db, "public", name) != null) {
      if (ct.ifNotExists()) {
        return "CREATE TABLE";
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    List<ColumnDef> defs = new ArrayList<>();
    for (SqlColumnDef c : ct.columns()) {
      defs.add(columnDef(c, sql));
    }
    List<String> pkNames = new ArrayList<>();
    List<List<String>> uniques = new ArrayList<>();
    for (SqlTableConstraint c : ct.constraints()) {
      if (!c.primaryKey()) {
        uniques.add(c.columnNames());
      } else if (!pkNames.isEmpty()) {
        throw multiplePrimaryKeys(name);
      } else {
        pkNames.addAll(c.columnNames());
      }
    }
    for (ColumnDef d : defs) {
      if (d.primaryKey()) {
        if (!pkNames.isEmpty()) {
          throw multiplePrimaryKeys(name);
        }
        pkNames.add(d.name());
      }
    }
    long tableId = cx.catalogs().nextId(cx.txn(), cx.cancel());
    List<Long> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    List<TableDesc.Column> cols = new ArrayList<>();
    int colId = 1;
    for (ColumnDef d : defs) {
      for (TableDesc.Column prev : cols) {
        if (prev.name().equals(d.name())) {
          throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" specified more than once");
        }
      }
      String seqName = null;
      boolean notNull = d.notNull() || pkNames.contains(d.name());
      if (d.serial()) {
        seqName = name + "_" + d.name() + "_seq";
        long seqId = cx.catalogs().nextId(cx.txn(), cx.cancel());
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
      pkCols = positions(cols, pkNames, name);
    }
    List<TableDesc.Index> indexes = new ArrayList<>();
    indexes.add(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, name + "_pkey", true, pkCols,
        new boolean[pkCols.length]));
    for (ColumnDef d : defs) {
      if (d.unique()) {
        uniques.add(List.of(d.name()));
      }
    }
    for (List<String> u : uniques) {
      int[] uc = positions(cols, u, name);
      indexes.add(new TableDesc.Index(indexes.size() + 1, name + "_" + String.join("_", u) + "_key",
          true, uc, new boolean[uc.length]));
    }
    TableDesc t = new TableDesc(tableId, db, "public", name, List.copyOf(cols), List.copyOf(indexes));
    refuseJsonKeys(t);
    List<SqlNode> constraints = new ArrayList<>();
    for (SqlNode e : ct.elements()) {
      if (e instanceof SqlColumnDef c) {
        constraints.addAll(c.constraints().getList());
      } else if (!(e instanceof SqlTableConstraint)) {
        constraints.add(e);
      }
    }
    t = ConstraintDdl.add(cx, t, constraints, sql);
    Checks.validate(cx, t, t.checks());
    ids.add(tableId);
    bytes.add(t.serialize());
    byte[] prefix = Catalog.tablePrefix(tableId);
    Kv.await(cx.kv().ensureSplitAt(prefix), cx.cancel());
    Kv.await(cx.kv().ensureSplitAt(KeyEncoding.prefixEnd(prefix)), cx.cancel());
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, bytes, cx.cancel());
    Privileges.recordOwner(cx, AuthCatalog.ObjectKind.TABLE, tableId);
    return "CREATE TABLE";
  }

  static SqlException multiplePrimaryKeys(String table) {
    return new SqlException(SqlState.INVALID_TABLE_DEFINITION,
        "multiple primary keys for table \"" + table + "\" are not allowed");
  }

  static int[] positions(List<TableDesc.Column> cols, List<String> names, String table)
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

}
