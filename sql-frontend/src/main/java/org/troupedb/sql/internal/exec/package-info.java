/**
 * Stage 9, exec: running a statement. Every stage gets the statement's {@link
 * org.troupedb.sql.internal.exec.StatementContext} (session, transaction, catalog snapshot).
 *
 * <pre>
 *   Dml.execute ─▶ DmlPlanner.plan ─▶ DmlPlan (sealed: Query | PointRead | SequenceCall | Write)
 *                   (cached in the prepared statement's PlanSlot; trees from plan.DmlTrees)
 *               ─▶ PlanPrivileges.check ─▶ one dispatch on the plan's kind:
 *                   SequenceCall ─▶ SequenceCalls      PointRead ─▶ one KV get
 *                   Query ─▶ PlanRunner.run            Write ─▶ PlanRunner.run ─▶ DmlWrites
 *                                                                (NewRows, Checks, RowWriter, ForeignKeys)
 *   Ddl.execute ─▶ TableDdl | AlterTableDdl | IndexDdl | DropDdl | ViewDdl | CreateTableAs | CommentDdl
 *   Copy.start  ─▶ COPY FROM / TO
 * </pre>
 *
 * {@link org.troupedb.sql.internal.exec.PlanRunner} is the one way a plan runs (bind, drain with
 * cancel checks and memory charged, a broken generated class drops every cached plan); {@link
 * org.troupedb.sql.internal.exec.RowWriter} turns rows into KV mutations with their index
 * entries; writes to views are refused in {@code ViewWrites}. May depend on every stage below it.
 * NB: it still takes the {@code Session} (and its {@code Engine}) as part of the statement's
 * context: the one allowed upward dependency. {@code Ddl}, {@code Checks}, {@code ForeignKeys}
 * and {@code auth} still take {@code (Session, Txn, Catalog)} lists rather than the context record.
 */
package org.troupedb.sql.internal.exec;
