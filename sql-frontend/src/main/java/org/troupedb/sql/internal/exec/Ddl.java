package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
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
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.session.Session;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlColumnDef;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlCreateIndex;
import org.troupedb.sql.parser.ast.SqlCreateSequence;
import org.troupedb.sql.parser.ast.SqlCreateTable;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlDropIndex;
import org.troupedb.sql.parser.ast.SqlDropSequence;
import org.troupedb.sql.parser.ast.SqlDropTable;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlTableConstraint;
import org.troupedb.sql.parser.ast.SqlTruncateTable;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * DDL: writes descriptors through the statement's transaction (so DDL is transactional) and bumps
 * the catalog version. A new table gets range boundaries at its prefix and at the next prefix.
 */
public final class Ddl {
  private Ddl() {}

  /** One column of CREATE TABLE or ALTER TABLE ADD COLUMN; {@code defaultSql} as written. */
  private record ColumnDef(String name, ColumnType type, boolean notNull, boolean primaryKey, boolean unique,
      String defaultSql, boolean serial) {}

  /** Executes DDL statement {@code node}, parsed from {@code sql}; returns its command tag. */
  public static String execute(Session s, Txn txn, Catalog cat, SqlNode node, String sql) throws SqlException {
    long db = s.database.id();
    if (node instanceof org.troupedb.sql.parser.ast.SqlCreateView || node instanceof org.troupedb.sql.parser.ast.SqlDropView
        || node instanceof org.troupedb.sql.parser.ast.SqlCreateTableAs) {
      return ViewDdl.execute(s, txn, cat, node, sql);
    }
    if (node instanceof org.troupedb.sql.parser.ast.SqlComment c) {
      return CommentDdl.execute(s, txn, cat, c);
    }
    if (node instanceof SqlCreateTable ct) {
      return createTable(s, txn, cat, db, ct, sql);
    } else if (node instanceof SqlDropTable dt) {
      List<Long> ids = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      List<TableDesc> dropped = new ArrayList<>();
      for (SqlIdentifier id : dt.names()) {
        String n = objectName(s, id);
        TableDesc t = cat.table(db, "public", n);
        if (t == null && cat.view(db, "public", n) != null) {
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
      java.util.Map<Long, TableDesc> children = dependentForeignKeys(cat, dropped, dt.cascade());
      for (long view : ViewDdl.dependentViewsOfTables(cat, dropped, dt.cascade())) {
        ids.add(view);
        bytes.add(null);
      }
      for (TableDesc t : dropped) {
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
      for (long comment : CommentDdl.commentsOn(cat, List.copyOf(ids))) {
        ids.add(comment);
        bytes.add(null);
      }
      for (TableDesc c : children.values()) {
        ids.add(c.id());
        bytes.add(c.serialize());
      }
      if (!ids.isEmpty()) {
        s.engine.catalog.writeDescriptors(txn, cat, ids, bytes, s.cancel);
      }
      return "DROP TABLE";
    } else if (node instanceof SqlTruncateTable tr) {
      List<TableDesc> ts = new ArrayList<>();
      for (SqlIdentifier id : tr.names()) {
        ts.add(table(s, cat, id));
      }
      for (TableDesc t : ts) {
        for (Catalog.Reference r : cat.referencing(t.id())) {
          if (ts.stream().noneMatch(o -> o.id() == r.table().id())) {
            throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED, "cannot truncate a table referenced in a foreign"
                + " key constraint", "Table \"" + r.table().name() + "\" references \"" + t.name() + "\".",
                "Truncate table \"" + r.table().name() + "\" at the same time, or use TRUNCATE ... CASCADE.", null);
          }
        }
      }
      for (TableDesc t : ts) {
        deleteData(s, txn, t);
      }
      return "TRUNCATE TABLE";
    } else if (node instanceof SqlCreateIndex ci) {
      return createIndex(s, txn, cat, db, ci);
    } else if (node instanceof SqlDropIndex di) {
      return dropIndex(s, txn, cat, db, List.of(objectName(s, di.name())), di.ifExists());
    } else if (node instanceof SqlCreateSequence cs) {
      return createSequence(s, txn, cat, db, cs);
    } else if (node instanceof SqlDropSequence ds) {
      String n = objectName(s, ds.name());
      Catalog.SequenceDesc seq = cat.sequence(db, "public", n);
      if (seq == null) {
        if (ds.ifExists()) {
          return "DROP SEQUENCE";
        }
        throw new SqlException(SqlState.UNDEFINED_TABLE, "sequence \"" + n + "\" does not exist");
      }
      s.engine.catalog.writeDescriptors(txn, cat, List.of(seq.id()), Arrays.asList((byte[]) null), s.cancel);
      return "DROP SEQUENCE";
    }
    if (node instanceof SqlAlterTable at) {
      return alterTable(s, txn, cat, db, at, sql);
    }
    if (node instanceof SqlCreateDatabase cd) {
      String name = cd.name().getSimple();
      if (cat.database(name) != null) {
        if (cd.ifNotExists()) {
          return "CREATE DATABASE";
        }
        throw new SqlException(SqlState.DUPLICATE_DATABASE, "database \"" + name + "\" already exists");
      }
      long id = s.engine.catalog.nextId(txn, s.cancel);
      s.engine.catalog.writeDescriptors(txn, cat, List.of(id),
          List.of(Catalog.serialize(new Catalog.Database(id, name))), s.cancel);
      Privileges.recordOwner(s, txn, cat, AuthCatalog.ObjectKind.DATABASE, id);
      return "CREATE DATABASE";
    }
    if (node instanceof SqlDropDatabase dd) {
      String name = dd.name().getSimple();
      Catalog.Database d = cat.database(name);
      if (d == null) {
        if (dd.ifExists()) {
          return "DROP DATABASE";
        }
        throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"" + name + "\" does not exist");
      }
      if (d.id() == s.database.id()) {
        throw new SqlException(SqlState.OBJECT_IN_USE, "cannot drop the currently open database");
      }
      // As in PostgreSQL, the database's tables, views and sequences go with it.
      List<Long> ids = new ArrayList<>(List.of(d.id()));
      for (TableDesc t : cat.tables().values()) {
        if (t.databaseId() == d.id()) {
          deleteData(s, txn, t);
          ids.add(t.id());
        }
      }
      cat.sequences().values().stream().filter(q -> q.databaseId() == d.id()).forEach(q -> ids.add(q.id()));
      cat.views().values().stream().filter(v -> v.databaseId() == d.id()).forEach(v -> ids.add(v.id()));
      ids.addAll(CommentDdl.commentsOn(cat, List.copyOf(ids)));
      s.engine.catalog.writeDescriptors(txn, cat, ids, Arrays.asList(new byte[ids.size()][]), s.cancel);
      return "DROP DATABASE";
    }
    throw SqlException.unsupported(StatementParser.tag(node));
  }

  /** {@link Names#objectName} in the session's database. */
  static String objectName(Session s, SqlIdentifier id) throws SqlException {
    return Names.objectName(s.database, id);
  }

  /** {@link Names#table} in the session's database. */
  static TableDesc table(Session s, Catalog cat, SqlIdentifier id) throws SqlException {
    return Names.table(s.database, cat, id);
  }

  private static ColumnDef columnDef(SqlColumnDef c, String sql) throws SqlException {
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
          "uuid", "time" -> {
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

  /** PostgreSQL types that exist but that a TroupeDB column cannot have (0A000, not 42704). */
  private static final java.util.Set<String> PG_TYPES_WITHOUT_COLUMNS = SqlPgTypeNameSpec.UNSUPPORTED_PG_TYPES;

  private static String createSequence(Session s, Txn txn, Catalog cat, long db, SqlCreateSequence cs)
      throws SqlException {
    String name = objectName(s, cs.name());
    if (cat.sequence(db, "public", name) != null || cat.table(db, "public", name) != null) {
      if (cs.ifNotExists()) {
        return "CREATE SEQUENCE";
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    if (cs.cycle()) {
      throw SqlException.unsupported("CYCLE sequences");
    }
    long typeMax = Long.MAX_VALUE;
    if (cs.dataType() != null) {
      ColumnType t = columnType((SqlPgTypeNameSpec) cs.dataType().getTypeNameSpec());
      typeMax = switch (t.pg()) {
        case INT2 -> Short.MAX_VALUE;
        case INT4 -> Integer.MAX_VALUE;
        case INT8 -> Long.MAX_VALUE;
        default -> throw new SqlException(SqlState.INVALID_PARAMETER_VALUE,
            "sequence type must be smallint, integer, or bigint");
      };
    }
    long inc = cs.increment() == null || cs.increment() == 0 ? 1 : cs.increment();
    long min = cs.minValue() != null ? cs.minValue() : inc > 0 ? 1 : -typeMax - 1;
    long max = cs.maxValue() != null ? cs.maxValue() : inc > 0 ? typeMax : -1;
    long start = cs.start() != null ? cs.start() : inc > 0 ? min : max;
    long id = s.engine.catalog.nextId(txn, s.cancel);
    Catalog.SequenceDesc seq = new Catalog.SequenceDesc(id, db, "public", name, inc, min, max, start);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(id), List.of(Catalog.serialize(seq)), s.cancel);
    return "CREATE SEQUENCE";
  }

  private static String createTable(Session s, Txn txn, Catalog cat, long db, SqlCreateTable ct, String sql)
      throws SqlException {
    String name = objectName(s, ct.name());
    if (cat.table(db, "public", name) != null || cat.sequence(db, "public", name) != null
        || cat.view(db, "public", name) != null) {
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
    long tableId = s.engine.catalog.nextId(txn, s.cancel);
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
    List<SqlNode> constraints = new ArrayList<>();
    for (SqlNode e : ct.elements()) {
      if (e instanceof SqlColumnDef c) {
        constraints.addAll(c.constraints().getList());
      } else if (!(e instanceof SqlTableConstraint)) {
        constraints.add(e);
      }
    }
    t = ConstraintDdl.add(s, cat, t, constraints, sql);
    Checks.validate(s, cat, t, t.checks());
    ids.add(tableId);
    bytes.add(t.serialize());
    byte[] prefix = Catalog.tablePrefix(tableId);
    Kv.await(s.engine.kv.ensureSplitAt(prefix), s.cancel);
    Kv.await(s.engine.kv.ensureSplitAt(KeyEncoding.prefixEnd(prefix)), s.cancel);
    s.engine.catalog.writeDescriptors(txn, cat, ids, bytes, s.cancel);
    Privileges.recordOwner(s, txn, cat, AuthCatalog.ObjectKind.TABLE, tableId);
    return "CREATE TABLE";
  }

  private static SqlException multiplePrimaryKeys(String table) {
    return new SqlException(SqlState.INVALID_TABLE_DEFINITION,
        "multiple primary keys for table \"" + table + "\" are not allowed");
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

  private static String createIndex(Session s, Txn txn, Catalog cat, long db, SqlCreateIndex ci)
      throws SqlException {
    if (ci.using() != null && !ci.using().equals("btree")) {
      throw SqlException.unsupported("index access method \"" + ci.using() + "\"");
    }
    TableDesc t = table(s, cat, ci.table());
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
    backfill(s, txn, t, nt);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "CREATE INDEX";
  }

  /** Writes the entries of the indexes {@code nt} has and {@code t} has not, from {@code t}'s rows. */
  static void backfill(Session s, Txn txn, TableDesc t, TableDesc nt) throws SqlException {
    KvTable kt = new KvTable(t, true);
    List<Object[]> rows = null;
    for (TableDesc.Index ix : nt.indexes()) {
      if (t.indexes().stream().anyMatch(o -> o.id() == ix.id())) {
        continue;
      }
      if (rows == null) {
        rows = kt.read(txn, s.cancel, null);
      }
      List<Mutation> ms = new ArrayList<>();
      TableDesc only = t.withIndexes(List.of(t.primary(), ix));
      for (Object[] row : rows) {
        List<Mutation> tmp = new ArrayList<>();
        RowWriter.insert(only, row, tmp);
        ms.add(tmp.get(1));
      }
      if (!ms.isEmpty()) {
        s.onDuplicate(nt.id(), key -> uniqueIndexFailure(nt, ix.name(), key));
        try {
          Kv.await(txn.write(ms), s.cancel);
        } catch (KeyExistsException e) {
          throw uniqueIndexFailure(nt, ix.name(), e.key());
        }
      }
    }
  }

  private static String alterTable(Session s, Txn txn, Catalog cat, long db, SqlAlterTable at, String sql)
      throws SqlException {
    if (at.ifExists() && cat.table(db, "public", objectName(s, at.name())) == null) {
      return "ALTER TABLE"; // NB: PostgreSQL also sends NOTICE: relation "name" does not exist, skipping
    }
    TableDesc t = table(s, cat, at.name());
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
      ColumnDef d = columnDef(at.column(), sql);
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
      throw multiplePrimaryKeys(t.name());
    }
    if (rowid != t.columns().size() - 1) {
      throw SqlException.unsupported("ADD PRIMARY KEY on a table with columns added after creation");
    }
    List<TableDesc.Column> cols = new ArrayList<>(t.columns().subList(0, rowid));
    int[] pk = positions(cols, ((SqlTableConstraint) at.constraint()).columnNames(), t.name());
    for (int c : pk) {
      TableDesc.Column col = cols.get(c);
      cols.set(c, new TableDesc.Column(col.id(), col.name(), col.type(), false, col.defaultSql(), col.sequence(), false));
    }
    List<TableDesc.Index> indexes = new ArrayList<>();
    indexes.add(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, t.name() + "_pkey", true, pk, new boolean[pk.length]));
    indexes.addAll(t.indexes().subList(1, t.indexes().size()));
    TableDesc nt = t.withColumns(cols).withIndexes(indexes);
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

  /** ALTER TABLE ADD UNIQUE / CHECK / FOREIGN KEY, validated against the existing rows. */
  private static String addConstraint(Session s, Txn txn, Catalog cat, TableDesc t, SqlNode c, String sql)
      throws SqlException {
    TableDesc nt;
    if (c instanceof SqlTableConstraint u) {
      int[] cols = positions(t.columns(), u.columnNames(), t.name());
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
    backfill(s, txn, t, nt);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(t.id()), List.of(nt.serialize()), s.cancel);
    return "ALTER TABLE";
  }

  /** ALTER TABLE DROP CONSTRAINT: a CHECK, a foreign key or a UNIQUE constraint (its index). */
  private static String dropConstraint(Session s, Txn txn, Catalog cat, TableDesc t, String name, boolean ifExists)
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
        dropIndex(s, txn, cat, t.databaseId(), List.of(name), false);
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
  private static String dropIndex(Session s, Txn txn, Catalog cat, long db, List<String> names, boolean ifExists)
      throws SqlException {
    java.util.Map<Long, TableDesc> changed = new java.util.LinkedHashMap<>();
    for (String name : names) {
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
      deleteSpan(s, txn, Catalog.indexPrefix(owner.id(), found.id()));
      List<TableDesc.Index> rest = new ArrayList<>(owner.indexes());
      rest.remove(found);
      changed.put(owner.id(), owner.withIndexes(rest));
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
