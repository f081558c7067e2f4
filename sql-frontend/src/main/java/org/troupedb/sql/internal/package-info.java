/**
 * The SQL engine behind {@link org.troupedb.sql.SqlSession}.
 *
 * <pre>
 *   Session.parse ── StatementParser: StatementSplitter ──▶ TroupeParser ──▶ SqlNode (+ Query)
 *       every statement is parsed by the TroupeDB grammar (org.troupedb.sql.parser) into its AST
 *       Session runs BEGIN / COMMIT / SET / SHOW itself (Vars holds the parameters), DDL nodes
 *       go to Ddl, queries and DML (Query) to Dml
 *   Session.prepare / execute
 *       CatalogStore.read(txn) ─ version key, descriptors cached per version
 *       Dml.plan ─┬─ PointGet (primary-key equality to literals or $n: one KV get, no planner)
 *                 ├─ sequence functions (nextval/currval/setval)
 *                 └─ QueryPlanner.planCached (Calcite: validate, Volcano, Enumerable + Bindable
 *                    scan of KvTable; plans cached by catalog version, database, SQL)
 *       Dml.execute ─ reuses the Planned form the prepared statement holds (its PlanSlot) while
 *                     the catalog epoch and planner generation are unchanged: no parse, no plan;
 *                     then runs the plan over ExecContext (txn, parameters, cancel flag), then
 *                     RowWriter turns INSERT/UPDATE/DELETE rows into KV mutations
 *       Ddl ─ descriptors through the same transaction, version bump, range splits
 * </pre>
 *
 * Key layout: see {@link org.troupedb.sql.internal.catalog.Catalog}; key encoding:
 * {@link org.troupedb.sql.internal.catalog.KeyEncoding}; row values: {@link
 * org.troupedb.sql.internal.catalog.ValueEncoding}; sequences: {@link org.troupedb.sql.internal.catalog.Sequences}.
 */
package org.troupedb.sql.internal;
