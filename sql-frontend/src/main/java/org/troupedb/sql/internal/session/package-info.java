/**
 * Stage 10, session: the top. {@link org.troupedb.sql.internal.session.Engine} is the engine behind
 * {@link org.troupedb.sql.SqlEngine} (catalog store, planner, sequences, one per node) and opens
 * {@link org.troupedb.sql.internal.session.Session}s; a session parses, routes each statement
 * (transaction control and SET / SHOW itself, DDL to {@code exec.Ddl}, queries and DML to {@code
 * exec.Dml}), keeps the transaction block with its savepoints and the session variables ({@link
 * org.troupedb.sql.internal.session.Vars}), and reads {@code AS OF SYSTEM TIME}. The node's
 * {@link org.troupedb.sql.internal.session.StatementCache} keeps parsed and prepared statements by
 * text for every session; {@link org.troupedb.sql.internal.session.InsertPipeline} keeps the
 * autocommit INSERTs a client sends before its Sync in one implicit transaction. May depend on
 * every stage; nothing in sql-frontend but the public API depends on it.
 */
package org.troupedb.sql.internal.session;
