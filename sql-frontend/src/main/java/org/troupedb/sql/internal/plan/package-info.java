/**
 * Stage 7, plan: from a parsed query to something that runs. {@link
 * org.troupedb.sql.internal.plan.QueryPlanner} validates and plans with Calcite (Volcano, then
 * Enumerable and Bindable code; operators from {@code PgOperators}, PostgreSQL spellings rewritten
 * by {@code PgSpellings}, column origins and tables read by {@code RelFacts}); {@code PlanCache}
 * keeps plans by catalog version, database, {@link org.troupedb.sql.internal.plan.PlanKind} and
 * SQL; {@link org.troupedb.sql.internal.plan.DmlTrees} and {@link
 * org.troupedb.sql.internal.plan.InsertValues} build the query trees a write is planned as; {@link
 * org.troupedb.sql.internal.plan.PointGet} is the fast path for primary-key equality (one KV get,
 * no planner); {@link org.troupedb.sql.internal.plan.ParamValues} plans {@code INSERT … VALUES ($1,
 * …)}; {@link org.troupedb.sql.internal.plan.ViewExpansion} replaces the views a query reads by
 * their stored queries before validation; the rest are the planner's helpers (output column
 * names, literal casts, untyped parameters, join ordering, timings). After planning, {@link
 * org.troupedb.sql.internal.plan.MemoryCountRel} makes the operators that hold rows charge the
 * statement's memory budget, and replaces sorts by {@link
 * org.troupedb.sql.internal.plan.SpillingSortRel}; {@link
 * org.troupedb.sql.internal.plan.ByteBoundedCache} bounds the plan caches in bytes. May depend on
 * every stage below it ({@code errors} … {@code pgcatalog}); never on auth, exec or the session.
 * The per-statement {@link org.troupedb.sql.internal.plan.StatementContext} lives here, the lowest
 * stage that knows all its parts ({@link org.troupedb.sql.internal.plan.NodeServices}, the
 * session's {@link org.troupedb.sql.internal.plan.SessionState}), so auth and exec take it too.
 */
package org.troupedb.sql.internal.plan;
