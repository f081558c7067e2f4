package org.troupedb.txn;

/**
 * A wait for another live transaction's lock or intent lasted longer than the transaction's lock
 * timeout ({@link Txn#setLockTimeout}; PostgreSQL's lock_timeout, SQLSTATE 55P03).
 */
public final class LockTimeoutException extends TxnException {
  private final byte[] key;

  public LockTimeoutException(byte[] key) {
    super("canceling statement due to lock timeout");
    this.key = key;
  }

  /** The contended key. */
  public byte[] key() {
    return key;
  }
}
