package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

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
final class Session implements SqlSession {
  private static final int MAX_RETRIES = 10;

  final Engine engine;
  final Catalog.Database database;
  final Map<String, String> vars = Vars.defaults();
  private final Map<String, String> changed = new LinkedHashMap<>();
  final AtomicBoolean cancel = new AtomicBoolean();
  private Txn txn;
  /** The open block is READ ONLY: statements that write fail with 25006. */
  private boolean readOnlyBlock;
  private TransactionStatus status = TransactionStatus.IDLE;
  final Map<String, Long> currvals = new java.util.HashMap<>();
  /**
   * How to report a duplicate key in each table the current transaction inserted into, by table
   * id. NB: an implicit transaction's writes are buffered until commit (1PC), so its
   * {@link KeyExistsException} surfaces from {@code commit()}, after the statement that caused it
   * has returned; this map names the violated constraint then.
   */
  private final Map<Long, Function<byte[], SqlException>> duplicateReporters = new HashMap<>();

  Session(Engine engine, Catalog.Database database, SessionParams params) {
    this.engine = engine;
    this.database = database;
    vars.put("session_authorization", params.user() == null ? "root" : params.user());
    if (params.options() != null) {
      params.options().forEach((k, v) -> {
        String n = k.toLowerCase();
        if (vars.containsKey(n) && !n.equals("server_version")) {
          vars.put(n, v);
        }
      });
    }
  }

  /**
   * A parsed statement; {@code offset} is where its text starts in the query string the client
   * sent (error positions are reported relative to that string, as PostgreSQL does).
   */
  record Stmt(String sql, Command command, int offset) implements Statement {
    @Override
    public int parameterCount() {
      return command instanceof Command.Query q ? q.parameterCount() : 0;
    }

    @Override
    public String commandTag() {
      return command.tag();
    }
  }

  /**
   * A prepared statement. {@code plan} holds the statement's {@link Dml.Planned} form for the
   * catalog snapshot it was planned against, so executing it again under the same snapshot neither
   * parses nor plans.
   */
  record PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
      List<RelDataType> calciteParamTypes, Dml.PlanSlot plan) implements Prepared {
    PreparedImpl(Stmt statement, List<PgType> parameterTypes, List<ColumnInfo> columns,
        List<RelDataType> calciteParamTypes) {
      this(statement, parameterTypes, columns, calciteParamTypes, new Dml.PlanSlot());
    }
  }

  record Result(List<ColumnInfo> columns, List<Object[]> rowList, String tag, boolean isEmptyQuery)
      implements StatementResult {
    @Override
    public Iterator<Object[]> rows() {
      return rowList.iterator();
    }

    @Override
    public String commandTag() {
      return tag;
    }
  }

  @Override
  public List<Statement> parse(String sql) throws SqlException {
    List<Statement> out = new ArrayList<>();
    for (Lexer.Piece piece : Lexer.pieces(sql)) {
      try {
        out.add(new Stmt(piece.text(), CommandParser.parse(piece.text()), piece.offset()));
      } catch (SqlException e) {
        throw located(e, piece.offset());
      }
    }
    return out;
  }

  /** {@code e} with its statement-relative position moved to the whole query string. */
  private static SqlException located(SqlException e, int offset) {
    return e.position() > 0 && offset > 0 ? e.withPosition(e.position() + offset) : e;
  }

  @Override
  public Prepared prepare(Statement statement, List<PgType> hints) throws SqlException {
    try {
      return prepareStatement((Stmt) statement, hints);
    } catch (SqlException e) {
      throw located(e, ((Stmt) statement).offset());
    }
  }

  private Prepared prepareStatement(Stmt st, List<PgType> hints) throws SqlException {
    Command c = st.command();
    if (c instanceof Command.Explain) {
      return new PreparedImpl(st, List.of(), List.of(ColumnInfo.of("QUERY PLAN", PgType.TEXT)), List.of());
    }
    if (c instanceof Command.Show s) {
      return new PreparedImpl(st, List.of(), List.of(ColumnInfo.of(s.name(), PgType.TEXT)), List.of());
    }
    if (!(c instanceof Command.Query q)) {
      return new PreparedImpl(st, List.of(), List.of(), List.of());
    }
    if (status == TransactionStatus.FAILED) {
      throw failedBlock();
    }
    cancel.set(false);
    Txn t = txn != null ? txn : engine.kv.begin(new TxnOptions(true, null, true));
    try {
      Catalog cat = engine.catalog.read(t, cancel);
      long generation = engine.planGeneration();
      Dml.Planned planned = Dml.plan(this, cat, q);
      List<PgType> pts = new ArrayList<>();
      List<RelDataType> cts = new ArrayList<>();
      for (int n = 0; n < q.parameterCount(); n++) {
        RelDataType found = null;
        for (int i = 0; i < q.paramMap().length; i++) {
          if (q.paramMap()[i] == n && planned.plan() != null && i < planned.plan().paramTypes().size()) {
            found = planned.plan().paramTypes().get(i);
            break;
          }
        }
        PgType hint = hints != null && n < hints.size() ? hints.get(n) : null;
        PgType pt = found != null ? ColumnType.fromRelType(found).pg() : hint != null ? hint : PgType.TEXT;
        pts.add(hint != null && found == null ? hint : pt);
        cts.add(found);
      }
      Dml.PlanSlot slot = new Dml.PlanSlot();
      slot.put(cat, database.id(), generation, planned);
      return new PreparedImpl(st, pts, planned.columns(), cts, slot);
    } catch (SqlException e) {
      if (txn != null) {
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

  private void failBlock() {
    status = TransactionStatus.FAILED;
    if (txn != null) {
      txn.rollback();
    }
  }

  @Override
  public StatementResult execute(Prepared prepared, List<Object> params) throws SqlException {
    try {
      return executeStatement((PreparedImpl) prepared, params);
    } catch (SqlException e) {
      throw located(e, ((PreparedImpl) prepared).statement().offset());
    }
  }

  private StatementResult executeStatement(PreparedImpl p, List<Object> params) throws SqlException {
    cancel.set(false);
    Command c = p.statement().command();
    if (c instanceof Command.TxnControl tc) {
      return txnControl(tc);
    }
    if (status == TransactionStatus.FAILED) {
      throw failedBlock();
    }
    if (c instanceof Command.Empty) {
      return new Result(List.of(), List.of(), "", true);
    }
    if (c instanceof Command.NoOp n) {
      return new Result(List.of(), List.of(), n.tag(), false);
    }
    if (c instanceof Command.SetVar s) {
      setVar(s);
      return new Result(List.of(), List.of(), s.tag(), false);
    }
    if (c instanceof Command.Show s) {
      return show(s, p);
    }
    if (txn != null) {
      try {
        refuseWriteIfReadOnly(c);
        return run(txn, p, params);
      } catch (KeyExistsException e) {
        failBlock();
        throw duplicate(e);
      } catch (SqlException | RuntimeException e) {
        failBlock();
        throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
      }
    }
    for (int attempt = 0; ; attempt++) {
      Txn t = engine.kv.begin(TxnOptions.implicitStatement());
      duplicateReporters.clear();
      try {
        StatementResult r = run(t, p, params);
        Kv.await(t.commit(), cancel);
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

  private StatementResult run(Txn t, PreparedImpl p, List<Object> params) throws SqlException {
    Command c = p.statement().command();
    Catalog cat = engine.catalog.read(t, cancel);
    if (c instanceof Command.Query q) {
      return Dml.execute(this, t, cat, q, p, params == null ? List.of() : params);
    }
    if (c instanceof Command.Explain e) {
      if (!(e.inner() instanceof Command.Query q)) {
        throw SqlException.unsupported("EXPLAIN of " + e.inner().tag());
      }
      Dml.Planned planned = Dml.plan(this, cat, q);
      List<Object[]> rows = new ArrayList<>();
      for (String line : planned.plan().explain().split("\n")) {
        rows.add(new Object[] {line});
      }
      return new Result(p.columns(), rows, "EXPLAIN", false);
    }
    return new Result(List.of(), List.of(), Ddl.execute(this, t, cat, c), false);
  }

  /** 25006 for a statement that writes (anything but a query or EXPLAIN) in a READ ONLY block. */
  private void refuseWriteIfReadOnly(Command c) throws SqlException {
    boolean reads = c instanceof Command.Explain || c instanceof Command.Query q && q.tag().equals("SELECT");
    if (readOnlyBlock && !reads) {
      throw new SqlException(SqlState.READ_ONLY_SQL_TRANSACTION,
          "cannot execute " + c.tag() + " in a read-only transaction");
    }
  }

  private StatementResult txnControl(Command.TxnControl tc) throws SqlException {
    String tag = tc.tag();
    switch (tag) {
      case "BEGIN" -> {
        if (txn == null) {
          duplicateReporters.clear();
          txn = engine.kv.begin(tc.readOnly() ? new TxnOptions(true, null, false) : TxnOptions.readWrite());
          readOnlyBlock = tc.readOnly();
          status = TransactionStatus.IN_TRANSACTION;
        }
        return new Result(List.of(), List.of(), "BEGIN", false);
      }
      case "COMMIT" -> {
        if (status == TransactionStatus.FAILED) {
          endBlock();
          return new Result(List.of(), List.of(), "ROLLBACK", false);
        }
        if (txn != null) {
          Txn t = txn;
          endBlock();
          try {
            Kv.await(t.commit(), cancel);
          } catch (KeyExistsException e) {
            t.rollback();
            throw duplicate(e);
          } catch (SqlException e) {
            t.rollback();
            throw e;
          }
        }
        return new Result(List.of(), List.of(), "COMMIT", false);
      }
      default -> {
        if (txn != null) {
          txn.rollback();
        }
        endBlock();
        return new Result(List.of(), List.of(), "ROLLBACK", false);
      }
    }
  }

  private void endBlock() {
    txn = null;
    readOnlyBlock = false;
    status = TransactionStatus.IDLE;
    duplicateReporters.clear();
  }

  /**
   * Registers how a duplicate {@code key} of table {@code tableId} written by the current
   * transaction is reported (the last registration for a table wins). Call before writing.
   */
  void onDuplicate(long tableId, Function<byte[], SqlException> reporter) {
    duplicateReporters.put(tableId, reporter);
  }

  /** The 23505 error for a duplicate key the KV layer reported, whichever operation surfaced it. */
  SqlException duplicate(KeyExistsException e) {
    byte[] key = e.key();
    long tableId = key != null && key.length > 0 && key[0] == Catalog.TABLE_PREFIX ? KeyEncoding.readId(key, 1) : -1;
    Function<byte[], SqlException> reporter = duplicateReporters.get(tableId);
    if (reporter != null) {
      return reporter.apply(key);
    }
    return new SqlException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint", e);
  }

  private void setVar(Command.SetVar s) throws SqlException {
    if (s.name().equals("transaction")) {
      readOnlyBlock |= txn != null && s.value().equals("read only");
      return;
    }
    if (s.value() == null) {
      Map<String, String> d = Vars.defaults();
      if (s.name().equals("all")) {
        for (String k : d.keySet()) {
          put(k, d.get(k));
        }
      } else {
        put(s.name(), d.getOrDefault(s.name(), ""));
      }
      return;
    }
    String v = s.value();
    if (v.equalsIgnoreCase("default")) {
      v = Vars.defaults().getOrDefault(s.name(), "");
    }
    if (s.name().equals("server_version") || s.name().equals("integer_datetimes")) {
      throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "parameter \"" + s.name() + "\" cannot be changed");
    }
    // NB: TimeZone is accepted and reported, but timestamps are always computed in UTC.
    put(s.name(), v);
  }

  private void put(String name, String value) {
    String old = vars.put(name, value);
    if (Vars.REPORTED.contains(name) && !value.equals(old)) {
      changed.put(Vars.display(name), value);
    }
  }

  private StatementResult show(Command.Show s, PreparedImpl p) throws SqlException {
    if (s.name().equals("all")) {
      List<Object[]> rows = new ArrayList<>();
      vars.forEach((k, v) -> rows.add(new Object[] {k, v}));
      return new Result(List.of(ColumnInfo.of("name", PgType.TEXT), ColumnInfo.of("setting", PgType.TEXT)),
          rows, "SHOW", false);
    }
    String v = vars.get(s.name());
    if (v == null) {
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + s.name() + "\"");
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
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : Vars.REPORTED) {
      m.put(Vars.display(k), vars.get(k));
    }
    return m;
  }

  @Override
  public Map<String, String> takeChangedParameters() {
    Map<String, String> m = new LinkedHashMap<>(changed);
    changed.clear();
    return m;
  }

  @Override
  public void sync() {
    // Each Execute outside a block commits its own implicit transaction; nothing is pending.
  }

  @Override
  public void cancel() {
    cancel.set(true);
  }

  @Override
  public void close() {
    if (txn != null) {
      txn.rollback();
    }
    endBlock();
  }

  /** Reads rows from an enumerator, checking for cancellation between rows. */
  List<Object[]> drain(Enumerator<Object> en, int width) throws SqlException {
    List<Object[]> rows = new ArrayList<>();
    try {
      while (en.moveNext()) {
        if (cancel.get()) {
          throw new SqlException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        }
        Object o = en.current();
        rows.add(width == 1 && !(o instanceof Object[]) ? new Object[] {o} : (Object[]) o);
      }
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      engine.invalidatePlans();
      throw Errors.fromRuntime(e);
    } finally {
      en.close();
    }
    return rows;
  }

  static List<ColumnInfo> columnsOf(RelDataType rowType) {
    List<ColumnInfo> cols = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      ColumnType ct = ColumnType.fromRelType(f.getType());
      cols.add(new ColumnInfo(f.getName(), ct.pg(), ct.typmod(), 0, (short) 0));
    }
    return cols;
  }
}
