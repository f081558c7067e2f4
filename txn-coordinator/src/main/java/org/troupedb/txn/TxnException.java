package org.troupedb.txn;

/** Base of the errors a transaction operation completes exceptionally with. */
public abstract class TxnException extends RuntimeException {
  protected TxnException(String message) {
    super(message, null, false, false);
  }

  protected TxnException(String message, Throwable cause) {
    super(message, cause);
  }
}
