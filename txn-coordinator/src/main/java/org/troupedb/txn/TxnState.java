package org.troupedb.txn;

/**
 * The life of a transaction.
 *
 * <pre>
 *   PENDING ──commit()──▶ COMMITTED
 *      │
 *      ├──rollback() / retry error / push──▶ ABORTED
 * </pre>
 */
public enum TxnState {
  PENDING,
  COMMITTED,
  ABORTED
}
