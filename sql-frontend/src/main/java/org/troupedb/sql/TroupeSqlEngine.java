package org.troupedb.sql;

import org.troupedb.sql.internal.session.Engine;
import org.troupedb.txn.TxnService;

/** Creates the node's {@link SqlEngine} over a transaction service. */
public final class TroupeSqlEngine {
  private TroupeSqlEngine() {}

  /**
   * The SQL engine over {@code kv}; on first start it bootstraps the catalog (databases
   * {@code defaultdb} and {@code postgres}, schema {@code public}).
   */
  public static SqlEngine create(TxnService kv) throws SqlException {
    return new Engine(kv);
  }
}
