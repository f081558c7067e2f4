package org.troupedb.sql.internal.exec;

import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.session.Session;
import org.troupedb.txn.Txn;

/**
 * What one statement's planning and execution need: the session that runs it, the transaction it
 * runs in and the catalog snapshot that transaction reads. Built once per statement by the session
 * and handed down instead of {@code (Session, Txn, Catalog)} lists; the accessors name the parts of
 * the session the stages use (its database, cancel flag, planner).
 *
 * <p>NB: auth, {@link Checks}, {@link ForeignKeys} and {@link Ddl} still take the three parts
 * separately; {@link #session()}, {@link #txn()} and {@link #catalog()} serve them until they move.
 */
public record StatementContext(Session session, Txn txn, Catalog catalog) {
  /** The id of the session's database, the one the statement's names resolve in. */
  public long databaseId() {
    return session.database.id();
  }

  public CancelFlag cancel() {
    return session.cancel;
  }

  /** The node's planner (its plan cache is shared by every session). */
  public QueryPlanner planner() {
    return session.engine.planner;
  }
}
