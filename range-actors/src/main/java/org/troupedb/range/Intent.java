package org.troupedb.range;

/**
 * A provisional write of {@code txn} at {@code txn.writeTs()}; a null value is a provisional
 * delete. A {@code lockOnly} intent is an exclusive row lock (SELECT … FOR UPDATE): it changes no
 * value, blocks other writers and locking readers, is invisible to plain readers, and leaves no
 * version when it commits.
 */
public record Intent(byte[] key, TxnMeta txn, byte[] value, boolean lockOnly) implements KvSerializable {

  public Intent(byte[] key, TxnMeta txn, byte[] value) {
    this(key, txn, value, false);
  }
}
