package org.troupedb.sql.internal.session;

import org.troupedb.hlc.Timestamp;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CatalogStore;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.txn.Txn;

/**
 * The catalog as of a transaction, read once per transaction and read timestamp: the version key
 * it read stays in the transaction's read set, so a later commit or refresh still validates it; a
 * transaction whose timestamp moved reads it again. DDL in the transaction (and ROLLBACK TO
 * SAVEPOINT, which may undo DDL) calls {@link #forget}.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class TxnCatalog {
  private final CatalogStore store;
  private final CancelFlag cancel;
  private Txn txn;
  private Timestamp readAt;
  private Catalog catalog;

  TxnCatalog(CatalogStore store, CancelFlag cancel) {
    this.store = store;
    this.cancel = cancel;
  }

  Catalog of(Txn t) throws SqlException {
    if (t == txn && t.readTimestamp().equals(readAt)) {
      return catalog;
    }
    Catalog c = store.read(t, cancel);
    txn = t;
    readAt = t.readTimestamp();
    catalog = c;
    return c;
  }

  /** What the transaction sees of the catalog may have changed: read it again next time. */
  void forget() {
    txn = null;
  }
}
