/**
 * The SQL engine behind {@link org.troupedb.sql.SqlSession}, one package per stage a statement
 * passes through, lowest first. A stage uses only the stages below it (the ArchUnit test in
 * {@code arch-tests} enforces this; each package-info says what its stage owns):
 *
 * <pre>
 *   errors     SQLSTATE mapping                         (internal.errors)
 *   parser     split, parse, classify                   (org.troupedb.sql.parser)
 *   types      the PostgreSQL type system               (internal.types)
 *   catalog    descriptors, key and value encoding      (internal.catalog)
 *   functions  PostgreSQL functions and operators       (internal.functions)
 *   kv         the Calcite adapter over the KV store    (internal.kv)
 *   pgcatalog  pg_catalog, information_schema           (internal.pgcatalog)
 *   plan       Calcite planning, point gets, plan cache (internal.plan)
 *   auth       privileges and roles                     (internal.auth)
 *   exec       DML, DDL, COPY, row writes               (internal.exec)
 *   session    the session and its engine               (internal.session)
 * </pre>
 *
 * A statement's path:
 *
 * <pre>
 *   Session.parse ── StatementParser: StatementSplitter ──▶ TroupeParser ──▶ SqlNode (+ Query)
 *       every statement is parsed by the TroupeDB grammar (org.troupedb.sql.parser) into its AST
 *       StatementRouter sends BEGIN / COMMIT / SAVEPOINT to SessionTxn (TxnBlock states), SET /
 *       SHOW to Vars, DDL nodes to Ddl, queries and DML (Query) to Dml
 *   Session.prepare / execute
 *       CatalogStore.read(txn) ─ version key, descriptors cached per version
 *       DmlPlanner.plan ─┬─ PointGet (primary-key equality to literals or $n: one KV get, no planner)
 *                        ├─ sequence functions (nextval/currval/setval)
 *                        └─ QueryPlanner.planCached (Calcite: validate, Volcano, Enumerable + Bindable
 *                           scan of KvTable; PlanCache keys: catalog version, database, PlanKind, SQL)
 *       Dml.execute ─ reuses the DmlPlan the prepared statement holds (its PlanSlot) while
 *                     the catalog epoch and planner generation are unchanged: no parse, no plan;
 *                     PlanRunner runs the plan over ExecContext (txn, parameters, cancel flag), then
 *                     DmlWrites / RowWriter turn INSERT/UPDATE/DELETE rows into KV mutations
 *       Ddl ─ descriptors through the same transaction, version bump, range splits
 * </pre>
 *
 * Key layout: see {@link org.troupedb.sql.internal.catalog.Catalog}; key encoding:
 * {@link org.troupedb.sql.internal.catalog.KeyEncoding}; row values: {@link
 * org.troupedb.sql.internal.catalog.ValueEncoding}; sequences: {@link org.troupedb.sql.internal.catalog.Sequences}.
 */
package org.troupedb.sql.internal;
