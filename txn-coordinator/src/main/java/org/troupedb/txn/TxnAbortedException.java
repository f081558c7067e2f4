package org.troupedb.txn;

/** The transaction was already finished (rolled back, or failed earlier) when an operation was issued. */
public final class TxnAbortedException extends TxnException {
  public TxnAbortedException(String message) {
    super(message);
  }
}
