package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.tools.ValidationException;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.functions.PgAggregates;
import org.troupedb.sql.internal.functions.PgArithmetic;
import org.troupedb.sql.internal.functions.PgDatetimeArithmetic;
import org.troupedb.sql.internal.functions.PgScalarFunctions;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgTypeSystem;
import org.troupedb.sql.parser.StatementParser;

/**
 * Plans queries with Calcite into executable {@link Bindable}s. One immutable
 * {@link FrameworkConfig} per (catalog snapshot, database); a fresh {@link Planner} per statement;
 * plans cached as futures keyed by (catalog snapshot epoch, database, SQL) so identical concurrent
 * prepares plan once and DDL invalidates (a new version is a new snapshot).
 */
public final class QueryPlanner {
  /** A planned query: run {@code bindable} with an {@link ExecContext}. */
  public record Plan(Bindable<Object> bindable, RelDataType rowType, List<RelDataType> paramTypes, String explain,
      Map<String, Object> internals, List<org.troupedb.sql.ColumnInfo> columns, boolean catalogOnly,
      java.util.Set<Long> tablesRead) {
    /** A plan that scans no table. */
    Plan(Bindable<Object> bindable, RelDataType rowType, List<RelDataType> paramTypes, String explain,
        Map<String, Object> internals) {
      this(bindable, rowType, paramTypes, explain, internals, ColumnType.columnsOf(rowType), false, java.util.Set.of());
    }
  }

  record Key(long catalogEpoch, long database, String sql) {}

  public static final JavaTypeFactory TYPE_FACTORY =
      new org.troupedb.sql.internal.types.PgJavaTypeFactory(PgTypeSystem.INSTANCE);
  /** TroupeDB's grammar (PostgreSQL lexical rules, {@code $n}, {@code ::}). */
  public static final SqlParser.Config PARSER = org.troupedb.sql.parser.TroupeParser.config();

  /** Standard SQL, Calcite's PostgreSQL library, and PostgreSQL functions Calcite files elsewhere. */
  static final org.apache.calcite.sql.SqlOperatorTable OPERATORS = operators();

  private static org.apache.calcite.sql.SqlOperatorTable operators() {
    org.apache.calcite.sql.SqlOperatorTable pg = SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
        SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL);
    List<org.apache.calcite.sql.SqlOperator> extra = new ArrayList<>();
    for (org.apache.calcite.sql.SqlOperator op : List.of(SqlLibraryOperators.LENGTH, SqlLibraryOperators.LPAD,
        SqlLibraryOperators.RPAD, SqlLibraryOperators.LTRIM, SqlLibraryOperators.RTRIM,
        SqlLibraryOperators.SPLIT_PART, SqlLibraryOperators.STRPOS, SqlLibraryOperators.LEFT,
        SqlLibraryOperators.RIGHT, SqlLibraryOperators.REPEAT, SqlLibraryOperators.REVERSE,
        SqlLibraryOperators.CONCAT_FUNCTION, SqlLibraryOperators.CONCAT_WS, SqlLibraryOperators.GREATEST,
        SqlLibraryOperators.LEAST, SqlLibraryOperators.DATE_TRUNC, SqlLibraryOperators.DATE_PART,
        SqlLibraryOperators.MD5, SqlLibraryOperators.CHR, SqlLibraryOperators.RANDOM,
        SqlLibraryOperators.ILIKE, SqlLibraryOperators.INFIX_CAST)) {
      if (!pg.getOperatorList().contains(op)) {
        extra.add(op);
      }
    }
    org.apache.calcite.sql.SqlOperatorTable more = new org.apache.calcite.sql.SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(org.apache.calcite.sql.SqlIdentifier name,
          org.apache.calcite.sql.SqlFunctionCategory category, org.apache.calcite.sql.SqlSyntax syntax,
          List<org.apache.calcite.sql.SqlOperator> result,
          org.apache.calcite.sql.validate.SqlNameMatcher matcher) {
        if (!name.isSimple()) {
          return;
        }
        for (org.apache.calcite.sql.SqlOperator op : extra) {
          if (op.getName().equalsIgnoreCase(name.getSimple())
              && (op instanceof org.apache.calcite.sql.SqlFunction) == (syntax == org.apache.calcite.sql.SqlSyntax.FUNCTION)) {
            result.add(op);
          }
        }
      }

      @Override
      public List<org.apache.calcite.sql.SqlOperator> getOperatorList() {
        return extra;
      }
    };
    return caseInsensitive(org.apache.calcite.sql.util.SqlOperatorTables.chain(PgScalarFunctions.TABLE,
        org.troupedb.sql.internal.functions.AdvisoryLockFunctions.TABLE,
        org.troupedb.sql.internal.functions.JsonBuildFunctions.TABLE,
        org.troupedb.sql.internal.functions.ArrayTextCasts.TABLE,
        org.troupedb.sql.internal.functions.SetConfigFunction.TABLE),
        org.apache.calcite.sql.util.SqlOperatorTables.chain(pg, more));
  }

  /**
   * Looks operators up ignoring case. NB: the parser folds unquoted names to lower case and
   * matches identifiers case-sensitively, as PostgreSQL does, but Calcite's library tables file
   * their functions under upper-case names ({@code LPAD}); a case-sensitive lookup of
   * {@code lpad} found nothing ("No match found for function signature lpad(…)"). A name
   * {@code preferred} has hides the others' operators of that name (PostgreSQL's {@code to_char}
   * replaces Calcite's).
   */
  private static org.apache.calcite.sql.SqlOperatorTable caseInsensitive(org.apache.calcite.sql.SqlOperatorTable preferred,
      org.apache.calcite.sql.SqlOperatorTable t) {
    org.apache.calcite.sql.validate.SqlNameMatcher anyCase =
        org.apache.calcite.sql.validate.SqlNameMatchers.withCaseSensitive(false);
    return new org.apache.calcite.sql.SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(org.apache.calcite.sql.SqlIdentifier name,
          org.apache.calcite.sql.SqlFunctionCategory category, org.apache.calcite.sql.SqlSyntax syntax,
          List<org.apache.calcite.sql.SqlOperator> result, org.apache.calcite.sql.validate.SqlNameMatcher matcher) {
        int before = result.size();
        preferred.lookupOperatorOverloads(name, category, syntax, result, anyCase);
        if (result.size() == before) {
          t.lookupOperatorOverloads(name, category, syntax, result, anyCase);
        }
      }

      @Override
      public List<org.apache.calcite.sql.SqlOperator> getOperatorList() {
        List<org.apache.calcite.sql.SqlOperator> all = new ArrayList<>(preferred.getOperatorList());
        all.addAll(t.getOperatorList());
        return all;
      }
    };
  }

  /** Rewrites PostgreSQL spellings Calcite lacks ({@code now()}) into their standard forms. */
  static SqlNode normalize(SqlNode node, String database) {
    return node.accept(new org.apache.calcite.sql.util.SqlShuttle() {
      /** {@code SELECT current_schema} (Flyway): the parser leaves the niladic function a name. */
      @Override
      public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
        if (id.isSimple() && !id.isComponentQuoted(0) && id.getSimple().equalsIgnoreCase("current_schema")) {
          return org.apache.calcite.sql.SqlLiteral.createCharString("public", id.getParserPosition());
        }
        return id;
      }

      @Override
      public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
        call = org.troupedb.sql.internal.pgcatalog.PgCatalogRewrites.unqualify(call);
        SqlNode catalogCall = org.troupedb.sql.internal.pgcatalog.PgCatalogRewrites.rewrite(call, this);
        if (catalogCall != null) {
          return catalogCall;
        }
        SqlNode folded = PgArithmetic.foldLiteralCast(call);
        if (folded != null) {
          return folded;
        }
        SqlCall extract = PgScalarFunctions.extractCall(call);
        if (extract != null) {
          return super.visit(extract);
        }
        SqlCall regexSubstring = PgScalarFunctions.regexSubstringCall(call);
        if (regexSubstring != null) {
          return super.visit(regexSubstring);
        }
        SqlCall datetime = PgDatetimeArithmetic.wrap(call);
        if (datetime != null) {
          return super.visit(datetime);
        }
        if (call.getOperator() instanceof org.apache.calcite.sql.SqlFunction f) {
          String n = f.getName().toLowerCase();
          var pos = call.getParserPosition();
          // NB: statement_timestamp and clock_timestamp are the transaction's time too (PostgreSQL:
          // the statement's start, the current time)
          if (java.util.Set.of("now", "transaction_timestamp", "statement_timestamp", "clock_timestamp").contains(n)
              && call.operandCount() == 0) {
            return org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(pos);
          }
          if (call.operandCount() == 0 && f instanceof org.apache.calcite.sql.SqlUnresolvedFunction) {
            switch (n) {
              case "version" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString(
                    "PostgreSQL 16.0 (TroupeDB 0.1.0)", pos);
              }
              case "current_database" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString(database, pos);
              }
              case "current_schema" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString("public", pos);
              }
              default -> { }
            }
          }
          if (n.equals("length") && call.operandCount() == 1) {
            return org.apache.calcite.sql.fun.SqlStdOperatorTable.CHAR_LENGTH.createCall(pos,
                call.operand(0).accept(this));
          }
          if (n.equals("date_trunc") && call.operandCount() == 2
              && call.operand(0) instanceof org.apache.calcite.sql.SqlLiteral lit) {
            String unit = lit.getValueAs(String.class).toUpperCase();
            try {
              var tu = org.apache.calcite.avatica.util.TimeUnit.valueOf(unit);
              return org.apache.calcite.sql.fun.SqlStdOperatorTable.FLOOR.createCall(pos,
                  call.operand(1).accept(this), new org.apache.calcite.sql.SqlIntervalQualifier(tu, null, pos));
            } catch (IllegalArgumentException e) {
              return super.visit(call);
            }
          }
        }
        return super.visit(call);
      }
    });
  }

  /**
   * The node's memory for cached plans and statements, estimated ({@code
   * -Dtroupedb.sql.plan-cache-memory=64MB}, the default): 3/8 for {@link #cache}, a quarter for
   * {@link #catalogPlans} (psql's and drivers' catalog queries plan slowly), the rest for the
   * session layer's StatementCache.
   */
  public static final long PLAN_CACHE_BYTES = org.troupedb.sql.internal.errors.MemorySetting.bytesOr(
      System.getProperty("troupedb.sql.plan-cache-memory"), 64L << 20);

  private final ByteBoundedCache<Key, CompletableFuture<Plan>> cache = new ByteBoundedCache<>(
      PLAN_CACHE_BYTES / 8 * 3,
      (k, f) -> ByteBoundedCache.planWeight(k.sql(), f.isDone() && !f.isCompletedExceptionally() ? f.join() : null));

  record CatalogKey(long database, String sql) {}

  /**
   * The database of a catalog plan that serves them all: it reads only catalog relations, whose
   * rows come from the executing database's schema, and {@code current_database()} is a bound
   * parameter in it.
   */
  private static final long ANY_DATABASE = -1;

  /**
   * Plans of query texts that scan only catalog relations, by database and text, whatever the
   * catalog snapshot. NB: psql and drivers send the same catalog queries after every DDL;
   * planning one of them again took from 0.1 s to seconds (pgjdbc's getImportedKeys ~2 s).
   */
  private final ByteBoundedCache<CatalogKey, Plan> catalogPlans = new ByteBoundedCache<>(PLAN_CACHE_BYTES / 4,
      (k, p) -> ByteBoundedCache.planWeight(k.sql(), p));

  private final java.util.concurrent.atomic.AtomicLong plansBuilt = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Drops every cached plan. NB: called when a generated plan class failed to initialize (Calcite
   * folds constant expressions such as {@code 1/0} into static initializers), since such a class
   * cannot run again.
   */
  public void invalidate() {
    cache.clear();
    catalogPlans.clear();
  }

  /** How many plans were built (cache misses); for tests and metrics. */
  public long plansBuilt() {
    return plansBuilt.get();
  }
  private final Map<List<Long>, FrameworkConfig> configs = new ConcurrentHashMap<>();

  /** Names under which UPDATE/DELETE see a table with its hidden columns. */
  public static String allColumnsName(String table) {
    return "$all$" + table;
  }

  public FrameworkConfig config(Catalog catalog, long databaseId) {
    List<Long> k = List.of(catalog.epoch(), databaseId);
    return configs.computeIfAbsent(k, x -> {
      if (configs.size() > 64) {
        configs.clear();
      }
      SchemaPlus root = Frameworks.createRootSchema(false);
      Map<String, Table> tables = new TreeMap<>();
      for (TableDesc t : catalog.tables().values()) {
        if (t.databaseId() == databaseId) {
          tables.put(t.name(), new KvTable(t, false));
          tables.put(allColumnsName(t.name()), new KvTable(t, true));
        }
      }
      org.troupedb.sql.internal.pgcatalog.PgCatalogSchemas.register(root, tables, catalog, databaseId);
      SchemaPlus pub = root.add("public", new AbstractSchema() {
        @Override
        protected Map<String, Table> getTableMap() {
          return tables;
        }
      });
      return Frameworks.newConfigBuilder()
          .parserConfig(PARSER)
          .defaultSchema(pub)
          .typeSystem(PgTypeSystem.INSTANCE)
          .operatorTable(OPERATORS)
          .programs(JoinOrderProgram.standard())
          .context(org.apache.calcite.plan.Contexts.of(org.troupedb.sql.internal.plan.PgConformance.connectionConfig()))
          // NB: bloat -1 stops RelBuilder merging projects while converting; with merging, a
          // correlated scalar sub-query over a derived table holding a lateral join (pgjdbc's
          // getIndexInfo) failed with an index out of bounds. The planner merges projects later.
          .sqlToRelConverterConfig(org.apache.calcite.sql2rel.SqlToRelConverter.config()
              .withRelBuilderConfigTransform(c -> c.withBloat(-1)))
          .build();
    });
  }

  public SchemaPlus rootSchema(FrameworkConfig config) {
    SchemaPlus s = config.getDefaultSchema();
    while (s.getParentSchema() != null) {
      s = s.getParentSchema();
    }
    return s;
  }

  /** Parses SQL with the shared parser configuration (42601 on error); a locking clause is dropped. */
  public static SqlNode parse(String sql) throws SqlException {
    SqlNode node = parseStatement(sql);
    return node instanceof org.troupedb.sql.parser.ast.SqlSelectLocking locking ? locking.query() : node;
  }

  /**
   * The lock a statement's reads take: FOR UPDATE and FOR NO KEY UPDATE lock the rows read
   * exclusively, FOR SHARE and FOR KEY SHARE shared (NB: the KEY variants are not weaker here than
   * their counterparts: there are no foreign keys whose checks they would let through); NOWAIT
   * fails with 55P03 instead of waiting, SKIP LOCKED leaves rows held by others out.
   */
  public static org.troupedb.txn.Txn.ReadLock readLock(SqlNode statement) {
    if (!(statement instanceof org.troupedb.sql.parser.ast.SqlSelectLocking locking)) {
      return org.troupedb.txn.Txn.ReadLock.NONE;
    }
    boolean shared = locking.strength() == org.troupedb.sql.parser.ast.LockStrength.SHARE
        || locking.strength() == org.troupedb.sql.parser.ast.LockStrength.KEY_SHARE;
    return org.troupedb.txn.Txn.ReadLock.of(shared, locking.nowait(), locking.skipLocked());
  }

  /** Parses SQL as written, keeping a {@code FOR UPDATE}-style locking clause (42601 on error). */
  static SqlNode parseStatement(String sql) throws SqlException {
    try {
      SqlNode node = org.troupedb.sql.parser.TroupeParser.parse(sql);
      if (node instanceof org.troupedb.sql.parser.ast.SqlPgInsert pg) {
        // RETURNING / ON CONFLICT are split off before parsing; what is left is DEFAULT VALUES,
        // whose wrapped insert has an empty VALUES row (every column takes its default).
        node = pg.insert();
      } else if (node instanceof org.troupedb.sql.parser.ast.SqlAsOfSystemTime asOf) {
        node = asOf.query(); // the read timestamp is the transaction's (Session)
      }
      LiteralCasts.normalize(node);
      return node;
    } catch (SqlParseException e) {
      throw StatementParser.syntaxError(e, sql);
    }
  }

  /**
   * The cached plan of a query text, planning it once. A query that reads nothing but
   * pg_catalog / information_schema relations (or no relation at all) is planned once per
   * database, not once per catalog snapshot, and once per shape when it compares columns with
   * string literals ({@link #planShape}): those relations keep their row type through DDL and are
   * found through the execution's root schema, so the plan reads the current snapshot's rows (see
   * {@link #catalogPlans}).
   */
  public Plan planCached(Catalog catalog, long databaseId, String sql) throws SqlException {
    Plan shared = catalogPlans.get(new CatalogKey(databaseId, sql));
    if (shared != null) {
      return shared;
    }
    Plan shaped = planShape(catalog, databaseId, sql);
    if (shaped != null) {
      return shaped;
    }
    Plan plan = planCached(catalog, databaseId, sql, () -> parse(sql));
    if (plan.catalogOnly()) {
      rememberCatalogPlan(new CatalogKey(databaseId, sql), plan);
    }
    return plan;
  }

  private void rememberCatalogPlan(CatalogKey key, Plan plan) {
    catalogPlans.put(key, plan);
  }

  /** Estimated bytes of the cached plans (for tests and metrics). */
  public long cachedPlanBytes() {
    return cache.bytes() + catalogPlans.bytes();
  }

  /** Cached plans (both caches). */
  public int cachedPlans() {
    return cache.size() + catalogPlans.size();
  }

  /**
   * The plan of a catalog query whose column-comparing string literals are parameters (see
   * {@link org.troupedb.sql.internal.pgcatalog.CatalogLiterals}), bound to this text's values; null
   * when the text has no such literal, or its parameterized plan reads a user table or takes a
   * literal as a type other than text, a name, an integer or a boolean (then the text is planned as
   * written).
   */
  private Plan planShape(Catalog catalog, long databaseId, String sql) throws SqlException {
    if (!org.troupedb.sql.internal.pgcatalog.CatalogLiterals.namesCatalog(sql)) {
      return null;
    }
    Catalog.Database db = catalog.databases().get(databaseId);
    String database = db == null ? "" : db.name();
    var shape = org.troupedb.sql.internal.pgcatalog.CatalogLiterals.parameterize(sql, parse(sql), database);
    if (shape == null) {
      return null;
    }
    CatalogKey key = new CatalogKey(shape.anyDatabase() ? ANY_DATABASE : databaseId, shape.key());
    Plan plan = catalogPlans.get(key);
    if (plan == null) {
      try {
        plan = planCached(catalog, databaseId, shape.key(), () -> org.troupedb.sql.internal.pgcatalog.CatalogLiterals
            .parameterize(sql, parse(sql), database).node());
      } catch (SqlException | RuntimeException e) {
        return null;
      }
      if (!plan.catalogOnly()) {
        return null;
      }
      rememberCatalogPlan(key, plan);
    }
    Plan bound = bindLiterals(plan, shape.first(), shape.values());
    if (bound != null) {
      rememberCatalogPlan(new CatalogKey(databaseId, sql), bound); // the next send of this text parses nothing
    }
    return bound;
  }

  /**
   * Types a compared literal may take as a parameter: text, integers and boolean, whose input
   * PostgreSQL applies to an unknown literal the same way {@link ColumnType#coerce} does.
   */
  private static final java.util.Set<org.apache.calcite.sql.type.SqlTypeName> LITERAL_TYPES = java.util.EnumSet.of(
      org.apache.calcite.sql.type.SqlTypeName.VARCHAR, org.apache.calcite.sql.type.SqlTypeName.SMALLINT,
      org.apache.calcite.sql.type.SqlTypeName.INTEGER, org.apache.calcite.sql.type.SqlTypeName.BIGINT,
      org.apache.calcite.sql.type.SqlTypeName.BOOLEAN);

  /**
   * {@code plan} with its parameters from {@code first} on bound to {@code values}: the client
   * sees only the parameters before them. A literal whose parameter the plan no longer has (a
   * footer over an always-empty relation keeps none) is not needed. Null if a literal's parameter
   * type is not one of {@link #LITERAL_TYPES}, or unknown while the plan still reads it.
   */
  private static Plan bindLiterals(Plan plan, int first, List<String> values) throws SqlException {
    List<RelDataType> types = plan.paramTypes();
    Object[] bound = new Object[values.size()];
    for (int i = 0; i < bound.length; i++) {
      RelDataType t = first + i < types.size() ? types.get(first + i) : null;
      if (t == null) {
        // NB: the type list also misses a parameter inside an EXISTS sub-query; bound to NULL, SELECT
        // EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = 'x') was always false
        // (Flyway's history-table check). A parameter the plan still reads is planned as written.
        if (java.util.regex.Pattern.compile("\\?" + (first + i) + "(?![0-9])").matcher(plan.explain()).find()) {
          return null;
        }
        continue;
      }
      ColumnType type = LITERAL_TYPES.contains(t.getSqlTypeName()) ? ColumnType.fromRelType(t) : null;
      if (type == null || type.pg() == org.troupedb.sql.PgType.VARCHAR) {
        return null; // NB: a bounded varchar would check the literal's length, which a comparison does not
      }
      bound[i] = type.coerce(values.get(i));
    }
    Bindable<Object> shared = plan.bindable();
    Map<String, Object> named = BoundLiterals.named(first, bound);
    Bindable<Object> bindable = root -> shared.bind(new BoundLiterals(root, named));
    List<RelDataType> own = List.copyOf(types.subList(0, Math.min(first, types.size())));
    return new Plan(bindable, plan.rowType(), own, plan.explain(), plan.internals(), plan.columns(),
        plan.catalogOnly(), plan.tablesRead());
  }

  /** Builds the query node of a cache key (may throw SqlException). */
  public interface NodeBuilder {
    SqlNode build() throws SqlException;
  }

  /** The cached plan under {@code cacheKey}, planning {@code builder}'s node once. */
  public Plan planCached(Catalog catalog, long databaseId, String cacheKey, NodeBuilder builder)
      throws SqlException {
    Key key = new Key(catalog.epoch(), databaseId, cacheKey);
    CompletableFuture<Plan> f = cache.get(key);
    if (f == null) {
      CompletableFuture<Plan> mine = new CompletableFuture<>();
      f = cache.putIfAbsent(key, mine);
      if (f == null) {
        f = mine;
        try {
          mine.complete(UnknownParams.plan(this, catalog, databaseId, builder));
          cache.reweigh(key); // its weight is the plan's now
        } catch (SqlException | RuntimeException e) {
          cache.remove(key, mine);
          mine.completeExceptionally(e);
        }
      }
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SqlException(SqlState.QUERY_CANCELED, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SqlException s) {
        throw s;
      }
      throw (RuntimeException) e.getCause();
    }
  }

  private static TableDesc table(Catalog catalog, long databaseId, String name) {
    for (TableDesc t : catalog.tables().values()) {
      if (t.databaseId() == databaseId && t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Validates and plans a query node (not cached). */
  Plan plan(Catalog catalog, long databaseId, SqlNode node) throws SqlException {
    plansBuilt.incrementAndGet();
    PlanTimer timer = new PlanTimer();
    FrameworkConfig config = config(catalog, databaseId);
    timer.lap("config");
    Planner planner = Frameworks.getPlanner(config);
    try {
      planner.parse("values 1"); // moves the planner to the parsed state; we validate our node
      org.troupedb.sql.internal.types.PgJavaTypeFactory.install(planner, PgTypeSystem.INSTANCE);
      Catalog.Database db = catalog.databases().get(databaseId);
      ViewExpansion.Expanded views = ViewExpansion.expand(node, catalog, databaseId);
      node = views.node();
      List<String> names = ColumnNames.figure(node);
      org.troupedb.sql.internal.plan.PrimaryKeyGrouping.extend(node, name -> table(catalog, databaseId, name));
      SqlNode validated = planner.validate(normalize(node, db == null ? "" : db.name()));
      timer.lap("validate");
      RelRoot root = planner.rel(validated);
      timer.lap("sql2rel");
      List<RelDataType> params = paramTypes(root.project());
      int[][] origins = origins(root); // before planning, which registers the logical tree
      // NB: a top-level ORDER BY is a Sort the planner may treat as equivalent to its input (both
      // live in one equivalence set); only a required collation keeps it. So, as Calcite's own
      // Prepare does, plan root.rel requiring the root's collation, then project the output
      // fields with a Calc, which preserves order.
      UuidOrder.Rewritten uuids = UuidOrder.rewrite(root.rel, root.collation);
      RelTraitSet traits = uuids.rel().getTraitSet().replace(EnumerableConvention.INSTANCE)
          .replace(uuids.collation()).simplify();
      RelNode best = PgArithmetic.rewriteDivision(
          planner.transform(0, traits, GuardedCasts.strip(NullPropagation.fold(
              PgArithmetic.rewriteBeforePlanning(PgAggregates.castSumArguments(
                  org.troupedb.sql.internal.types.Int2Vector.rebaseSubscripts(uuids.rel())))))));
      timer.lap("optimize");
      if (!root.isRefTrivial() || uuids.rel() != root.rel) {
        RexBuilder rexBuilder = best.getCluster().getRexBuilder();
        List<RexNode> projects = new ArrayList<>();
        for (var field : root.fields) {
          projects.add(rexBuilder.makeInputRef(best, field.getKey()));
        }
        best = EnumerableCalc.create(best,
            RexProgram.create(best.getRowType(), projects, null, root.validatedRowType, rexBuilder));
      }
      String explain = RelOptUtil.toString(best, SqlExplainLevel.EXPPLAN_ATTRIBUTES);
      best = MemoryCountRel.instrument(OneColumnFunctionRows.unwrap(best)); // after EXPLAIN's text: not operators
      @SuppressWarnings("unchecked")
      Map<String, Object> internals = new HashMap<>();
      Bindable<Object> bindable = EnumerableInterpretable.toBindable(internals, null,
          (EnumerableRel) best, EnumerableRel.Prefer.ARRAY);
      timer.lap("codegen");
      timer.log(node);
      RelDataType rowType = ColumnNames.rename(root.validatedRowType, names, validated, TYPE_FACTORY);
      return new Plan(bindable, rowType, params, explain, Map.copyOf(internals),
          withOrigins(ColumnType.columnsOf(rowType), origins),
          !views.readsViews() && org.troupedb.sql.internal.pgcatalog.VirtualTable.readsNoUserTable(best),
          tablesRead(root.rel));
    } catch (SqlException e) {
      throw e; // a view that cannot be expanded (ViewExpansion)
    } catch (SqlParseException e) {
      throw new SqlException(SqlState.SYNTAX_ERROR, e.getMessage(), e);
    } catch (ValidationException e) {
      throw Errors.fromValidation(e, node);
    } catch (SqlRuntimeException e) {
      throw e.sqlException();
    } catch (org.apache.calcite.runtime.CalciteContextException e) {
      throw Errors.fromValidation(e, node);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (AssertionError | StackOverflowError e) {
      throw Errors.internal(e);
    } catch (Exception e) {
      throw Errors.internal(e);
    } finally {
      planner.close();
    }
  }

  /** Per output column, {table OID, attnum} when it is read unchanged from a user table, else null. */
  private static int[][] origins(RelRoot root) {
    int[][] out = new int[root.fields.size()][];
    var mq = root.rel.getCluster().getMetadataQuery();
    for (int i = 0; i < out.length; i++) {
      java.util.Set<org.apache.calcite.rel.metadata.RelColumnOrigin> origins =
          mq.getColumnOrigins(root.rel, root.fields.get(i).getKey());
      if (origins == null || origins.size() != 1) {
        continue;
      }
      var origin = origins.iterator().next();
      KvTable table = origin.isDerived() ? null : origin.getOriginTable().unwrap(KvTable.class);
      if (table != null) {
        out[i] = origin(table.desc, table.columnPosition(origin.getOriginColumnOrdinal()));
      }
    }
    return out;
  }

  /** {table OID, attnum} of the column at {@code position} in a table's descriptor. */
  static int[] origin(TableDesc table, int position) {
    return new int[] {(int) org.troupedb.sql.internal.catalog.PgOids.relation(table.id()),
        org.troupedb.sql.internal.catalog.PgOids.attnum(table, position)};
  }

  /**
   * RowDescription's table OID and attribute number of each output column: a column read
   * unchanged from a user table names that table and column (pgjdbc asks the catalog about them
   * for ResultSetMetaData.isNullable / getTableName / isAutoIncrement); any other has 0 and 0.
   */
  static List<org.troupedb.sql.ColumnInfo> withOrigins(List<org.troupedb.sql.ColumnInfo> cols,
      int[][] origins) {
    List<org.troupedb.sql.ColumnInfo> out = new ArrayList<>(cols);
    for (int i = 0; i < out.size() && i < origins.length; i++) {
      if (origins[i] != null && origins[i][1] > 0) {
        org.troupedb.sql.ColumnInfo c = out.get(i);
        out.set(i, new org.troupedb.sql.ColumnInfo(c.name(), c.type(), c.typeModifier(), origins[i][0],
            (short) origins[i][1]));
      }
    }
    return List.copyOf(out);
  }

  /** Stands for pg_catalog.pg_authid in {@link Plan#tablesRead()}: only superusers may read it. */
  public static final long PG_AUTHID = -1;

  /** The ids of the tables a plan scans (for the SELECT privilege check of each execution). */
  private static java.util.Set<Long> tablesRead(RelNode rel) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    for (org.apache.calcite.plan.RelOptTable t : RelOptUtil.findTables(rel)) {
      KvTable kt = t.unwrap(KvTable.class);
      if (kt != null) {
        ids.add(kt.desc.id());
      } else if (t.getQualifiedName().get(t.getQualifiedName().size() - 1).equals("pg_authid")) {
        ids.add(PG_AUTHID);
      }
    }
    return java.util.Set.copyOf(ids);
  }

  private static List<RelDataType> paramTypes(RelNode rel) {
    Map<Integer, RelDataType> found = new TreeMap<>();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitDynamicParam(RexDynamicParam p) {
        found.putIfAbsent(p.getIndex(), p.getType());
        return p;
      }
    };
    rel.accept(new RelShuttleImpl() {
      @Override
      protected RelNode visitChild(RelNode parent, int i, RelNode child) {
        child.accept(rex);
        return super.visitChild(parent, i, child);
      }

      @Override
      public RelNode visit(RelNode other) {
        other.accept(rex);
        return super.visit(other);
      }
    });
    rel.accept(rex);
    List<RelDataType> out = new ArrayList<>();
    int max = found.isEmpty() ? -1 : ((TreeMap<Integer, RelDataType>) found).lastKey();
    for (int i = 0; i <= max; i++) {
      out.add(found.get(i));
    }
    return out;
  }
}
