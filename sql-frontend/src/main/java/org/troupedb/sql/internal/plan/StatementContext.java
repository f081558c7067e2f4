package org.troupedb.sql.internal.plan;

import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CatalogStore;
import org.troupedb.sql.internal.catalog.Sequences;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnService;

/**
 * What one statement's planning, privilege checks and execution need: the user it runs as, the
 * database its names resolve in, the session's cancel flag and state ({@link SessionState}:
 * variables, currvals, duplicate-key reporting), the node's services (planner, sequences, catalog
 * store), the transaction it runs in, the catalog snapshot that transaction reads and the parameter
 * types the client declared ({@link DeclaredTypes}). Built once per
 * statement by the session and handed down instead of parameter lists; it lives in {@code plan}, the
 * lowest stage that knows every part, so {@code auth} and {@code exec} take it too.
 */
public record StatementContext(String user, Catalog.Database database, CancelFlag cancel, SessionState session,
    NodeServices node, Txn txn, Catalog catalog, List<PgType> declaredTypes) {
  /** The id of the statement's database, the one its names resolve in. */
  public long databaseId() {
    return database.id();
  }

  /** The node's planner (its plan cache is shared by every session). */
  public QueryPlanner planner() {
    return node.planner();
  }

  public Sequences sequences() {
    return node.sequences();
  }

  /** The catalog store: descriptor writes and new ids, in {@link #txn()}. */
  public CatalogStore catalogs() {
    return node.catalogs();
  }

  public TxnService kv() {
    return node.kv();
  }

  /** The same statement in another transaction (e.g. COPY's own) and the catalog that one reads. */
  public StatementContext in(Txn otherTxn, Catalog otherCatalog) {
    return new StatementContext(user, database, cancel, session, node, otherTxn, otherCatalog, declaredTypes);
  }

  /** The statement with the parameter types its client declared (null entries: not declared). */
  public StatementContext declaring(List<PgType> types) {
    return new StatementContext(user, database, cancel, session, node, txn, catalog, types == null ? List.of() : types);
  }
}
