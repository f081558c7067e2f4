package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.TimeoutSetting;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.MemorySetting;
import org.troupedb.sql.internal.errors.RowSizes;
import org.troupedb.sql.internal.exec.Copy;
import org.troupedb.sql.internal.exec.Ddl;
import org.troupedb.sql.internal.exec.Dml;
import org.troupedb.sql.internal.functions.PgTimeZone;
import org.troupedb.sql.internal.locks.SessionAdvisoryLocks;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.Query;
import org.troupedb.sql.parser.SimpleLiterals;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlCommit;
import org.troupedb.sql.parser.ast.SqlCopy;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlPgExplain;
import org.troupedb.sql.parser.ast.SqlReleaseSavepoint;
import org.troupedb.sql.parser.ast.SqlResetVariable;
import org.troupedb.sql.parser.ast.SqlRollback;
import org.troupedb.sql.parser.ast.SqlSavepoint;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.sql.parser.ast.SqlSetVariable;
import org.troupedb.sql.parser.ast.SqlShowVariable;
import org.troupedb.sql.parser.ast.SqlVacuum;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.sql.parser.ast.SqlAsOfSystemTime;

/**
 * One client session.
 *
 * <pre>
 *            BEGIN                     error
 *   IDLE ─────────────▶ IN_TRANSACTION ───────▶ FAILED
 *     ▲                  │ COMMIT/ROLLBACK        │ COMMIT (reports ROLLBACK) / ROLLBACK
 *     └──────────────────┴────────────────────────┘
 * </pre>
 *
 * Outside a block each statement runs in an implicit transaction, retried internally on 40001
 * (results are materialized before anything is returned, so a retry is invisible).
 */
public final class Session implements SqlSession {
  private static final int MAX_RETRIES = 10;

  public final Engine engine;
  public final Catalog.Database database;
  final Vars vars = new Vars();
  public final CancelFlag cancel = new CancelFlag();
  /** The authenticated role: privilege checks and current_user (fixed for the session's life). */
  public final String user;
  private Txn txn;
  /** {@link #catalogFor}'s memo: the transaction, its read timestamp and the catalog it read. */
  private Txn catalogTxn;
  private Timestamp catalogTs;
  private Catalog catalogOfTxn;
  private TransactionStatus status = TransactionStatus.IDLE;
  /** The open block was begun (or SET TRANSACTION made it) READ ONLY. */
  private boolean blockReadOnly;
  /** The open block's savepoints (innermost last) and its transaction-control state. */
  private final Savepoints savepoints = new Savepoints();
  public final Map<String, Long> currvals = new java.util.HashMap<>();
  /** The advisory locks this session holds; transaction-scoped ones go when its transaction ends. */
  public final SessionAdvisoryLocks advisoryLocks;
  /** set_config's view of {@link #vars}. */
  public final org.troupedb.sql.internal.functions.SetConfigFunction.SessionConfig sessionConfig =
      (name, value, local) -> vars.setConfig(name, value, local);
  /**
   * How to report a duplicate key in each table the current transaction inserted into, by table
   * id. NB: an implicit transaction's writes are buffered until commit (1PC), so its
   * {@link KeyExistsException} surfaces from {@code commit()}, after the statement that caused it
   * has returned; this map names the violated constraint then.
   */
  private final Map<Long, Function<byte[], SqlException>> duplicateReporters = new HashMap<>();
  /** Simple-query shapes prepared in this session (see {@link #parseSimple}), least recent first. */
  private final Map<String, PreparedImpl> shapes = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedImpl> eldest) {
      return size() > MAX_SHAPES;
    }
  };
  private static final int MAX_SHAPES = 256;
  /** {@code -Dtroupedb.sql.insert-pipeline=off}: every autocommit INSERT commits at its Execute (for measuring). */
  private static final boolean PIPELINING = !"off".equals(System.getProperty("troupedb.sql.insert-pipeline"));
  /** Autocommit INSERTs of VALUES since the client's last Sync ({@link #executeUntilSync}). */
  private final InsertPipeline pipeline;

  Session(Engine engine, Catalog.Database database, SessionParams params) {
    this.engine = engine;
    this.database = database;
    this.user = params.user() == null ? "root" : params.user();
    this.pipeline = new InsertPipeline(engine);
    this.advisoryLocks = new SessionAdvisoryLocks(engine.advisoryLocks, cancel,
        () -> TimeoutSetting.millisOrOff(vars.get(TimeoutSetting.LOCK)));
    vars.internal("session_authorization", user);
    vars.takeChanged();
    if (params.options() != null) {
      params.options().forEach(vars::initial);
    }
  }

  /**
   * A prepared statement. {@code plan} holds the statement's {@link Dml.Planned} form for the
   * catalog snapshot it was planned against, so executing it again under the same snapshot neither
   * parses nor plans.
   */
  public record PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
      List<RelDataType> calciteParamTypes, Dml.PlanSlot plan) implements Prepared {
    PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
        List<RelDataType> calciteParamTypes) {
      this(statement, parameterTypes, columns, calciteParamTypes, new Dml.PlanSlot());
    }
  }

  public record Result(List<ColumnInfo> columns, List<Object[]> rowList, String tag, boolean isEmptyQuery)
      implements StatementResult {
    @Override
    public Iterator<Object[]> rows() {
      return rowList.iterator();
    }

    @Override
    public String commandTag() {
      return tag;
    }

    static Result of(String tag) {
      return new Result(List.of(), List.of(), tag, false);
    }
  }

  /** The statements of {@code sql}: from the node's {@link StatementCache} when parsed before. */
  @Override
  public List<Statement> parse(String sql) throws SqlException {
    List<Stmt> known = engine.statements.parsed(sql);
    if (known != null) {
      return List.copyOf(known);
    }
    List<Stmt> stmts = List.copyOf(StatementParser.parse(sql));
    engine.statements.putParsed(sql, stmts);
    return List.copyOf(stmts);
  }

  /**
   * A simple query whose integer literals {@link SimpleLiterals} can take: the statement of its
   * shape (parsed once per session) with this text's values, else {@link #parse}.
   */
  @Override
  public List<Statement> parseSimple(String sql) throws SqlException {
    SimpleLiterals.Shape shape = SimpleLiterals.parameterize(sql);
    if (shape == null) {
      return parse(sql);
    }
    PreparedImpl known = shapes.get(shape.sql());
    if (known != null) {
      return List.of(new LiteralStmt(known.statement(), shape.sql(), sql, shape.values(), shape.contexts()));
    }
    List<Statement> parsed;
    try {
      parsed = parse(shape.sql());
    } catch (SqlException e) {
      return parse(sql); // its own error, at its own positions
    }
    if (parsed.size() != 1 || ((Stmt) parsed.get(0)).query() == null
        || ((Stmt) parsed.get(0)).parameterCount() != shape.values().length) {
      return parse(sql);
    }
    return List.of(new LiteralStmt((Stmt) parsed.get(0), shape.sql(), sql, shape.values(), shape.contexts()));
  }

  /**
   * A simple query's statement as its shape ({@code $n} for literals, parsed from the text {@code
   * key}) and the literals' values; it takes no client parameters.
   */
  record LiteralStmt(Stmt shape, String key, String sql, long[] values, List<SimpleLiterals.Context> contexts)
      implements Statement {
    @Override
    public int parameterCount() {
      return 0;
    }

    @Override
    public String commandTag() {
      return shape.commandTag();
    }
  }

  /** A {@link LiteralStmt} prepared: its shape's prepared form and the values to execute it with. */
  record LiteralPrepared(LiteralStmt statement, PreparedImpl shape) implements Prepared {
    @Override
    public List<PgType> parameterTypes() {
      return List.of();
    }

    @Override
    public List<ColumnInfo> columns() {
      return shape.columns();
    }
  }

  /**
   * The shape's prepared form if each value keeps its meaning as the parameter's type: an integer
   * type it fits, or double precision (exact below 2^53); an operand of {@code +}/{@code -} not
   * smallint (PostgreSQL adds an integer literal to a smallint as integer). Otherwise (a text
   * column, a numeric's precision, a smallint out of range: PostgreSQL compares those differently)
   * null.
   */
  private static LiteralPrepared ifValuesFit(LiteralStmt st, PreparedImpl p) {
    List<RelDataType> types = p.calciteParamTypes();
    if (types.size() != st.values().length) {
      return null;
    }
    for (int i = 0; i < types.size(); i++) {
      long v = st.values()[i];
      RelDataType t = types.get(i);
      boolean fits = t != null && switch (t.getSqlTypeName()) {
        case SMALLINT -> st.contexts().get(i) != SimpleLiterals.Context.ARITHMETIC
            && v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
        case INTEGER -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        case BIGINT -> true;
        case DOUBLE -> Math.abs(v) < (1L << 53);
        default -> false;
      };
      if (!fits) {
        return null;
      }
    }
    return new LiteralPrepared(st, p);
  }

  /**
   * Prepares a {@link LiteralStmt}: its shape as prepared before in this session while the catalog
   * is unchanged, else newly (a failure there aborts nothing: the original text then reports its
   * own error); the original text when the values do not fit the shape's parameters.
   */
  private Prepared prepareLiterals(LiteralStmt st) throws SqlException {
    PreparedImpl known = shapes.get(st.key());
    if (known != null && !current(known)) {
      shapes.remove(st.key()); // planned against an older catalog: its parameter types may differ
      known = null;
    }
    PreparedImpl shaped = known;
    if (shaped == null && status != TransactionStatus.FAILED) {
      try {
        shaped = (PreparedImpl) prepareStatement(st.shape(), List.of(), false);
      } catch (SqlException e) {
        shaped = null; // the shape is not plannable as such: the text's own preparation reports why
      }
    }
    LiteralPrepared fitted = shaped == null ? null : ifValuesFit(st, shaped);
    if (fitted != null) {
      shapes.put(st.key(), shaped);
      return fitted;
    }
    List<Statement> original = parse(st.sql()); // the literals' own types decide, as in PostgreSQL
    return prepare(original.get(0), List.of());
  }

  /** Whether {@code p}'s plan, and so its parameter types, still hold for the newest catalog. */
  private boolean current(PreparedImpl p) {
    Dml.Planned planned = p.plan().get(engine.catalog.latest(), database.id(), engine.planGeneration());
    return planned != null
        && (planned.plan() == null ? List.of() : planned.plan().paramTypes()).equals(p.calciteParamTypes());
  }

  /** {@code e} with its position within statement {@code st}'s text moved to the whole query string. */
  private static SqlException located(SqlException e, Stmt st) {
    int offset = st.offset() + (st.node() instanceof SqlPgExplain ? st.queryOffset() : 0);
    return e.position() > 0 && offset > 0 ? e.withPosition(e.position() + offset) : e;
  }

  @Override
  public Prepared prepare(Statement statement, List<PgType> hints) throws SqlException {
    if (statement instanceof LiteralStmt ls) {
      return prepareLiterals(ls);
    }
    Stmt st = (Stmt) statement;
    StatementCache.Key key = StatementCache.key(st, hints, database.id(), vars.get("search_path"));
    PreparedImpl known = key == null ? null : engine.statements.prepared(key);
    if (known != null && stillValid(known)) {
      return known;
    }
    try {
      Prepared p = prepareStatement(st, hints);
      if (key != null) {
        engine.statements.putPrepared(key, (PreparedImpl) p);
      }
      return p;
    } catch (SqlException e) {
      throw located(e, st);
    }
  }

  /**
   * Whether a prepared form from the node's cache holds here: one that needs no catalog always;
   * a query's when its plan is for the catalog this session would plan it against now (inside a
   * block, the block's; outside, the newest this node has read, which every local DDL commit
   * refreshes) and the block is not failed (then preparing reports 25P02 again).
   */
  private boolean stillValid(PreparedImpl p) throws SqlException {
    Stmt st = p.statement();
    if (st.query() == null || st.node() instanceof SqlPgExplain) {
      return true;
    }
    if (status == TransactionStatus.FAILED || savepoints.committed()) {
      return false;
    }
    Catalog cat;
    try {
      cat = txn != null ? catalogFor(txn) : engine.catalog.latest();
    } catch (SqlException e) {
      return false; // preparing it reads the catalog again and reports the error as usual
    }
    Dml.Planned planned = p.plan().get(cat, database.id(), engine.planGeneration());
    return planned != null
        && (planned.plan() == null ? List.of() : planned.plan().paramTypes()).equals(p.calciteParamTypes());
  }

  private Prepared prepareStatement(Stmt st, List<PgType> hints) throws SqlException {
    return prepareStatement(st, hints, true);
  }

  /** {@code failsBlock}: whether an error aborts the open transaction block, as a client's does. */
  private Prepared prepareStatement(Stmt st, List<PgType> hints, boolean failsBlock) throws SqlException {
    SqlNode node = st.node();
    if (node instanceof SqlPgExplain) {
      return new PreparedImpl(st, List.of(), List.of(ColumnInfo.of("QUERY PLAN", PgType.TEXT)), List.of());
    }
    if (node instanceof SqlShowVariable show) {
      List<ColumnInfo> cols = show.all()
          ? List.of(ColumnInfo.of("name", PgType.TEXT), ColumnInfo.of("setting", PgType.TEXT),
              ColumnInfo.of("description", PgType.TEXT))
          : List.of(ColumnInfo.of(Vars.display(show.name().toLowerCase(java.util.Locale.ROOT)), PgType.TEXT));
      return new PreparedImpl(st, List.of(), cols, List.of());
    }
    Query q = st.query();
    if (q == null) {
      return new PreparedImpl(st, List.of(), List.of(), List.of());
    }
    if (status == TransactionStatus.FAILED) {
      throw failedBlock();
    }
    if (savepoints.committed()) {
      throw committedBlock();
    }
    cancel.set(false);
    Txn t = txn != null ? txn : engine.kv.begin(new TxnOptions(true, null, true));
    try {
      Catalog cat = engine.catalog.read(t, cancel);
      long generation = engine.planGeneration();
      Dml.Planned planned = Dml.plan(this, cat, q);
      List<PgType> pts = new ArrayList<>();
      List<RelDataType> cts = new ArrayList<>();
      List<RelDataType> found = planned.plan() == null ? List.of() : planned.plan().paramTypes();
      for (int n = 0; n < q.parameterCount(); n++) {
        RelDataType type = n < found.size() ? found.get(n) : null;
        PgType hint = hints != null && n < hints.size() ? hints.get(n) : null;
        // A type the client declared is the parameter's type, as in PostgreSQL (drivers check that
        // ParameterDescription echoes it); the value is coerced to the type the plan needs.
        pts.add(hint != null ? hint : type != null ? ColumnType.fromRelType(type).pg() : PgType.TEXT);
        cts.add(type);
      }
      Dml.PlanSlot slot = new Dml.PlanSlot();
      slot.put(cat, database.id(), generation, planned);
      return new PreparedImpl(st, pts, planned.columns(), cts, slot);
    } catch (SqlException e) {
      if (txn != null && failsBlock) {
        failBlock();
      }
      throw e;
    } finally {
      if (txn == null) {
        t.rollback();
      }
    }
  }

  private static SqlException failedBlock() {
    return new SqlException(SqlState.IN_FAILED_SQL_TRANSACTION,
        "current transaction is aborted, commands ignored until end of transaction block");
  }

  private static SqlException committedBlock() {
    return new SqlException(SqlState.INVALID_TRANSACTION_STATE,
        "current transaction is committed, commands ignored until end of transaction block");
  }

  /**
   * An error inside the block: the block is aborted until ROLLBACK — or ROLLBACK TO SAVEPOINT,
   * so under a savepoint the transaction stays open (its writes since the savepoint are undone
   * then); without one it is rolled back now, releasing its locks early.
   */
  private void failBlock() {
    status = TransactionStatus.FAILED;
    if (txn != null && savepoints.isEmpty()) {
      txn.rollback();
    }
  }

  @Override
  public StatementResult execute(Prepared prepared, List<Object> params) throws SqlException {
    return execute(prepared, params, false);
  }

  /**
   * As {@link #execute}; an autocommit INSERT of VALUES joins the implicit transaction that lasts
   * until {@link #sync()} ({@link InsertPipeline}), as the extended protocol's implicit
   * transaction does in PostgreSQL.
   */
  @Override
  public StatementResult executeUntilSync(Prepared prepared, List<Object> params) throws SqlException {
    return execute(prepared, params, true);
  }

  private StatementResult execute(Prepared prepared, List<Object> params, boolean untilSync) throws SqlException {
    if (prepared instanceof LiteralPrepared lp) {
      List<Object> values = new ArrayList<>(lp.statement().values().length);
      for (long v : lp.statement().values()) {
        values.add(v);
      }
      return execute(lp.shape(), values, untilSync);
    }
    PreparedImpl p = (PreparedImpl) prepared;
    engine.executions.increment();
    try (StatementTimer timer = StatementTimer.start(cancel, vars.get(TimeoutSetting.STATEMENT))) {
      if (untilSync && PIPELINING && pipelinable(p)) {
        return pipelined(p, params);
      }
      commitPipeline();
      return executeStatement(p, params);
    } catch (SqlException e) {
      throw located(e, p.statement());
    }
  }

  private StatementResult executeStatement(PreparedImpl p, List<Object> params) throws SqlException {
    SqlNode node = p.statement().node();
    if (node instanceof SqlCommit) {
      return commit();
    }
    if (node instanceof SqlRollback r) {
      return rollback(r);
    }
    if (status == TransactionStatus.FAILED) {
      throw failedBlock();
    }
    if (savepoints.committed()) {
      throw committedBlock();
    }
    try {
      StatementResult r = session(p);
      if (r != null) {
        return r;
      }
    } catch (SqlException e) {
      if (txn != null) {
        failBlock();
      }
      throw e;
    }
    if (readOnly() && !p.statement().commandTag().equals("SELECT")
        && !(node instanceof SqlPgExplain) && !(node instanceof SqlVacuum) && !(node instanceof SqlCopy c && !c.from())) {
      SqlException e = new SqlException(SqlState.READ_ONLY_SQL_TRANSACTION,
          "cannot execute " + p.statement().commandTag() + " in a read-only transaction");
      if (txn != null) {
        failBlock();
      }
      throw e;
    }
    if (node instanceof SqlCopy copy) {
      return Copy.start(this, txn, copy, this::failBlock);
    }
    Timestamp asOf = node instanceof SqlAsOfSystemTime a
        ? AsOfSystemTime.resolve(a.timestamp(), HybridClock.SYSTEM_CLOCK.getAsLong()) : null;
    if (txn != null && asOf != null) {
      failBlock();
      throw SqlException.unsupported("AS OF SYSTEM TIME inside a transaction block");
    }
    if (txn != null) {
      savepoints.started();
      try {
        return run(txn, p, params);
      } catch (KeyExistsException e) {
        failBlock();
        throw duplicate(e);
      } catch (SqlException | RuntimeException e) {
        failBlock();
        throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
      }
    }
    try {
      return implicitTransaction(p, params, asOf);
    } finally {
      advisoryLocks.endTransaction(); // pg_advisory_xact_lock in an implicit transaction
    }
  }

  /** Runs {@code p} in a transaction of its own, retried on 40001. */
  private StatementResult implicitTransaction(PreparedImpl p, List<Object> params, Timestamp asOf) throws SqlException {
    for (int attempt = 0; ; attempt++) {
      Txn t = engine.kv.begin(asOf == null ? TxnOptions.implicitStatement() : new TxnOptions(true, asOf, true));
      duplicateReporters.clear();
      try {
        StatementResult r = run(t, p, params);
        Kv.await(t.commit(), cancel);
        engine.catalog.afterCommit(t);
        return r;
      } catch (SqlException | RuntimeException e) {
        t.rollback();
        SqlException se = e instanceof KeyExistsException k ? duplicate(k)
            : e instanceof SqlException x ? x : Errors.fromRuntime(e);
        if (SqlState.SERIALIZATION_FAILURE.equals(se.sqlState()) && attempt < MAX_RETRIES) {
          continue;
        }
        throw se;
      }
    }
  }

  /**
   * An INSERT of VALUES (no RETURNING, ON CONFLICT or AS OF) outside a transaction block, whose
   * result does not depend on what it reads: it may join the {@link InsertPipeline}.
   */
  private boolean pipelinable(PreparedImpl p) {
    Query q = p.statement().query();
    return txn == null && status == TransactionStatus.IDLE && q != null && p.statement().node() == q.node()
        && q.node() instanceof org.apache.calcite.sql.SqlInsert ins
        && ins.getSource().getKind() == org.apache.calcite.sql.SqlKind.VALUES
        && !q.handlesConflicts() && q.returning() == null && !readOnly();
  }

  private StatementResult pipelined(PreparedImpl p, List<Object> params) throws SqlException {
    if (!pipeline.open()) {
      duplicateReporters.clear();
    }
    try {
      return pipeline.add(p, params, this::run);
    } catch (SqlException | RuntimeException e) {
      pipeline.abort();
      throw e instanceof KeyExistsException k ? duplicate(k)
          : e instanceof SqlException x ? x : Errors.fromRuntime((RuntimeException) e);
    }
  }

  /** Commits the open {@link InsertPipeline}, if any; its failure is this statement's error. */
  private void commitPipeline() throws SqlException {
    if (!pipeline.open()) {
      return;
    }
    try {
      pipeline.commit(this::run, cancel, MAX_RETRIES);
    } catch (KeyExistsException e) {
      throw duplicate(e);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    }
  }

  /**
   * Runs a statement that needs no transaction of its own (BEGIN, SET, SHOW, SAVEPOINT, the
   * transaction-block checks); null for one that does.
   */
  private StatementResult session(PreparedImpl p) throws SqlException {
    SqlNode node = p.statement().node();
    String tag = p.statement().commandTag();
    if (node instanceof SqlBeginTransaction b) {
      begin(b);
      return Result.of(tag);
    }
    if (node instanceof SqlSetVariable set) {
      vars.set(set);
      return Result.of(tag);
    }
    if (node instanceof SqlResetVariable reset) {
      vars.reset(reset.name());
      return Result.of(tag);
    }
    if (node instanceof SqlSetTransaction set) {
      setTransaction(set);
      return Result.of(tag);
    }
    if (node instanceof SqlShowVariable show) {
      return show(show, p);
    }
    if (node instanceof SqlSavepoint sp) {
      if (txn == null) {
        throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "SAVEPOINT can only be used in transaction blocks");
      }
      savepoints.push(sp.name().getSimple(), kvSavepoint(txn));
      return Result.of(tag);
    }
    if (node instanceof SqlReleaseSavepoint r) {
      release(r.name().getSimple());
      return Result.of(tag);
    }
    boolean database = node instanceof SqlCreateDatabase || node instanceof SqlDropDatabase;
    if (txn != null && (database || node instanceof SqlVacuum v && v.vacuum())) {
      throw new SqlException(SqlState.ACTIVE_SQL_TRANSACTION, tag + " cannot run inside a transaction block");
    }
    return null;
  }

  private static SqlException noSuchSavepoint(String name) {
    return new SqlException(SqlState.INVALID_SAVEPOINT_SPECIFICATION, "savepoint \"" + name + "\" does not exist");
  }

  private static Txn.Savepoint kvSavepoint(Txn t) throws SqlException {
    try {
      return t.savepoint();
    } catch (UnsupportedOperationException e) {
      throw SqlException.unsupported("SAVEPOINT");
    }
  }

  /**
   * RELEASE [SAVEPOINT] name: forgets the savepoint and the later ones. Releasing the retry
   * savepoint {@code cockroach_restart} commits the transaction (CockroachDB's protocol): on
   * 40001 the block fails and ROLLBACK TO SAVEPOINT cockroach_restart retries it; on success
   * only COMMIT or ROLLBACK may follow.
   */
  private void release(String name) throws SqlException {
    if (txn == null) {
      throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "RELEASE SAVEPOINT can only be used in transaction blocks");
    }
    Savepoints.Named sp = savepoints.find(name);
    if (sp == null) {
      throw noSuchSavepoint(name);
    }
    if (!Savepoints.RESTART.equals(name)) {
      savepoints.release(sp);
      txn.release(sp.kv());
      return;
    }
    try {
      Kv.await(txn.commit(), cancel);
    } catch (KeyExistsException e) {
      throw duplicate(e);
    }
    engine.catalog.afterCommit(txn);
    savepoints.markCommitted();
  }

  /**
   * ROLLBACK TO [SAVEPOINT] name. The transaction open: its writes and row locks since the
   * savepoint are undone and the block leaves the failed state. The transaction aborted by a
   * retry error (40001): only a savepoint taken before the block's first statement (such as
   * {@code cockroach_restart}) can be rolled back to — that restarts the transaction at a new
   * timestamp with the same priority; any other savepoint fails with 40001 (the writes before
   * it are lost with the aborted transaction), as in CockroachDB.
   */
  private StatementResult rollbackTo(String name) throws SqlException {
    if (txn == null) {
      throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
          "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
    }
    if (savepoints.committed()) {
      throw committedBlock();
    }
    Savepoints.Named sp = savepoints.find(name);
    if (sp == null) {
      failBlock();
      throw noSuchSavepoint(name);
    }
    if (txn.state() != org.troupedb.txn.TxnState.PENDING) {
      if (!sp.atStart()) {
        failBlock();
        throw new SqlException(SqlState.SERIALIZATION_FAILURE, "restart transaction: cannot roll back to savepoint \""
            + name + "\" after the transaction was aborted by a retry error; only a savepoint taken at the start of"
            + " the transaction (SAVEPOINT cockroach_restart) restarts it", null, "ROLLBACK and retry the transaction",
            null);
      }
      txn = txn.restart();
      duplicateReporters.clear();
      savepoints.restarted(sp, kvSavepoint(txn));
    } else {
      try {
        Kv.await(txn.rollbackTo(sp.kv()), cancel);
      } catch (SqlException | RuntimeException e) {
        failBlock();
        throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
      }
      savepoints.rolledBackTo(sp);
      catalogTxn = null; // DDL after the savepoint is undone too
    }
    status = TransactionStatus.IN_TRANSACTION;
    return Result.of("ROLLBACK");
  }

  /** The session's TimeZone, as the executor's conversions to and from timestamptz use it. */
  public java.util.TimeZone timeZone() {
    return java.util.TimeZone.getTimeZone(PgTimeZone.zone(vars.get("timezone")));
  }

  private boolean readOnly() {
    return txn != null ? blockReadOnly : "on".equals(vars.get("default_transaction_read_only"));
  }

  private StatementResult run(Txn t, PreparedImpl p, List<Object> params) throws SqlException {
    t.setLockTimeout(TimeoutSetting.millisOrOff(vars.get(TimeoutSetting.LOCK)));
    Stmt st = p.statement();
    Catalog cat = catalogFor(t);
    if (st.node() instanceof SqlPgExplain) {
      if (st.query() == null) {
        throw SqlException.unsupported("EXPLAIN of " + StatementParser.tag(((SqlPgExplain) st.node()).statement()));
      }
      Dml.Planned planned = Dml.plan(this, cat, st.query());
      List<Object[]> rows = new ArrayList<>();
      for (String line : planned.plan().explain().split("\n")) {
        rows.add(new Object[] {line});
      }
      return new Result(p.columns(), rows, "EXPLAIN", false);
    }
    if (st.query() != null) {
      return Dml.execute(this, t, cat, st.query(), p, params == null ? List.of() : params);
    }
    if (st.node() instanceof SqlVacuum v) {
      for (org.apache.calcite.sql.SqlIdentifier id : v.tables()) {
        Names.table(database, cat, id);
      }
      return Result.of(st.commandTag());
    }
    catalogTxn = null; // DDL changes what this transaction sees
    String tag = Privileges.executeOrCheck(this, t, cat, st.node());
    return Result.of(tag != null ? tag : Ddl.execute(this, t, cat, st.node(), st.sql()));
  }

  /**
   * The catalog as of {@code t}, read once per transaction and read timestamp: the version key it
   * read stays in the transaction's read set, so a later commit or refresh still validates it; a
   * transaction whose timestamp moved reads it again.
   */
  private Catalog catalogFor(Txn t) throws SqlException {
    if (t == catalogTxn && t.readTimestamp().equals(catalogTs)) {
      return catalogOfTxn;
    }
    Catalog c = engine.catalog.read(t, cancel);
    catalogTxn = t;
    catalogTs = t.readTimestamp();
    catalogOfTxn = c;
    return c;
  }

  private void begin(SqlBeginTransaction b) throws SqlException {
    if (txn != null) {
      return; // PostgreSQL: WARNING, there is already a transaction in progress
    }
    Timestamp asOf = null;
    if (b.asOf() != null) {
      if (Boolean.FALSE.equals(b.readOnly())) {
        throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
            "AS OF SYSTEM TIME specified with READ WRITE mode: a transaction in the past is read-only");
      }
      asOf = AsOfSystemTime.resolve(b.asOf(), HybridClock.SYSTEM_CLOCK.getAsLong());
    }
    duplicateReporters.clear();
    txn = engine.kv.begin(asOf == null ? TxnOptions.readWrite() : new TxnOptions(true, asOf, false));
    status = TransactionStatus.IN_TRANSACTION;
    vars.beginBlock();
    blockReadOnly = asOf != null
        || (b.readOnly() != null ? b.readOnly() : "on".equals(vars.get("default_transaction_read_only")));
    vars.internal("transaction_read_only", blockReadOnly ? "on" : "off");
  }

  /** SET TRANSACTION (this block) or SET SESSION CHARACTERISTICS AS TRANSACTION (later ones). */
  private void setTransaction(SqlSetTransaction set) {
    if (set.readOnly() == null) {
      return; // isolation levels: every transaction is serializable
    }
    String value = set.readOnly() ? "on" : "off";
    if (set.session()) {
      vars.internal("default_transaction_read_only", value);
    } else if (txn != null) {
      blockReadOnly = set.readOnly();
      vars.internal("transaction_read_only", value);
    }
  }

  private StatementResult commit() throws SqlException {
    if (status == TransactionStatus.FAILED) {
      if (txn != null) {
        txn.rollback();
      }
      endBlock(false);
      return Result.of("ROLLBACK");
    }
    if (savepoints.committed()) { // RELEASE SAVEPOINT cockroach_restart committed it
      endBlock(true);
      return Result.of("COMMIT");
    }
    if (txn != null) {
      Txn t = txn;
      endBlock(true);
      try {
        Kv.await(t.commit(), cancel);
      } catch (KeyExistsException e) {
        t.rollback();
        throw duplicate(e);
      } catch (SqlException e) {
        t.rollback();
        throw e;
      }
      engine.catalog.afterCommit(t);
    }
    return Result.of("COMMIT");
  }

  private StatementResult rollback(SqlRollback r) throws SqlException {
    if (r.savepoint() != null) {
      return rollbackTo(r.savepoint().getSimple());
    }
    if (txn != null) {
      txn.rollback();
    }
    endBlock(false);
    return Result.of("ROLLBACK");
  }

  private void endBlock(boolean committed) {
    advisoryLocks.endTransaction();
    txn = null;
    savepoints.clear();
    status = TransactionStatus.IDLE;
    duplicateReporters.clear();
    vars.endBlock(committed);
    blockReadOnly = false;
    vars.internal("transaction_read_only", "off");
  }

  /**
   * Registers how a duplicate {@code key} of table {@code tableId} written by the current
   * transaction is reported (the last registration for a table wins). Call before writing.
   */
  public void onDuplicate(long tableId, Function<byte[], SqlException> reporter) {
    duplicateReporters.put(tableId, reporter);
  }

  /** The 23505 error for a duplicate key the KV layer reported, whichever operation surfaced it. */
  public SqlException duplicate(KeyExistsException e) {
    byte[] key = e.key();
    long tableId = key != null && key.length > 0 && key[0] == Catalog.TABLE_PREFIX ? KeyEncoding.readId(key, 1) : -1;
    Function<byte[], SqlException> reporter = duplicateReporters.get(tableId);
    if (reporter != null) {
      return reporter.apply(key);
    }
    return new SqlException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint", e);
  }

  private StatementResult show(SqlShowVariable show, PreparedImpl p) throws SqlException {
    if (show.all()) {
      return new Result(p.columns(), vars.all(), "SHOW", false);
    }
    String v = vars.get(show.name());
    if (v == null) {
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + show.name() + "\"");
    }
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {v});
    return new Result(p.columns(), rows, "SHOW", false);
  }

  @Override
  public TransactionStatus transactionStatus() {
    return status;
  }

  @Override
  public Map<String, String> reportedParameters() {
    return vars.reported();
  }

  @Override
  public Map<String, String> takeChangedParameters() {
    return vars.takeChanged();
  }

  @Override
  public void batchFailed() {
    pipeline.abort();
  }

  /** Commits the INSERTs pipelined since the last Sync; every other Execute outside a block committed itself. */
  @Override
  public void sync() throws SqlException {
    commitPipeline();
  }

  @Override
  public void cancel() {
    cancel.set(true);
  }

  @Override
  public String setting(String name) {
    return vars.get(name);
  }

  @Override
  public void close() {
    pipeline.abort();
    if (txn != null) {
      txn.rollback();
    }
    endBlock(false);
    advisoryLocks.close();
  }

  /** Reads rows from an enumerator, checking for cancellation between rows. */
  public List<Object[]> drain(Enumerator<Object> en, int width) throws SqlException {
    return drain(en, width, MemoryBudget.unlimited());
  }

  /**
   * A new budget for one execution of a plan, limited by this session's {@code
   * troupedb.sql.statement-memory} and the node's pool; {@link #drain} gives it back.
   */
  public MemoryBudget statementMemory() {
    return new MemoryBudget(MemorySetting.bytesOr(vars.get(MemoryBudget.SETTING), MemoryBudget.DEFAULT_BYTES),
        engine.queryMemory);
  }

  /**
   * Reads rows from an enumerator, checking for cancellation between rows and charging {@code
   * memory} for the result it holds ("result"); closes {@code memory} at the end. NB: the rows
   * returned are no longer counted, though they live until the client has them.
   */
  public List<Object[]> drain(Enumerator<Object> en, int width, MemoryBudget memory) throws SqlException {
    List<Object[]> rows = new ArrayList<>();
    MemoryBudget.Account result = memory.transientAccount("the query result");
    try {
      while (en.moveNext()) {
        if (cancel.get()) {
          throw CancelFlag.error(cancel);
        }
        Object o = en.current();
        Object[] row = width == 1 && !(o instanceof Object[]) ? new Object[] {o} : (Object[]) o;
        result.charge(RowSizes.of(row) + 8);
        rows.add(row);
      }
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      engine.invalidatePlans();
      throw Errors.fromRuntime(e);
    } catch (OutOfMemoryError e) {
      // NB: a safety net under the budgets (which should fail first): the rows go, the node stays
      rows = null;
      throw new SqlException(SqlState.OUT_OF_MEMORY, "out of memory",
          "The node's heap ran out while the query ran.", null, null);
    } finally {
      en.close();
      memory.close();
    }
    return rows;
  }
}
