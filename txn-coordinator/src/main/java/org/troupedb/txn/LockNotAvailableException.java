package org.troupedb.txn;

/**
 * A locking read with NOWAIT met a row another live transaction holds (SQLSTATE 55P03).
 * {@link #key()} is the contended key, so the SQL layer can name the relation.
 */
public final class LockNotAvailableException extends TxnException {
  private final byte[] key;

  public LockNotAvailableException(byte[] key) {
    super("could not obtain lock on row");
    this.key = key;
  }

  public byte[] key() {
    return key;
  }
}
