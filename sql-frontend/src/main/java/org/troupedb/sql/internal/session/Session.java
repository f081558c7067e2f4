package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.TimeoutSetting;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.MemorySetting;
import org.troupedb.sql.internal.exec.DmlPlan;
import org.troupedb.sql.internal.exec.DmlPlanner;
import org.troupedb.sql.internal.exec.PlanSlot;
import org.troupedb.sql.internal.exec.StreamedResult;
import org.troupedb.sql.internal.plan.SessionState;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.functions.PgTimeZone;
import org.troupedb.sql.internal.locks.SessionAdvisoryLocks;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.Query;
import org.troupedb.sql.parser.SimpleLiterals;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.ast.SqlPgExplain;
import org.troupedb.sql.parser.ast.SqlShowVariable;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * One client session: parses and prepares statements, and routes each one either to transaction
 * control ({@link SessionTxn}, whose block states are {@link TxnBlock}'s), to the statement's
 * transaction inside an open block, or to an implicit transaction of its own.
 *
 * Outside a block each statement runs in an implicit transaction, retried internally on 40001
 * while nothing has been returned: results up to {@code StreamedResult.BUFFER_ROWS} rows are
 * read whole first; a larger one streams ({@link OpenResults}) and commits at its end.
 */
public final class Session implements SqlSession, SessionState {
  public final Engine engine;
  public final Catalog.Database database;
  final Vars vars = new Vars();
  public final CancelFlag cancel = new CancelFlag();
  /** The authenticated role: privilege checks and current_user (fixed for the session's life). */
  public final String user;
  /** {@link #catalogFor}'s memo: the transaction, its read timestamp and the catalog it read. */
  private final TxnCatalog catalogs;
  /** Duplicate-key reporting for the current transaction (see {@link #onDuplicate}). */
  private final DuplicateKeys duplicates = new DuplicateKeys();
  /** The explicit transaction block: its state, transaction, savepoints (transaction control). */
  private final SessionTxn block;
  /** Simple-query shapes prepared in this session. */
  private final LiteralShapes shapes;
  /** Runs each executed statement in its transaction. */
  private final StatementRouter router;
  public final Map<String, Long> currvals = new java.util.HashMap<>();
  /** The advisory locks this session holds; transaction-scoped ones go when its transaction ends. */
  public final SessionAdvisoryLocks advisoryLocks;
  /** set_config's view of {@link #vars}. */
  public final org.troupedb.sql.internal.functions.SetConfigFunction.SessionConfig sessionConfig =
      (name, value, local) -> vars.setConfig(name, value, local);
  /** Autocommit INSERTs of VALUES since the client's last Sync ({@link #executeUntilSync}). */
  private final InsertPipeline pipeline;
  /** PREPARE's statements (EXECUTE, DEALLOCATE). */
  final SqlPrepared sqlPrepared = new SqlPrepared();
  /** DECLARE's cursors (FETCH, MOVE, CLOSE). */
  final Cursors cursors = new Cursors();
  /** Results still being read (a portal's), closed when their transaction ends. */
  final OpenResults openResults = new OpenResults();

  Session(Engine engine, Catalog.Database database, SessionParams params) {
    this.engine = engine;
    this.database = database;
    this.user = params.user() == null ? "root" : params.user();
    this.pipeline = new InsertPipeline(engine);
    this.advisoryLocks = new SessionAdvisoryLocks(engine.advisoryLocks, cancel,
        () -> TimeoutSetting.millisOrOff(vars.get(TimeoutSetting.LOCK)));
    this.block = new SessionTxn(engine, vars, cancel, advisoryLocks, duplicates);
    this.shapes = new LiteralShapes(this);
    this.catalogs = new TxnCatalog(engine.catalog, cancel);
    this.router = new StatementRouter(this, block, vars, duplicates, catalogs, pipeline);
    vars.internal("session_authorization", user);
    vars.takeChanged();
    if (params.options() != null) {
      params.options().forEach(vars::initial);
    }
  }

  /**
   * A prepared statement. {@code plan} holds the statement's {@link DmlPlan} form for the
   * catalog snapshot it was planned against, so executing it again under the same snapshot neither
   * parses nor plans; {@code declaredTypes} are the client's, which planning it again uses too.
   */
  public record PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
      List<RelDataType> calciteParamTypes, PlanSlot plan, List<PgType> declaredTypes) implements Prepared {
    PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
        List<RelDataType> calciteParamTypes) {
      this(statement, parameterTypes, columns, calciteParamTypes, new PlanSlot(), List.of());
    }
  }

  /**
   * A simple query whose integer literals {@link SimpleLiterals} can take: the statement of its
   * shape (parsed once per session) with this text's values, else {@link #parse}.
   */
  @Override
  public List<Statement> parseSimple(String sql) throws SqlException {
    return shapes.parse(sql);
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

  /** Whether {@code p}'s plan, and so its parameter types, still hold for the newest catalog. */
  boolean current(PreparedImpl p) {
    DmlPlan planned = p.plan().get(engine.catalog.latest(), database.id(), engine.planGeneration());
    return planned != null && planned.paramTypes().equals(p.calciteParamTypes());
  }

  /** {@code e} with its position within statement {@code st}'s text moved to the whole query string. */
  private static SqlException located(SqlException e, Stmt st) {
    int offset = st.offset() + (st.node() instanceof SqlPgExplain ? st.queryOffset() : 0);
    return e.position() > 0 && offset > 0 ? e.withPosition(e.position() + offset) : e;
  }

  /** Whether a statement now would fail because the block failed (preparing a shape then is pointless). */
  boolean blockFailed() {
    return block.state() == TxnBlock.State.FAILED;
  }

  @Override
  public Prepared prepare(Statement statement, List<PgType> hints) throws SqlException {
    if (statement instanceof LiteralStmt ls) {
      return shapes.prepare(ls);
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
    if (block.state() == TxnBlock.State.FAILED || block.state() == TxnBlock.State.RELEASED) {
      return false;
    }
    Catalog cat;
    try {
      cat = block.txn() != null ? catalogs.of(block.txn()) : engine.catalog.latest();
    } catch (SqlException e) {
      return false; // preparing it reads the catalog again and reports the error as usual
    }
    DmlPlan planned = p.plan().get(cat, database.id(), engine.planGeneration());
    return planned != null && planned.paramTypes().equals(p.calciteParamTypes());
  }

  private Prepared prepareStatement(Stmt st, List<PgType> hints) throws SqlException {
    return prepareStatement(st, hints, true);
  }

  /** {@code failsBlock}: whether an error aborts the open transaction block, as a client's does. */
  Prepared prepareStatement(Stmt st, List<PgType> hints, boolean failsBlock) throws SqlException {
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
    if (node instanceof org.troupedb.sql.parser.ast.SqlExecute x) {
      PreparedImpl named = sqlPrepared.has(x.name()) ? sqlPrepared.get(x.name()).prepared() : null;
      return new PreparedImpl(st, List.of(), named == null ? List.of() : named.columns(), List.of());
    }
    if (node instanceof org.troupedb.sql.parser.ast.SqlFetch f) {
      return new PreparedImpl(st, List.of(), cursors.columns(f), List.of());
    }
    Query q = st.query();
    if (q == null) {
      return new PreparedImpl(st, List.of(), List.of(), List.of());
    }
    block.block().checkRunnable();
    cancel.set(false);
    Txn txn = block.txn();
    Txn t = txn != null ? txn : engine.kv.begin(new TxnOptions(true, null, true));
    try {
      Catalog cat = engine.catalog.read(t, cancel);
      long generation = engine.planGeneration();
      DmlPlan planned = DmlPlanner.plan(context(t, cat).declaring(hints), q);
      List<PgType> pts = new ArrayList<>();
      List<RelDataType> cts = new ArrayList<>();
      List<RelDataType> found = planned.paramTypes();
      for (int n = 0; n < q.parameterCount(); n++) {
        RelDataType type = n < found.size() ? found.get(n) : null;
        PgType hint = hints != null && n < hints.size() ? hints.get(n) : null;
        // A type the client declared is the parameter's type, as in PostgreSQL (drivers check that
        // ParameterDescription echoes it); the value is coerced to the type the plan needs.
        pts.add(hint != null ? hint : type != null ? ColumnType.fromRelType(type).pg() : PgType.TEXT);
        cts.add(type);
      }
      PlanSlot slot = new PlanSlot();
      slot.put(cat, database.id(), generation, planned);
      List<PgType> declared =
          hints == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(hints));
      return new PreparedImpl(st, pts, planned.columns(), cts, slot, declared);
    } catch (SqlException e) {
      if (txn != null && failsBlock) {
        block.fail();
      }
      throw e;
    } finally {
      if (txn == null) {
        t.rollback();
      }
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
    StatementTimer timer = StatementTimer.start(cancel, vars.get(TimeoutSetting.STATEMENT));
    boolean streaming = false;
    try {
      StatementResult r = router.route(p, params, untilSync);
      if (r instanceof StreamedResult streamed && !streamed.ended()) {
        // statement_timeout and the session's count of open results cover the rows still to be read
        streamed.onEnd(end -> timer.close());
        openResults.add(streamed, block.txn() == null);
        streaming = true;
      }
      return r;
    } catch (SqlException e) {
      throw located(e, p.statement());
    } finally {
      if (!streaming) {
        timer.close();
      }
    }
  }

  /** The context of a statement this session runs in {@code txn}, which reads {@code cat}. */
  StatementContext context(Txn txn, Catalog cat) {
    return new StatementContext(user, database, cancel, this, engine.services, txn, cat, List.of());
  }

  @Override
  public java.util.Map<String, Long> currvals() {
    return currvals;
  }

  @Override
  public SessionAdvisoryLocks advisoryLocks() {
    return advisoryLocks;
  }

  @Override
  public org.troupedb.sql.internal.functions.SetConfigFunction.SessionConfig sessionConfig() {
    return sessionConfig;
  }

  /** The session's TimeZone, as the executor's conversions to and from timestamptz use it. */
  @Override
  public java.util.TimeZone timeZone() {
    return java.util.TimeZone.getTimeZone(PgTimeZone.zone(vars.get("timezone")));
  }

  @Override
  public void onDuplicate(long tableId, Function<byte[], SqlException> reporter) {
    duplicates.on(tableId, reporter);
  }

  @Override
  public SqlException duplicate(KeyExistsException e) {
    return duplicates.error(e);
  }

  @Override
  public TransactionStatus transactionStatus() {
    return block.block().status();
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
    openResults.closeImplicit(); // an implicit transaction's portals end at Sync, as in PostgreSQL
    router.commitPipeline();
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
    openResults.closeAll();
    pipeline.abort();
    block.rollback();
    advisoryLocks.close();
  }

  /**
   * A new budget for one execution of a plan, limited by this session's {@code
   * troupedb.sql.statement-memory} and the node's pool; {@link org.troupedb.sql.internal.exec.PlanRunner} gives it back.
   */
  @Override
  public MemoryBudget statementMemory() {
    return new MemoryBudget(MemorySetting.bytesOr(vars.get(MemoryBudget.SETTING), MemoryBudget.DEFAULT_BYTES),
        engine.queryMemory);
  }
}
