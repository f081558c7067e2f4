/**
 * Stage 9, exec: running a statement. Every entry point takes the statement's {@link
 * org.troupedb.sql.internal.plan.StatementContext} (user, database, cancel flag, session state,
 * the node's planner, sequences and catalog store, transaction, catalog snapshot) and returns a
 * {@link org.troupedb.sql.internal.exec.MaterializedResult}, a {@link
 * org.troupedb.sql.internal.exec.StreamedResult} (a query or COPY TO whose rows are read as they
 * are sent) or a command tag.
 *
 * <pre>
 *   Dml.execute ─▶ DmlPlanner.plan ─▶ DmlPlan (sealed: Query | PointRead | SequenceCall | Write)
 *                   (cached in the prepared statement's PlanSlot; trees from plan.DmlTrees)
 *               ─▶ PlanPrivileges.check ─▶ one dispatch on the plan's kind:
 *                   SequenceCall ─▶ SequenceCalls      PointRead ─▶ one KV get
 *                   Query ─▶ PlanRunner.open (≤ 1024 rows: whole; more: StreamedResult)
 *                                                      Write ─▶ PlanRunner.run ─▶ DmlWrites
 *                                                                (NewRows, Checks, RowWriter, ForeignKeys)
 *   Ddl.execute ─▶ TableDdl | AlterTableDdl | IndexDdl | DropDdl | ViewDdl | CreateTableAs | CommentDdl
 *                   AlterTableDdl ─▶ ColumnDdl (ADD/DROP COLUMN; ColumnBackfill, ColumnPositions)
 *                                  | RenameDdl | AlterColumnDdl (DEFAULT, NOT NULL, TYPE)
 *                                    (views that use a column: ColumnDependents)
 *   Copy.start  ─▶ COPY FROM / TO
 * </pre>
 *
 * {@link org.troupedb.sql.internal.exec.PlanRunner} is the one way a plan runs (bind, pull rows
 * with cancel checks, or drain them with memory charged, a broken generated class drops every cached plan); {@link
 * org.troupedb.sql.internal.exec.RowWriter} turns rows into KV mutations with their index
 * entries; writes to views are refused in {@code ViewWrites}. May depend on every stage below it.
 * It never sees the session: what a statement changes there (currval, duplicate-key reporting) goes
 * through the context's narrow {@link org.troupedb.sql.internal.plan.SessionState}.
 */
package org.troupedb.sql.internal.exec;
