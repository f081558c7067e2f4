package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.kv.ExecContext;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.LiteralCasts;
import org.troupedb.sql.internal.plan.ParamValues;
import org.troupedb.sql.internal.plan.PointGet;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.session.Session;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgTypeSystem;
import org.troupedb.sql.parser.Query;
import org.troupedb.sql.parser.ast.SqlOnConflict;
import org.troupedb.sql.parser.ast.SqlReturning;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.LockNotAvailableException;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;

/**
 * Queries and DML. A SELECT is planned as is. INSERT plans its source (VALUES rows or a query,
 * with DEFAULT replaced by the column default and parameters cast to the column type); UPDATE and
 * DELETE plan {@code SELECT <all columns>, <new values> FROM t WHERE <condition>} and write the
 * changed rows (and their index entries) in the statement's transaction.
 */
public final class Dml {
  private Dml() {}

  public enum Kind { SELECT, INSERT, UPDATE, DELETE, SEQUENCE_FUNCTION, POINT_GET }

  public record Planned(Kind kind, QueryPlanner.Plan plan, List<ColumnInfo> columns, TableDesc table,
      int[] targets, QueryPlanner.Plan returning, QueryPlanner.Plan conflictUpdate, SqlCall seqCall,
      boolean onConflict, PointGet pointGet, Txn.ReadLock readLock) {
    Planned(Kind kind, QueryPlanner.Plan plan, List<ColumnInfo> columns, TableDesc table, int[] targets) {
      this(kind, plan, columns, table, targets, null, null, null, false, null, Txn.ReadLock.NONE);
    }

    Planned(Kind kind, QueryPlanner.Plan plan, List<ColumnInfo> columns, TableDesc table, int[] targets,
        QueryPlanner.Plan returning, QueryPlanner.Plan conflictUpdate, SqlCall seqCall, boolean onConflict,
        PointGet pointGet) {
      this(kind, plan, columns, table, targets, returning, conflictUpdate, seqCall, onConflict, pointGet,
          Txn.ReadLock.NONE);
    }

    Planned withReturning(QueryPlanner.Plan r) {
      return new Planned(kind, plan, r == null ? columns : ColumnType.columnsOf(r.rowType()), table, targets, r,
          conflictUpdate, seqCall, onConflict, pointGet, readLock);
    }

    /** SELECT … FOR UPDATE/SHARE: the reads lock the rows they return. */
    Planned withReadLock(Txn.ReadLock lock) {
      return new Planned(kind, plan, columns, table, targets, returning, conflictUpdate, seqCall, onConflict,
          pointGet, lock);
    }
  }

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /**
   * A prepared statement's planned form, valid for one catalog snapshot (keyed on its epoch, which
   * every DDL changes), database and planner generation (a generated plan class that failed to
   * initialize drops every plan). Owned by one session's prepared statement.
   */
  public static final class PlanSlot {
    private record Entry(long epoch, long db, long generation, Planned planned) {}

    private volatile Entry entry;

    /** The plan held for this snapshot, database and planner generation, or null. */
    public Planned get(Catalog cat, long db, long generation) {
      Entry e = entry;
      return e != null && e.epoch() == cat.epoch() && e.db() == db && e.generation() == generation
          ? e.planned() : null;
    }

    public void put(Catalog cat, long db, long generation, Planned planned) {
      entry = new Entry(cat.epoch(), db, generation, planned);
    }
  }

  /** The planned form of {@code q} under {@code cat}: from {@code slot} when still valid there. */
  public static Planned plan(Session s, Catalog cat, Query q, PlanSlot slot) throws SqlException {
    if (slot == null) {
      return plan(s, cat, q);
    }
    long generation = s.engine.planGeneration();
    Planned p = slot.get(cat, s.database.id(), generation);
    if (p == null) {
      p = plan(s, cat, q);
      slot.put(cat, s.database.id(), generation, p);
    }
    return p;
  }

  public static Planned plan(Session s, Catalog cat, Query q) throws SqlException {
    s.engine.statementsPlanned.incrementAndGet();
    Planned p;
    try {
      p = plan0(s, cat, q);
    } catch (SqlException e) {
      throw Errors.locate(e, q.sql());
    }
    if (q.returning() != null && p.table() != null) {
      TableDesc t = p.table();
      try {
        p = p.withReturning(s.engine.planner.planCached(cat, s.database.id(),
            "returning:" + t.name() + ":" + q.sql(), () -> returningNode(t, Query.returning(q.fresh()))));
      } catch (SqlException e) {
        throw Errors.locate(e, q.sql());
      }
    }
    if (q.handlesConflicts() && p.table() != null) {
      TableDesc t = p.table();
      QueryPlanner.Plan cu = null;
      if (q.upsert() || !q.onConflict().doNothing()) {
        cu = s.engine.planner.planCached(cat, s.database.id(), "conflict:" + q.sql(),
            () -> conflictNode(t, p0Targets(t, q), Query.onConflict(q.fresh())));
      }
      p = new Planned(p.kind(), p.plan(), p.columns(), p.table(), p.targets(), p.returning(), cu, null, true, null);
    }
    return p;
  }

  private static int[] p0Targets(TableDesc t, Query q) throws SqlException {
    return insertTargets(t, (SqlInsert) QueryPlanner.parse(q.sql()));
  }

  /**
   * The columns an INSERT writes. As in PostgreSQL, the rows of a VALUES must all be as long
   * (42601 otherwise), and without a column list a VALUES shorter than the table fills the first
   * columns and leaves the rest to their defaults.
   */
  private static int[] insertTargets(TableDesc t, SqlInsert ins) throws SqlException {
    int[] all = targets(t, ins.getTargetColumnList());
    if (ins.getSource().getKind() != SqlKind.VALUES) {
      return all;
    }
    int width = -1;
    for (SqlNode r : ((SqlCall) ins.getSource()).getOperandList()) {
      SqlCall row = (SqlCall) r;
      if (width >= 0 && row.operandCount() != width) {
        SqlNode at = row.operandCount() > 0 ? row.operand(0) : row;
        throw Errors.at(SqlState.SYNTAX_ERROR, "VALUES lists must all be the same length", at.getParserPosition());
      }
      width = row.operandCount();
    }
    SqlNodeList cols = ins.getTargetColumnList();
    if (cols != null && !cols.isEmpty()) {
      return all;
    }
    return width > 0 && width < all.length ? java.util.Arrays.copyOf(all, width) : all;
  }

  static List<Integer> visibleColumns(TableDesc t) {
    List<Integer> v = new ArrayList<>();
    for (int i = 0; i < t.columns().size(); i++) {
      if (!t.columns().get(i).hidden()) {
        v.add(i);
      }
    }
    return v;
  }

  /** {@code (VALUES (CAST(? AS t1), …)) AS alias(c1, …)} over the visible columns. */
  static SqlNode rowSource(TableDesc t, String alias, int firstParam) {
    int param = firstParam;
    List<SqlNode> vals = new ArrayList<>();
    List<SqlNode> asOps = new ArrayList<>();
    for (int i : visibleColumns(t)) {
      vals.add(SqlStdOperatorTable.CAST.createCall(POS, new org.apache.calcite.sql.SqlDynamicParam(param++, POS),
          typeSpec(t.columns().get(i).type())));
    }
    SqlNode values = SqlStdOperatorTable.VALUES.createCall(POS, SqlStdOperatorTable.ROW.createCall(POS, vals));
    asOps.add(values);
    asOps.add(new SqlIdentifier(alias, POS));
    for (int i : visibleColumns(t)) {
      asOps.add(new SqlIdentifier(t.columns().get(i).name(), POS));
    }
    return SqlStdOperatorTable.AS.createCall(POS, asOps);
  }

  /** SELECT <RETURNING items> FROM (VALUES <the written row as parameters>) AS t. */
  private static SqlNode returningNode(TableDesc t, SqlNodeList items) {
    return new SqlSelect(POS, null, items, rowSource(t, t.name(), 0), null, null, null, null, null,
        null, null, null, null);
  }

  /**
   * SELECT <new values of all visible columns>, <where or TRUE> FROM existing AS t, excluded:
   * from ON CONFLICT DO UPDATE, or for UPSERT ({@code oc} null) the proposed non-key values.
   */
  private static SqlNode conflictNode(TableDesc t, int[] targets, SqlOnConflict oc) throws SqlException {
    List<SqlNode> items = new ArrayList<>();
    SqlNode where = SqlLiteral.createBoolean(true, POS);
    java.util.Map<Integer, SqlNode> assigned = new java.util.HashMap<>();
    if (oc == null) {
      for (int c : targets) {
        if (!t.isPrimaryKeyColumn(c)) {
          assigned.put(c, new SqlIdentifier(List.of("excluded", t.columns().get(c).name()), POS));
        }
      }
    } else {
      for (int i = 0; i < oc.updateColumns().size(); i++) {
        SqlIdentifier id = (SqlIdentifier) oc.updateColumns().get(i);
        int c = t.columnIndex(id.names.get(id.names.size() - 1));
        if (c < 0 || t.columns().get(c).hidden()) {
          throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + id + "\" of relation \""
              + t.name() + "\" does not exist");
        }
        assigned.put(c, castIfNeeded(oc.updateValues().get(i), t.columns().get(c).type()));
      }
      if (oc.where() != null) {
        where = oc.where();
      }
    }
    for (int i : visibleColumns(t)) {
      SqlNode e = assigned.get(i);
      items.add(e != null ? e : new SqlIdentifier(List.of(t.name(), t.columns().get(i).name()), POS));
    }
    items.add(where);
    SqlNode from = new org.apache.calcite.sql.SqlJoin(POS, rowSource(t, t.name(), 0),
        SqlLiteral.createBoolean(false, POS), org.apache.calcite.sql.JoinType.COMMA.symbol(POS),
        rowSource(t, "excluded", visibleColumns(t).size()), org.apache.calcite.sql.JoinConditionType.NONE.symbol(POS), null);
    return new SqlSelect(POS, null, new SqlNodeList(items, POS), from, null, null, null, null, null,
        null, null, null, null);
  }

  private static SqlCall sequenceCall(SqlNode node) {
    if (!(node instanceof SqlSelect sel) || sel.getFrom() != null || sel.getSelectList().size() != 1) {
      return null;
    }
    SqlNode item = sel.getSelectList().get(0);
    if (item.getKind() == SqlKind.AS) {
      item = ((SqlCall) item).operand(0);
    }
    if (item instanceof SqlCall call && call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction) {
      String name = call.getOperator().getName().toLowerCase();
      if (name.equals("nextval") || name.equals("currval") || name.equals("setval")) {
        return call;
      }
    }
    return null;
  }

  /** The statement's tree to plan: an UPDATE or DELETE without its RETURNING (planned apart). */
  private static SqlNode parse(Query q) throws SqlException {
    SqlNode node = QueryPlanner.parse(q.sql());
    return node instanceof SqlReturning r ? r.dml() : node;
  }

  private static Planned plan0(Session s, Catalog cat, Query q) throws SqlException {
    // The parsed statement keeps its FOR UPDATE-style clause; the tree planned drops it.
    Txn.ReadLock lock = QueryPlanner.readLock(q.node());
    Planned planned = plan1(s, cat, q, parse(q));
    return lock == Txn.ReadLock.NONE ? planned : planned.withReadLock(lock);
  }

  private static Planned plan1(Session s, Catalog cat, Query q, SqlNode node) throws SqlException {
    LiteralCasts.check(node);
    SqlCall seq = sequenceCall(node);
    if (seq != null) {
      String label = seq.getOperator().getName().toLowerCase();
      return new Planned(Kind.SEQUENCE_FUNCTION, null,
          List.of(ColumnInfo.of(label, org.troupedb.sql.PgType.INT8)), null, null, null, null, seq, false, null);
    }
    long db = s.database.id();
    QueryPlanner planner = s.engine.planner;
    switch (node.getKind()) {
      case INSERT -> {
        SqlInsert ins = (SqlInsert) node;
        ViewWrites.refuseView(cat, db, ins.getTargetTable(), ViewWrites.Write.INSERT);
        TableDesc t = table(cat, db, ins.getTargetTable());
        int[] targets = insertTargets(t, ins);
        QueryPlanner.Plan params = ParamValues.plan(t, targets, ins.getSource());
        QueryPlanner.Plan plan = params != null ? params : planner.planCached(cat, db, "insert:" + q.sql(),
            () -> insertSource(t, targets, ((SqlInsert) QueryPlanner.parse(q.sql())).getSource()));
        return new Planned(Kind.INSERT, plan, List.of(), t, targets);
      }
      case UPDATE -> {
        SqlUpdate up = (SqlUpdate) node;
        ViewWrites.refuseView(cat, db, up.getTargetTable(), ViewWrites.Write.UPDATE);
        TableDesc t = table(cat, db, up.getTargetTable());
        int[] targets = targets(t, up.getTargetColumnList());
        QueryPlanner.Plan plan = planner.planCached(cat, db, "update:" + q.sql(), () -> {
          SqlUpdate u = (SqlUpdate) parse(q);
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
        ViewWrites.refuseView(cat, db, del.getTargetTable(), ViewWrites.Write.DELETE);
        TableDesc t = table(cat, db, del.getTargetTable());
        QueryPlanner.Plan plan = planner.planCached(cat, db, "delete:" + q.sql(), () -> {
          SqlDelete d = (SqlDelete) parse(q);
          return selectAll(t, d.getAlias(), d.getCondition(), List.of());
        });
        return new Planned(Kind.DELETE, plan, List.of(), t, new int[0]);
      }
      case MERGE -> throw SqlException.unsupported("MERGE");
      default -> {
        PointGet pg = PointGet.match(cat, db, node);
        if (pg != null) {
          QueryPlanner.Plan d = pg.describe();
          return new Planned(Kind.POINT_GET, d, d.columns(), pg.table(), null, null, null,
              null, false, pg);
        }
        QueryPlanner.Plan plan = planner.planCached(cat, db, q.sql());
        return new Planned(Kind.SELECT, plan, plan.columns(), null, null);
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
      throw Errors.at(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist", id.getParserPosition());
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
        throw Errors.at(SqlState.UNDEFINED_COLUMN,
            "column \"" + n + "\" of relation \"" + t.name() + "\" does not exist", id.getParserPosition());
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == idx) {
          throw Errors.at(SqlState.DUPLICATE_COLUMN, "column \"" + n + "\" specified more than once",
              id.getParserPosition());
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
      case UUID -> n = SqlTypeName.UUID;
      case TIME -> {
        n = SqlTypeName.TIME;
        prec = 3; // milliseconds (see PgTime)
        scale = org.apache.calcite.rel.type.RelDataType.SCALE_NOT_SPECIFIED;
      }
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

  /**
   * Types an INSERT … VALUES item against its target column as PostgreSQL does, so that the rows
   * of a multi-row VALUES need no common type: a string literal (of unknown type in PostgreSQL) is
   * read as the column type's input, a numeric literal is range-checked and cast to the column's
   * numeric type, parameters and NULLs are cast; other expressions are left as they are.
   */
  private static SqlNode assignLiteral(SqlNode v, ColumnType ct) throws SqlException {
    SqlNode lit = v;
    boolean negate = false;
    if (v.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) v).operand(0) instanceof SqlNumericLiteral) {
      lit = ((SqlCall) v).operand(0);
      negate = true;
    }
    boolean numericTarget = switch (ct.pg()) {
      case INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC -> true;
      default -> false;
    };
    if (lit instanceof SqlNumericLiteral num && numericTarget) {
      java.math.BigDecimal d = num.getValueAs(java.math.BigDecimal.class);
      ct.coerce(negate ? d.negate() : d); // PostgreSQL's range and precision errors, at plan time
      return SqlStdOperatorTable.CAST.createCall(POS, v, typeSpec(ct));
    }
    if (v instanceof SqlCharStringLiteral str) {
      String text = str.getValueAs(String.class);
      switch (ct.pg()) {
        case BYTEA -> {
          return SqlLiteral.createBinaryString(ColumnType.parseBytea(text), POS);
        }
        case BOOL -> {
          return SqlLiteral.createBoolean((Boolean) ct.coerce(text), POS);
        }
        case INT2, INT4, INT8, NUMERIC -> {
          Object o = ct.coerce(text);
          return SqlStdOperatorTable.CAST.createCall(POS,
              SqlLiteral.createExactNumeric(new java.math.BigDecimal(o.toString()).toPlainString(), POS), typeSpec(ct));
        }
        case FLOAT4, FLOAT8 -> {
          double x = ((Number) ct.coerce(text)).doubleValue();
          if (Double.isFinite(x)) {
            return SqlStdOperatorTable.CAST.createCall(POS,
                SqlLiteral.createApproxNumeric(Double.toString(x), POS), typeSpec(ct));
          }
          return v;
        }
        case DATE -> {
          int day = (Integer) ct.coerce(text);
          return SqlLiteral.createDate(org.apache.calcite.util.DateString.fromDaysSinceEpoch(day), POS);
        }
        case TIMESTAMP -> {
          java.time.LocalDateTime t = (java.time.LocalDateTime) ct.toExternal(ct.coerce(text));
          return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, new org.apache.calcite.util.TimestampString(
              t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())
              .withNanos(t.getNano()), 6, POS);
        }
        case UUID -> {
          return new org.apache.calcite.sql.SqlUuidLiteral((java.util.UUID) atLiteral(ct, text, str), POS);
        }
        case TIME -> {
          return SqlLiteral.createTime(org.apache.calcite.util.TimeString.fromMillisOfDay(
              (Integer) atLiteral(ct, text, str)), 3, POS);
        }
        case TIMESTAMPTZ -> {
          try {
            return org.troupedb.sql.parser.PgTimestamps.toTimestampTz(text, POS);
          } catch (IllegalArgumentException e) {
            throw new SqlException(SqlState.INVALID_DATETIME_FORMAT, e.getMessage());
          }
        }
        default -> {
          return v;
        }
      }
    }
    return castIfNeeded(v, ct);
  }

  /** {@code text} read as {@code ct}'s input; an error points at the literal, as PostgreSQL's does. */
  private static Object atLiteral(ColumnType ct, String text, SqlNode literal) throws SqlException {
    try {
      return ct.coerce(text);
    } catch (SqlException e) {
      throw org.troupedb.sql.internal.errors.Errors.at(e.sqlState(), e.getMessage(), literal.getParserPosition());
    }
  }

  private static boolean literalsOnly(List<SqlNode> rows, int i) {
    for (SqlNode r : rows) {
      SqlNode v = ((SqlCall) r).operand(i);
      if (v.getKind() == SqlKind.MINUS_PREFIX) {
        v = ((SqlCall) v).operand(0);
      }
      if (!(v instanceof SqlNumericLiteral || v instanceof SqlCharStringLiteral
          || (v instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A literal for an unconstrained NUMERIC column in a multi-row VALUES, as its text: each row keeps
   * its own scale as in PostgreSQL (1, 2.5, -3) instead of the rows' common DECIMAL scale; the row
   * writer reads the text as numeric.
   */
  private static SqlNode numericAsText(SqlNode v, ColumnType ct) throws SqlException {
    if (v instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL) {
      return SqlStdOperatorTable.CAST.createCall(POS, v,
          new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, -1, -1, null, POS), POS));
    }
    java.math.BigDecimal d;
    if (v instanceof SqlCharStringLiteral str) {
      d = (java.math.BigDecimal) ct.coerce(str.getValueAs(String.class));
    } else if (v.getKind() == SqlKind.MINUS_PREFIX) {
      d = ((SqlNumericLiteral) ((SqlCall) v).operand(0)).getValueAs(java.math.BigDecimal.class).negate();
    } else {
      d = ((SqlNumericLiteral) v).getValueAs(java.math.BigDecimal.class);
    }
    return SqlLiteral.createCharString(d.toPlainString(), POS);
  }

  private static SqlNode insertSource(TableDesc t, int[] targets, SqlNode source) throws SqlException {
    if (source.getKind() != SqlKind.VALUES) {
      return source;
    }
    SqlCall values = (SqlCall) source;
    List<SqlNode> rows = new ArrayList<>();
    for (SqlNode r : values.getOperandList()) {
      SqlCall row = (SqlCall) r;
      if (row.operandCount() == 0) { // DEFAULT VALUES
        List<SqlNode> defaults = new ArrayList<>();
        for (int target : targets) {
          defaults.add(SqlStdOperatorTable.DEFAULT.createCall(POS));
        }
        row = SqlStdOperatorTable.ROW.createCall(POS, defaults);
      }
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
        vals.add(v);
      }
      rows.add(SqlStdOperatorTable.ROW.createCall(POS, vals));
    }
    List<SqlNode> typed = new ArrayList<>();
    for (SqlNode r : rows) {
      SqlCall row = (SqlCall) r;
      List<SqlNode> vals = new ArrayList<>();
      for (int i = 0; i < targets.length; i++) {
        ColumnType ct = t.columns().get(targets[i]).type();
        SqlNode v = row.operand(i);
        if (rows.size() > 1 && ct.pg() == org.troupedb.sql.PgType.NUMERIC && ct.precision() < 0
            && literalsOnly(rows, i)) {
          vals.add(numericAsText(v, ct));
        } else {
          vals.add(assignLiteral(v, ct));
        }
      }
      typed.add(SqlStdOperatorTable.ROW.createCall(POS, vals));
    }
    return SqlStdOperatorTable.VALUES.createCall(POS, typed);
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

  public static Session.Result execute(Session s, Txn txn, Catalog cat, Query q,
      Session.PreparedImpl p, List<Object> params) throws SqlException {
    Planned planned = plan(s, cat, q, p == null ? null : p.plan());
    if (planned.readLock() == Txn.ReadLock.NONE) {
      return execute(s, txn, cat, q, planned, params);
    }
    txn.setReadLock(planned.readLock());
    try {
      return execute(s, txn, cat, q, planned, params);
    } catch (SqlException e) {
      if (e.getCause() instanceof LockNotAvailableException l) {
        byte[] key = l.key();
        TableDesc t = key.length > 0 && key[0] == Catalog.TABLE_PREFIX ? cat.tables().get(KeyEncoding.readId(key, 1)) : null;
        throw new SqlException(SqlState.LOCK_NOT_AVAILABLE,
            "could not obtain lock on row in relation \"" + (t == null ? "?" : t.name()) + "\"", l);
      }
      throw e;
    } finally {
      txn.setReadLock(Txn.ReadLock.NONE);
    }
  }

  private static Session.Result execute(Session s, Txn txn, Catalog cat, Query q, Planned planned,
      List<Object> params) throws SqlException {
    PlanPrivileges.check(s, cat, planned);
    if (planned.kind() == Kind.SEQUENCE_FUNCTION) {
      return sequenceFunction(s, cat, planned);
    }
    QueryPlanner.Plan plan = planned.plan();
    if (params.size() < q.parameterCount()) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION, "statement needs " + q.parameterCount()
          + " parameters, got " + params.size());
    }
    Object[] internal = new Object[q.parameterCount()];
    for (int i = 0; i < internal.length; i++) {
      RelDataType t = i < plan.paramTypes().size() ? plan.paramTypes().get(i) : null;
      internal[i] = t == null ? params.get(i) : ColumnType.fromRelType(t).coerce(params.get(i));
    }
    if (planned.kind() == Kind.POINT_GET) {
      return pointGet(s, txn, planned, internal);
    }
    MemoryBudget memory = s.statementMemory();
    ExecContext ctx = context(s, txn, cat, plan, internal, memory);
    List<Object[]> rows;
    try {
      Enumerable<Object> en = plan.bindable().bind(ctx);
      rows = s.drain(en.enumerator(), plan.rowType().getFieldCount(), memory);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      s.engine.invalidatePlans();
      throw Errors.fromRuntime(e);
    } finally {
      memory.close(); // NB: drain closes it too; this covers a bind that failed
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
      case INSERT -> returning(s, txn, cat, planned, "INSERT 0 ", insert(s, txn, cat, planned, rows));
      case UPDATE -> returning(s, txn, cat, planned, "UPDATE ", update(s, txn, cat, planned, rows));
      case DELETE -> returning(s, txn, cat, planned, "DELETE ", delete(s, txn, cat, planned, rows));
      case SEQUENCE_FUNCTION, POINT_GET -> throw new IllegalStateException();
    };
  }

  private static Session.Result pointGet(Session s, Txn txn, Planned p, Object[] params) throws SqlException {
    PointGet pg = p.pointGet();
    TableDesc t = pg.table();
    Object[] eq = new Object[t.columns().size()];
    int[] pk = t.primary().columns();
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < pk.length; i++) {
      eq[pk[i]] = pg.keyParams()[i] >= 0 ? params[pg.keyParams()[i]] : pg.keyValues()[i];
      if (eq[pk[i]] == null) {
        return new Session.Result(p.columns(), out, "SELECT 0", false); // k = NULL matches nothing
      }
    }
    for (Object[] row : new KvTable(t, true).read(txn, s.cancel, eq)) {
      Object[] r = new Object[pg.output().length];
      for (int i = 0; i < r.length; i++) {
        r[i] = t.columns().get(pg.output()[i]).type().toExternal(row[pg.output()[i]]);
      }
      out.add(r);
    }
    return new Session.Result(p.columns(), out, "SELECT " + out.size(), false);
  }

  private static Session.Result sequenceFunction(Session s, Catalog cat, Planned p) throws SqlException {
    SqlCall call = p.seqCall();
    String fn = call.getOperator().getName().toLowerCase();
    if (call.operandCount() < 1 || !(call.operand(0) instanceof SqlLiteral lit)) {
      throw SqlException.unsupported(fn + " with a non-literal argument");
    }
    String name = lit.getValueAs(String.class);
    long v;
    switch (fn) {
      case "nextval" -> v = Ddl.nextval(s, cat, name);
      case "currval" -> {
        if (cat.sequence(s.database.id(), "public", name) == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
        }
        Long c = s.currvals.get(name);
        if (c == null) {
          throw new SqlException("55000", "currval of sequence \"" + name + "\" is not yet defined in this session");
        }
        v = c;
      }
      default -> {
        if (call.operandCount() < 2 || !(call.operand(1) instanceof SqlLiteral n)) {
          throw SqlException.unsupported("setval with a non-literal value");
        }
        Catalog.SequenceDesc seq = cat.sequence(s.database.id(), "public", name);
        if (seq == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
        }
        v = n.getValueAs(Long.class);
        s.engine.sequences.setval(seq, v);
        s.currvals.put(name, v);
      }
    }
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {v});
    return new Session.Result(p.columns(), rows, "SELECT 1", false);
  }

  private static Session.Result returning(Session s, Txn txn, Catalog cat, Planned p, String tagPrefix,
      List<Object[]> written) throws SqlException {
    if (p.returning() == null) {
      return new Session.Result(List.of(), List.of(), tagPrefix + written.size(), false);
    }
    List<Integer> vis = visibleColumns(p.table());
    QueryPlanner.Plan rp = p.returning();
    ColumnType[] types = new ColumnType[rp.rowType().getFieldCount()];
    for (int i = 0; i < types.length; i++) {
      types[i] = ColumnType.fromRelType(rp.rowType().getFieldList().get(i).getType());
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : written) {
      for (Object[] r : evalOver(s, txn, cat, rp, valuesOf(row, vis))) {
        for (int i = 0; i < types.length; i++) {
          r[i] = types[i].toExternal(r[i]);
        }
        out.add(r);
      }
    }
    return new Session.Result(p.columns(), out, tagPrefix + written.size(), false);
  }

  static Object[] valuesOf(Object[] row, List<Integer> vis) {
    Object[] v = new Object[vis.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row[vis.get(i)];
    }
    return v;
  }

  /** The context one execution of {@code plan} runs in: the session's schema, clock, cancel flag, role and state. */
  private static ExecContext context(Session s, Txn txn, Catalog cat, QueryPlanner.Plan plan, Object[] params,
      MemoryBudget memory) {
    return new ExecContext(s.engine.planner.rootSchema(s.engine.planner.config(cat, s.database.id())),
        QueryPlanner.TYPE_FACTORY, txn, params, s.cancel, System.currentTimeMillis(), plan.internals(),
        s.timeZone(), Privileges.currentUser(s), memory).withAdvisoryLocks(s.advisoryLocks)
        .withSessionConfig(s.sessionConfig);
  }

  static List<Object[]> evalOver(Session s, Txn txn, Catalog cat, QueryPlanner.Plan plan,
      Object[] params) throws SqlException {
    MemoryBudget memory = s.statementMemory();
    ExecContext ctx = context(s, txn, cat, plan, params, memory);
    try {
      return s.drain(plan.bindable().bind(ctx).enumerator(), plan.rowType().getFieldCount(), memory);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      s.engine.invalidatePlans();
      throw Errors.fromRuntime(e);
    } finally {
      memory.close();
    }
  }

  static void checkNotNull(TableDesc t, Object[] row) throws SqlException {
    for (int i = 0; i < row.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (row[i] == null && !c.nullable()) {
        throw new SqlException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + c.name()
            + "\" of relation \"" + t.name() + "\" violates not-null constraint",
            "Failing row contains " + RowWriter.rowText(t, row) + ".", null, null);
      }
    }
  }

  static void write(Session s, Txn txn, TableDesc t, List<Mutation> ms) throws SqlException {
    if (ms.isEmpty()) {
      return;
    }
    s.onDuplicate(t.id(), key -> RowWriter.duplicate(t, key, null));
    try {
      Kv.await(txn.write(ms), s.cancel);
    } catch (KeyExistsException e) {
      throw RowWriter.duplicate(t, e.key(), null);
    }
  }

  /** The DEFAULT values of the columns an INSERT (or COPY) does not target, evaluated once per statement. */
  static Object[] defaults(Session s, Txn txn, Catalog cat, TableDesc t, boolean[] targeted) throws SqlException {
    Object[] defaults = new Object[t.columns().size()];
    for (int i = 0; i < defaults.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (!targeted[i] && c.defaultSql() != null && c.sequence() == null) {
        defaults[i] = evalDefault(s, txn, cat, c);
      }
    }
    return defaults;
  }

  /**
   * True if an untargeted column's DEFAULT calls a volatile function, which PostgreSQL evaluates
   * for each row: then {@link #defaults} must run per row, not once per statement.
   */
  static boolean volatileDefaults(TableDesc t, boolean[] targeted) throws SqlException {
    return VolatileDefaults.any(t, targeted);
  }

  /**
   * Fills the untargeted columns of a new row (defaults, SERIAL values, the hidden rowid) and
   * checks NOT NULL.
   */
  static void complete(Session s, Catalog cat, TableDesc t, boolean[] targeted, Object[] defaults, Object[] full)
      throws SqlException {
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
  }

  private static List<Object[]> insert(Session s, Txn txn, Catalog cat, Planned p, List<Object[]> rows)
      throws SqlException {
    List<Object[]> written = new ArrayList<>();
    TableDesc t = p.table();
    int[] targets = p.targets();
    boolean[] targeted = new boolean[t.columns().size()];
    for (int c : targets) {
      targeted[c] = true;
    }
    Object[] defaults = defaults(s, txn, cat, t, targeted);
    boolean perRow = volatileDefaults(t, targeted);
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] full = new Object[t.columns().size()];
      for (int j = 0; j < targets.length; j++) {
        full[targets[j]] = t.columns().get(targets[j]).type().coerce(r[j]);
      }
      complete(s, cat, t, targeted, perRow ? defaults(s, txn, cat, t, targeted) : defaults,
          full);
      if (onConflict(p)) {
        Checks.verify(s, txn, cat, t, full);
        Object[] existing = conflicting(s, txn, t, full);
        if (existing == null) {
          List<Mutation> one = new ArrayList<>();
          RowWriter.insert(t, full, one);
          write(s, txn, t, one);
          ForeignKeys.checkReferences(s, txn, cat, t, List.<Object[]>of(full));
          written.add(full);
        } else if (p.conflictUpdate() != null) {
          List<Integer> vis = visibleColumns(t);
          Object[] params = new Object[vis.size() * 2];
          System.arraycopy(valuesOf(existing, vis), 0, params, 0, vis.size());
          System.arraycopy(valuesOf(full, vis), 0, params, vis.size(), vis.size());
          Object[] upd = evalOver(s, txn, cat, p.conflictUpdate(), params).get(0);
          if (Boolean.TRUE.equals(upd[vis.size()])) {
            Object[] nw = existing.clone();
            for (int i = 0; i < vis.size(); i++) {
              nw[vis.get(i)] = t.columns().get(vis.get(i)).type().coerce(upd[i]);
            }
            checkNotNull(t, nw);
            Checks.verify(s, txn, cat, t, nw);
            List<Mutation> del = new ArrayList<>();
            List<Mutation> wr = new ArrayList<>();
            RowWriter.update(t, existing, nw, del, wr);
            del.addAll(wr);
            write(s, txn, t, del);
            ForeignKeys.afterUpdate(s, txn, cat, t, List.<Object[]>of(existing), List.<Object[]>of(nw));
            written.add(nw);
          }
        }
        continue;
      }
      Checks.verify(s, txn, cat, t, full);
      RowWriter.insert(t, full, ms);
      written.add(full);
    }
    write(s, txn, t, ms);
    if (!onConflict(p)) {
      ForeignKeys.checkReferences(s, txn, cat, t, written);
    }
    return written;
  }

  /** The existing row that {@code row} conflicts with on the primary key or a unique index, or null. */
  private static Object[] conflicting(Session s, Txn txn, TableDesc t, Object[] row) throws SqlException {
    KvTable kt = new KvTable(t, true);
    byte[] pk = RowWriter.primaryKey(t, row);
    byte[] v = Kv.await(txn.get(pk), s.cancel);
    if (v != null) {
      return kt.decodeRow(pk, v);
    }
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      byte[] entry = RowWriter.uniqueEntryKey(t, ix, row);
      if (entry == null) {
        continue;
      }
      byte[] target = Kv.await(txn.get(entry), s.cancel);
      if (target != null) {
        byte[] rv = Kv.await(txn.get(target), s.cancel);
        if (rv != null) {
          return kt.decodeRow(target, rv);
        }
      }
    }
    return null;
  }

  private static boolean onConflict(Planned p) {
    return p.onConflict();
  }

  private static Object evalDefault(Session s, Txn txn, Catalog cat, TableDesc.Column c) throws SqlException {
    if (c.type().pg() == org.troupedb.sql.PgType.UUID && "gen_random_uuid()".equalsIgnoreCase(c.defaultSql().trim())) {
      return org.troupedb.sql.internal.types.PgUuid.random(); // per row (see volatileDefaults): skip running a plan
    }
    QueryPlanner.Plan plan = s.engine.planner.planCached(cat, s.database.id(), "default:" + c.defaultSql(),
        () -> new SqlSelect(POS, null, new SqlNodeList(List.of(parseExpression(c.defaultSql())), POS),
            null, null, null, null, null, null, null, null, null, null));
    MemoryBudget memory = s.statementMemory();
    ExecContext ctx = context(s, txn, cat, plan, new Object[0], memory);
    List<Object[]> rows;
    try {
      rows = s.drain(plan.bindable().bind(ctx).enumerator(), 1, memory);
    } finally {
      memory.close();
    }
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

  private static List<Object[]> update(Session s, Txn txn, Catalog cat, Planned p, List<Object[]> rows)
      throws SqlException {
    TableDesc t = p.table();
    List<Object[]> written = new ArrayList<>();
    List<Object[]> olds = new ArrayList<>();
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
      Checks.verify(s, txn, cat, t, nw);
      RowWriter.update(t, old, nw, deletes, writes);
      written.add(nw);
      olds.add(old);
    }
    deletes.addAll(writes);
    write(s, txn, t, deletes);
    ForeignKeys.afterUpdate(s, txn, cat, t, olds, written);
    return written;
  }

  private static List<Object[]> delete(Session s, Txn txn, Catalog cat, Planned p, List<Object[]> rows)
      throws SqlException {
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      RowWriter.delete(p.table(), r, ms);
    }
    write(s, txn, p.table(), ms);
    ForeignKeys.afterDelete(s, txn, cat, p.table(), rows);
    return rows;
  }
}
