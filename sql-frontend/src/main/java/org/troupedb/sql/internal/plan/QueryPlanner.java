package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.ValidationException;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.functions.PgAggregates;
import org.troupedb.sql.internal.functions.PgArithmetic;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgTypeSystem;
import org.troupedb.sql.parser.StatementParser;

/**
 * Plans queries with Calcite into executable {@link Bindable}s. One immutable
 * {@link FrameworkConfig} per (catalog snapshot, database); a fresh {@link Planner} per statement;
 * plans cached ({@link PlanCache}) as futures keyed by (catalog snapshot epoch, database, {@link
 * PlanKind}, normalised SQL, declared parameter types) so identical concurrent prepares plan once
 * and DDL invalidates (a new version is a new snapshot).
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



  public static final JavaTypeFactory TYPE_FACTORY =
      new org.troupedb.sql.internal.types.PgJavaTypeFactory(PgTypeSystem.INSTANCE);
  /** TroupeDB's grammar (PostgreSQL lexical rules, {@code $n}, {@code ::}). */
  public static final SqlParser.Config PARSER = org.troupedb.sql.parser.TroupeParser.config();


  /**
   * The node's memory for cached plans and statements, estimated ({@code
   * -Dtroupedb.sql.plan-cache-memory=64MB}, the default): 3/8 for {@link #cache}, a quarter for
   * {@link #catalogPlans} (psql's and drivers' catalog queries plan slowly), the rest for the
   * session layer's StatementCache.
   */
  public static final long PLAN_CACHE_BYTES = org.troupedb.sql.internal.errors.MemorySetting.bytesOr(
      System.getProperty("troupedb.sql.plan-cache-memory"), 64L << 20);

  private final PlanCache cache = new PlanCache(this);

  private final java.util.concurrent.atomic.AtomicLong plansBuilt = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Drops every cached plan. NB: called when a generated plan class failed to initialize (Calcite
   * folds constant expressions such as {@code 1/0} into static initializers), since such a class
   * cannot run again.
   */
  public void invalidate() {
    generation.incrementAndGet();
    cache.invalidate();
  }

  /** Bumped by {@link #invalidate}; prepared statements' own plans check it. */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  /** How many times {@link #invalidate} dropped the plans: a plan held elsewhere is stale if this moved. */
  public long generation() {
    return generation.get();
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
          .operatorTable(PgOperators.TABLE)
          .convertletTable(NumericLiteralCasts.wrap(PlainCoalesce.CONVERTLETS))
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
      JsonCasts.standardize(node);
      return node;
    } catch (SqlParseException e) {
      throw StatementParser.syntaxError(e, sql);
    }
  }

  /**
   * The cached plan of a query text, planning it once (a catalog-only query once per database or
   * shape, see {@link PlanCache}).
   */
  public Plan planCached(Catalog catalog, long databaseId, String sql) throws SqlException {
    return cache.planCached(catalog, databaseId, sql, List.of());
  }

  /**
   * {@link #planCached(Catalog, long, String)} for a query whose client declared the parameter
   * types {@code declared} (null entries: not declared); the types a plan depends on key it too.
   */
  public Plan planCached(Catalog catalog, long databaseId, String sql, List<org.troupedb.sql.PgType> declared)
      throws SqlException {
    return cache.planCached(catalog, databaseId, sql, declared);
  }

  /** The cached plan of {@code kind} derived from {@code sql}, planning {@code builder}'s node once. */
  public Plan planCached(Catalog catalog, long databaseId, PlanKind kind, String sql, NodeBuilder builder)
      throws SqlException {
    return cache.planCached(catalog, databaseId, kind, sql, List.of(), builder);
  }

  /** Estimated bytes of the cached plans (for tests and metrics). */
  public long cachedPlanBytes() {
    return cache.cachedPlanBytes();
  }

  /** Cached plans (both caches). */
  public int cachedPlans() {
    return cache.cachedPlans();
  }

  /** Builds the query node of a cache key (may throw SqlException). */
  public interface NodeBuilder {
    SqlNode build() throws SqlException;
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
      SqlNode validated = planner.validate(PgArraySyntax.rewrite(PgSpellings.normalize(node, db == null ? "" : db.name())));
      timer.lap("validate");
      RelRoot root = planner.rel(validated);
      timer.lap("sql2rel");
      List<RelDataType> params = RelFacts.paramTypes(root.project());
      int[][] origins = RelFacts.origins(root); // before planning, which registers the logical tree
      // NB: a top-level ORDER BY is a Sort the planner may treat as equivalent to its input (both
      // live in one equivalence set); only a required collation keeps it. So, as Calcite's own
      // Prepare does, plan root.rel requiring the root's collation, then project the output
      // fields with a Calc, which preserves order.
      UuidOrder.Rewritten uuids = UuidOrder.rewrite(root.rel, root.collation);
      RelTraitSet traits = uuids.rel().getTraitSet().replace(EnumerableConvention.INSTANCE)
          .replace(uuids.collation()).simplify();
      RelNode best = PgArithmetic.rewriteDivision(planner.transform(0, traits, beforePlanning(uuids.rel())));
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
          RelFacts.withOrigins(ColumnType.columnsOf(rowType), origins),
          !views.readsViews() && org.troupedb.sql.internal.pgcatalog.VirtualTable.readsNoUserTable(best),
          RelFacts.tablesRead(root.rel));
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


  /** Stands for pg_catalog.pg_authid in {@link Plan#tablesRead()}: only superusers may read it. */
  public static final long PG_AUTHID = -1;

  /** The rewrites of a logical plan before the cost-based planner sees it, in the order they run. */
  private static RelNode beforePlanning(RelNode rel) {
    rel = AggregateArguments.widen(rel); // first: the others copy aggregates, which checks their types
    rel = JsonRex.rewrite(rel);
    rel = org.troupedb.sql.internal.functions.IntervalRex.rewrite(rel);
    rel = org.troupedb.sql.internal.types.Int2Vector.rebaseSubscripts(rel);
    rel = PgAggregates.castSumArguments(rel);
    rel = PgArithmetic.rewriteBeforePlanning(rel);
    rel = NullPropagation.fold(rel);
    rel = NullInSubQuery.rewrite(rel);
    return GuardedCasts.strip(rel);
  }
}
