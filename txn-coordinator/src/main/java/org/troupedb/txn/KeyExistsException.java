package org.troupedb.txn;

/** An {@link Mutation.Insert} found a live value at its key. The SQL layer maps it to 23505. */
public final class KeyExistsException extends TxnException {
  private final byte[] key;

  public KeyExistsException(byte[] key) {
    super("key exists");
    this.key = key;
  }

  public byte[] key() {
    return key;
  }
}
