package org.troupedb.sql.internal.plan;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.plan.QueryPlanner.Plan;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.StatementSplitter;

/**
 * The node's plans, as futures so that identical concurrent prepares plan once. A plan is keyed
 * by (catalog snapshot epoch, database, {@link PlanKind}, normalised statement text, declared
 * parameter types): DDL makes a new snapshot, so a schema change invalidates by version; texts that
 * differ only in whitespace and comments share a plan ({@link StatementSplitter#normalise}); the
 * declared types are those the plan depends on ({@link DeclaredTypes}: only a query's, only the
 * ones that type an otherwise untyped parameter), the empty list for every other plan. Catalog-only queries have a
 * second cache that outlives snapshots ({@link #catalogPlans}).
 */
final class PlanCache {
  /**
   * A plan's key: {@code sql} is the normalised statement text (or expression) the plan is derived
   * from, {@code declaredTypes} what {@link DeclaredTypes#shaping} kept of the client's.
   */
  record Key(long catalogEpoch, long database, PlanKind kind, String sql, List<PgType> declaredTypes) {}

  private final QueryPlanner planner;

  PlanCache(QueryPlanner planner) {
    this.planner = planner;
  }

  private final ByteBoundedCache<Key, CompletableFuture<Plan>> cache = new ByteBoundedCache<>(
      QueryPlanner.PLAN_CACHE_BYTES / 8 * 3,
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
  private final ByteBoundedCache<CatalogKey, Plan> catalogPlans = new ByteBoundedCache<>(QueryPlanner.PLAN_CACHE_BYTES / 4,
      (k, p) -> ByteBoundedCache.planWeight(k.sql(), p));

  /**
   * Drops every cached plan. NB: called when a generated plan class failed to initialize (Calcite
   * folds constant expressions such as {@code 1/0} into static initializers), since such a class
   * cannot run again.
   */
  void invalidate() {
    cache.clear();
    catalogPlans.clear();
  }


  /**
   * The cached plan of a query text, planning it once. A query that reads nothing but
   * pg_catalog / information_schema relations (or no relation at all) is planned once per
   * database, not once per catalog snapshot, and once per shape when it compares columns with
   * string literals ({@link #planShape}): those relations keep their row type through DDL and are
   * found through the execution's root schema, so the plan reads the current snapshot's rows (see
   * {@link #catalogPlans}).
   */
  Plan planCached(Catalog catalog, long databaseId, String sql, List<PgType> declared) throws SqlException {
    List<PgType> shaping = DeclaredTypes.shaping(declared);
    if (!shaping.isEmpty()) {
      return planCached(catalog, databaseId, PlanKind.QUERY, sql, shaping, () -> QueryPlanner.parse(sql));
    }
    Plan shared = catalogPlans.get(new CatalogKey(databaseId, sql));
    if (shared != null) {
      return shared;
    }
    Plan shaped = planShape(catalog, databaseId, sql);
    if (shaped != null) {
      return shaped;
    }
    Plan plan = planCached(catalog, databaseId, PlanKind.QUERY, sql, List.of(), () -> QueryPlanner.parse(sql));
    if (plan.catalogOnly()) {
      rememberCatalogPlan(new CatalogKey(databaseId, sql), plan);
    }
    return plan;
  }

  private void rememberCatalogPlan(CatalogKey key, Plan plan) {
    catalogPlans.put(key, plan);
  }

  /** Estimated bytes of the cached plans (for tests and metrics). */
  long cachedPlanBytes() {
    return cache.bytes() + catalogPlans.bytes();
  }

  /** Cached plans (both caches). */
  int cachedPlans() {
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
    var shape = org.troupedb.sql.internal.pgcatalog.CatalogLiterals.parameterize(sql, QueryPlanner.parse(sql), database);
    if (shape == null) {
      return null;
    }
    CatalogKey key = new CatalogKey(shape.anyDatabase() ? ANY_DATABASE : databaseId, shape.key());
    Plan plan = catalogPlans.get(key);
    if (plan == null) {
      try {
        plan = planCached(catalog, databaseId, PlanKind.QUERY, shape.key(), List.of(),
            () -> org.troupedb.sql.internal.pgcatalog.CatalogLiterals
            .parameterize(sql, QueryPlanner.parse(sql), database).node());
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


  /**
   * The cached plan of {@code kind} for {@code sql}, planning {@code builder}'s node once, with the
   * untyped parameters of {@code shaping} ({@link DeclaredTypes#shaping}) as declared.
   */
  Plan planCached(Catalog catalog, long databaseId, PlanKind kind, String sql, List<PgType> shaping,
      QueryPlanner.NodeBuilder builder) throws SqlException {
    Key key = new Key(catalog.epoch(), databaseId, kind, kind.normalisesText() ? StatementSplitter.normalise(sql) : sql,
        shaping);
    CompletableFuture<Plan> f = cache.get(key);
    if (f == null) {
      CompletableFuture<Plan> mine = new CompletableFuture<>();
      f = cache.putIfAbsent(key, mine);
      if (f == null) {
        f = mine;
        try {
          mine.complete(UnknownParams.plan(planner, catalog, databaseId, shaping, builder));
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
}
