package org.troupedb.txn;

/**
 * The transaction cannot commit serializably and must be retried from the start (SQLSTATE 40001).
 * The message names the reason the way CockroachDB does, e.g.
 * {@code restart transaction: TransactionRetryError: serializable: reads changed (RETRY_SERIALIZABLE)}.
 */
public final class TxnRetryException extends TxnException {

  /** Why a transaction must restart. */
  public enum Reason {
    WRITE_TOO_OLD("write too old"),
    SERIALIZABLE("serializable"),
    UNCERTAINTY("uncertainty"),
    WRITE_CONFLICT("write conflict"),
    ABORTED_BY_PUSH("aborted by a conflicting transaction"),
    DEADLOCK("deadlock");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final Reason reason;

  public TxnRetryException(Reason reason, String detail) {
    super("restart transaction: " + (reason == Reason.UNCERTAINTY ? "ReadWithinUncertaintyIntervalError"
        : "TransactionRetryError: " + reason.text()) + (detail == null ? "" : ": " + detail)
        + " (RETRY_" + reason.name() + ")");
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
