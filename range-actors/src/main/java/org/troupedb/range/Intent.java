package org.troupedb.range;

import java.util.List;

/**
 * A provisional write of {@code txn} at {@code txn.writeTs()}; a null value is a provisional
 * delete. A {@code lockOnly} intent is an exclusive row lock (SELECT … FOR UPDATE): it changes no
 * value, blocks other writers and locking readers, is invisible to plain readers, and leaves no
 * version when it commits.
 *
 * <p>Savepoints: {@code txn.seq()} is the sequence number of the write that laid this intent;
 * {@code history} holds the transaction's earlier intents on the key (oldest first) that a
 * ROLLBACK TO SAVEPOINT may have to restore — only those written before the transaction's
 * innermost savepoint of the time are kept (see {@link MvccStore#putIntent}).
 */
public record Intent(byte[] key, TxnMeta txn, byte[] value, boolean lockOnly, List<Prior> history)
    implements KvSerializable {

  /** An earlier intent of the same transaction on the same key, at sequence number {@code seq}. */
  public record Prior(int seq, byte[] value, boolean lockOnly) implements KvSerializable {}

  public Intent {
    history = history == null ? List.of() : history;
  }

  public Intent(byte[] key, TxnMeta txn, byte[] value, boolean lockOnly) {
    this(key, txn, value, lockOnly, List.of());
  }

  public Intent(byte[] key, TxnMeta txn, byte[] value) {
    this(key, txn, value, false, List.of());
  }
}
