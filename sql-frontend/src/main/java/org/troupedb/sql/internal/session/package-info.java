/**
 * Stage 10, session: the top. {@link org.troupedb.sql.internal.session.Engine} is the engine behind
 * {@link org.troupedb.sql.SqlEngine} (catalog store, planner, sequences, one per node) and opens
 * {@link org.troupedb.sql.internal.session.Session}s. A session parses and prepares statements and
 * hands each execution to its {@code StatementRouter}, the one place that decides where a
 * statement runs: transaction control goes to {@code SessionTxn} (the block's transaction,
 * savepoints and READ ONLY mode, its states those of the {@code TxnBlock} state machine), SET and
 * SHOW to {@link org.troupedb.sql.internal.session.Vars}, statements inside a block to the block's
 * transaction, others to an implicit transaction (or the {@link
 * org.troupedb.sql.internal.session.InsertPipeline}, which keeps the autocommit INSERTs a client
 * sends before its Sync in one implicit transaction), and from there to {@code exec}, with the
 * statement's context ({@code Session.context}; the session is its {@code SessionState}). {@code
 * TxnCatalog} reads the catalog once per transaction; {@code DuplicateKeys} names the constraint a
 * duplicate key violated. The node's {@link org.troupedb.sql.internal.session.StatementCache}
 * keeps parsed and prepared statements by text for every session; {@code AS OF SYSTEM TIME} is
 * read in {@code AsOfSystemTime}. May depend on every stage; nothing in sql-frontend but the
 * public API depends on it.
 */
package org.troupedb.sql.internal.session;
