package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * Queries and DML. A SELECT is planned as is. INSERT plans its source (VALUES rows or a query,
 * with DEFAULT replaced by the column default and parameters cast to the column type); UPDATE and
 * DELETE plan {@code SELECT <all columns>, <new values> FROM t WHERE <condition>} and write the
 * changed rows (and their index entries) in the statement's transaction.
 */
final class Dml {
  private Dml() {}

  enum Kind { SELECT, INSERT, UPDATE, DELETE }

  record Planned(Kind kind, QueryPlanner.Plan plan, List<ColumnInfo> columns, TableDesc table,
      int[] targets) {}

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  static Planned plan(Session s, Catalog cat, Command.Query q) throws SqlException {
    SqlNode node = QueryPlanner.parse(q.sql());
    long db = s.database.id();
    QueryPlanner planner = s.engine.planner;
    switch (node.getKind()) {
      case INSERT -> {
        SqlInsert ins = (SqlInsert) node;
        TableDesc t = table(cat, db, ins.getTargetTable());
        int[] targets = targets(t, ins.getTargetColumnList());
        QueryPlanner.Plan plan = planner.planCached(cat, db, "insert:" + q.sql(),
            () -> insertSource(t, targets, ((SqlInsert) QueryPlanner.parse(q.sql())).getSource()));
        return new Planned(Kind.INSERT, plan, List.of(), t, targets);
      }
      case UPDATE -> {
        SqlUpdate up = (SqlUpdate) node;
        TableDesc t = table(cat, db, up.getTargetTable());
        int[] targets = targets(t, up.getTargetColumnList());
        QueryPlanner.Plan plan = planner.planCached(cat, db, "update:" + q.sql(), () -> {
          SqlUpdate u = (SqlUpdate) QueryPlanner.parse(q.sql());
          List<SqlNode> extra = new ArrayList<>();
          for (int i = 0; i < targets.length; i++) {
            extra.add(castIfNeeded(u.getSourceExpressionList().get(i), t.columns().get(targets[i]).type()));
          }
          return selectAll(t, u.getAlias(), u.getCondition(), extra);
        });
        return new Planned(Kind.UPDATE, plan, List.of(), t, targets);
      }
      case DELETE -> {
        SqlDelete del = (SqlDelete) node;
        TableDesc t = table(cat, db, del.getTargetTable());
        QueryPlanner.Plan plan = planner.planCached(cat, db, "delete:" + q.sql(), () -> {
          SqlDelete d = (SqlDelete) QueryPlanner.parse(q.sql());
          return selectAll(t, d.getAlias(), d.getCondition(), List.of());
        });
        return new Planned(Kind.DELETE, plan, List.of(), t, new int[0]);
      }
      case MERGE -> throw SqlException.unsupported("MERGE");
      default -> {
        QueryPlanner.Plan plan = planner.planCached(cat, db, q.sql());
        return new Planned(Kind.SELECT, plan, Session.columnsOf(plan.rowType()), null, null);
      }
    }
  }

  static TableDesc table(Catalog cat, long db, SqlNode target) throws SqlException {
    if (!(target instanceof SqlIdentifier id)) {
      throw SqlException.unsupported("this DML target");
    }
    String name = id.names.get(id.names.size() - 1);
    TableDesc t = cat.table(db, "public", name);
    if (t == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
    }
    return t;
  }

  private static int[] targets(TableDesc t, SqlNodeList cols) throws SqlException {
    if (cols == null || cols.isEmpty()) {
      return java.util.stream.IntStream.range(0, t.columns().size())
          .filter(i -> !t.columns().get(i).hidden()).toArray();
    }
    int[] out = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      SqlIdentifier id = (SqlIdentifier) cols.get(i);
      String n = id.names.get(id.names.size() - 1);
      int idx = t.columnIndex(n);
      if (idx < 0 || t.columns().get(idx).hidden()) {
        throw new SqlException(SqlState.UNDEFINED_COLUMN,
            "column \"" + n + "\" of relation \"" + t.name() + "\" does not exist");
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == idx) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "column \"" + n + "\" specified more than once");
        }
      }
      out[i] = idx;
    }
    return out;
  }

  static SqlDataTypeSpec typeSpec(ColumnType ct) {
    SqlTypeName n;
    int prec = -1;
    int scale = -1;
    switch (ct.pg()) {
      case BOOL -> n = SqlTypeName.BOOLEAN;
      case INT2 -> n = SqlTypeName.SMALLINT;
      case INT4 -> n = SqlTypeName.INTEGER;
      case INT8 -> n = SqlTypeName.BIGINT;
      case FLOAT4 -> n = SqlTypeName.REAL;
      case FLOAT8 -> n = SqlTypeName.DOUBLE;
      case NUMERIC -> {
        n = SqlTypeName.DECIMAL;
        prec = ct.precision() < 0 ? PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION : ct.precision();
        scale = ct.precision() < 0 ? PgTypeSystem.UNBOUNDED_NUMERIC_SCALE : Math.max(ct.scale(), 0);
      }
      case BYTEA -> n = SqlTypeName.VARBINARY;
      case DATE -> n = SqlTypeName.DATE;
      case TIMESTAMP -> n = SqlTypeName.TIMESTAMP;
      case TIMESTAMPTZ -> n = SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      default -> n = SqlTypeName.VARCHAR;
    }
    return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(n, prec, scale, null, POS), POS);
  }

  /** Casts parameters and bare NULLs (whose type Calcite cannot infer) to the column type. */
  private static SqlNode castIfNeeded(SqlNode e, ColumnType ct) {
    if (e.getKind() == SqlKind.DYNAMIC_PARAM || (e instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL)) {
      return SqlStdOperatorTable.CAST.createCall(POS, e, typeSpec(ct));
    }
    return e;
  }

  private static SqlNode insertSource(TableDesc t, int[] targets, SqlNode source) throws SqlException {
    if (source.getKind() != SqlKind.VALUES) {
      return source;
    }
    SqlCall values = (SqlCall) source;
    List<SqlNode> rows = new ArrayList<>();
    for (SqlNode r : values.getOperandList()) {
      SqlCall row = (SqlCall) r;
      if (row.operandCount() != targets.length) {
        throw new SqlException(SqlState.SYNTAX_ERROR, row.operandCount() > targets.length
            ? "INSERT has more expressions than target columns"
            : "INSERT has more target columns than expressions");
      }
      List<SqlNode> vals = new ArrayList<>();
      for (int i = 0; i < targets.length; i++) {
        TableDesc.Column c = t.columns().get(targets[i]);
        SqlNode v = row.operand(i);
        if (v.getKind() == SqlKind.DEFAULT) {
          v = c.defaultSql() != null && c.sequence() == null
              ? parseExpression(c.defaultSql()) : SqlLiteral.createNull(POS);
        }
        vals.add(castIfNeeded(v, c.type()));
      }
      rows.add(SqlStdOperatorTable.ROW.createCall(POS, vals));
    }
    return SqlStdOperatorTable.VALUES.createCall(POS, rows);
  }

  static SqlNode parseExpression(String sql) throws SqlException {
    try {
      return org.apache.calcite.sql.parser.SqlParser.create(sql, QueryPlanner.PARSER).parseExpression();
    } catch (org.apache.calcite.sql.parser.SqlParseException e) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "bad DEFAULT expression: " + sql, e);
    }
  }

  private static SqlNode selectAll(TableDesc t, SqlIdentifier alias, SqlNode where, List<SqlNode> extra) {
    String a = alias != null ? alias.getSimple() : t.name();
    List<SqlNode> list = new ArrayList<>();
    for (TableDesc.Column c : t.columns()) {
      list.add(new SqlIdentifier(List.of(a, c.name()), POS));
    }
    list.addAll(extra);
    SqlNode from = SqlStdOperatorTable.AS.createCall(POS,
        new SqlIdentifier(QueryPlanner.allColumnsName(t.name()), POS), new SqlIdentifier(a, POS));
    return new SqlSelect(POS, null, new SqlNodeList(list, POS), from, where, null, null, null, null,
        null, null, null, null);
  }

  static Session.Result execute(Session s, Txn txn, Catalog cat, Command.Query q,
      Session.PreparedImpl p, List<Object> params) throws SqlException {
    Planned planned = plan(s, cat, q);
    QueryPlanner.Plan plan = planned.plan();
    Object[] internal = new Object[q.paramMap().length];
    for (int i = 0; i < internal.length; i++) {
      int n = q.paramMap()[i];
      if (n >= params.size()) {
        throw new SqlException(SqlState.PROTOCOL_VIOLATION, "statement needs " + q.parameterCount()
            + " parameters, got " + params.size());
      }
      RelDataType t = i < plan.paramTypes().size() ? plan.paramTypes().get(i) : null;
      Object v = params.get(n);
      internal[i] = t == null ? v : ColumnType.fromRelType(t).coerce(v);
    }
    ExecContext ctx = new ExecContext(s.engine.planner.rootSchema(s.engine.planner.config(cat, s.database.id())),
        QueryPlanner.TYPE_FACTORY, txn, internal, s.cancel, System.currentTimeMillis(), plan.internals());
    List<Object[]> rows;
    try {
      Enumerable<Object> en = plan.bindable().bind(ctx);
      rows = s.drain(en.enumerator(), plan.rowType().getFieldCount());
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    }
    return switch (planned.kind()) {
      case SELECT -> {
        List<ColumnInfo> cols = planned.columns();
        ColumnType[] types = new ColumnType[cols.size()];
        for (int i = 0; i < types.length; i++) {
          types[i] = ColumnType.fromRelType(plan.rowType().getFieldList().get(i).getType());
        }
        for (Object[] r : rows) {
          for (int i = 0; i < types.length; i++) {
            r[i] = types[i].toExternal(r[i]);
          }
        }
        yield new Session.Result(cols, rows, "SELECT " + rows.size(), false);
      }
      case INSERT -> insert(s, txn, cat, planned, rows);
      case UPDATE -> update(s, txn, planned, rows);
      case DELETE -> delete(s, txn, planned, rows);
    };
  }

  private static void checkNotNull(TableDesc t, Object[] row) throws SqlException {
    for (int i = 0; i < row.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (row[i] == null && !c.nullable()) {
        throw new SqlException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + c.name()
            + "\" of relation \"" + t.name() + "\" violates not-null constraint");
      }
    }
  }

  private static void write(Session s, Txn txn, TableDesc t, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    try {
      Kv.await(txn.write(ms), s.cancel);
    } catch (KeyExistsException e) {
      throw RowWriter.duplicate(t, e.key(), null);
    }
  }

  private static Session.Result insert(Session s, Txn txn, Catalog cat, Planned p, List<Object[]> rows)
      throws SqlException {
    TableDesc t = p.table();
    int[] targets = p.targets();
    boolean[] targeted = new boolean[t.columns().size()];
    for (int c : targets) {
      targeted[c] = true;
    }
    Object[] defaults = new Object[t.columns().size()];
    for (int i = 0; i < defaults.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (!targeted[i] && c.defaultSql() != null && c.sequence() == null) {
        defaults[i] = evalDefault(s, txn, cat, c);
      }
    }
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] full = new Object[t.columns().size()];
      for (int j = 0; j < targets.length; j++) {
        full[targets[j]] = t.columns().get(targets[j]).type().coerce(r[j]);
      }
      for (int i = 0; i < full.length; i++) {
        TableDesc.Column c = t.columns().get(i);
        if (!targeted[i]) {
          full[i] = defaults[i];
        }
        if (full[i] == null && c.sequence() != null) {
          full[i] = c.type().coerce(Ddl.nextval(s, cat, c.sequence()));
        } else if (full[i] == null && c.hidden()) {
          full[i] = uniqueRowId(s);
        }
      }
      checkNotNull(t, full);
      RowWriter.insert(t, full, ms);
    }
    write(s, txn, t, ms);
    return new Session.Result(List.of(), List.of(), "INSERT 0 " + rows.size(), false);
  }

  private static Object evalDefault(Session s, Txn txn, Catalog cat, TableDesc.Column c) throws SqlException {
    QueryPlanner.Plan plan = s.engine.planner.planCached(cat, s.database.id(), "default:" + c.defaultSql(),
        () -> new SqlSelect(POS, null, new SqlNodeList(List.of(parseExpression(c.defaultSql())), POS),
            null, null, null, null, null, null, null, null, null, null));
    ExecContext ctx = new ExecContext(s.engine.planner.rootSchema(s.engine.planner.config(cat, s.database.id())),
        QueryPlanner.TYPE_FACTORY, txn, new Object[0], s.cancel, System.currentTimeMillis(), plan.internals());
    List<Object[]> rows = s.drain(plan.bindable().bind(ctx).enumerator(), 1);
    return c.type().coerce(rows.get(0)[0]);
  }

  private static long lastRowId;

  /** A unique, roughly increasing row id for tables without a primary key (HLC-based). */
  private static synchronized long uniqueRowId(Session s) {
    var ts = s.engine.kv.clock().now();
    long id = (ts.wallTime() / 1000) << 10 | (ts.logical() & 0x3FF);
    if (id <= lastRowId) {
      id = lastRowId + 1;
    }
    lastRowId = id;
    return id;
  }

  private static Session.Result update(Session s, Txn txn, Planned p, List<Object[]> rows) throws SqlException {
    TableDesc t = p.table();
    int n = t.columns().size();
    List<Mutation> deletes = new ArrayList<>();
    List<Mutation> writes = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] old = java.util.Arrays.copyOf(r, n);
      Object[] nw = old.clone();
      for (int j = 0; j < p.targets().length; j++) {
        nw[p.targets()[j]] = t.columns().get(p.targets()[j]).type().coerce(r[n + j]);
      }
      checkNotNull(t, nw);
      RowWriter.update(t, old, nw, deletes, writes);
    }
    deletes.addAll(writes);
    write(s, txn, t, deletes);
    return new Session.Result(List.of(), List.of(), "UPDATE " + rows.size(), false);
  }

  private static Session.Result delete(Session s, Txn txn, Planned p, List<Object[]> rows) throws SqlException {
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      RowWriter.delete(p.table(), r, ms);
    }
    write(s, txn, p.table(), ms);
    return new Session.Result(List.of(), List.of(), "DELETE " + rows.size(), false);
  }
}
