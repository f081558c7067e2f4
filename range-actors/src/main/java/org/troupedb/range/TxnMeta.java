package org.troupedb.range;

import java.util.UUID;
import org.troupedb.hlc.Timestamp;

/**
 * What a range needs to know about a transaction writing or reading it. {@code anchorKey}
 * locates the transaction record (on the range holding it); {@code priority} and {@code epoch}
 * are carried for conflict handling (push decisions, restarts).
 *
 * <p>Savepoints (CockroachDB's TxnMeta.Sequence): {@code seq} numbers the transaction's write
 * batches (increasing); {@code savepointSeq} is the sequence number of the transaction's
 * innermost active savepoint when this batch was sent (0: none). A range keeps an own earlier
 * intent in the new intent's history only when it was written before that savepoint — later
 * ones can never be restored, since every ROLLBACK TO drops them together with the new write.
 */
public record TxnMeta(UUID id, byte[] anchorKey, Timestamp readTs, Timestamp writeTs, int priority, int epoch,
    int seq, int savepointSeq) implements KvSerializable {

  public TxnMeta(UUID id, byte[] anchorKey, Timestamp readTs, Timestamp writeTs, int priority, int epoch) {
    this(id, anchorKey, readTs, writeTs, priority, epoch, 0, 0);
  }

  public TxnMeta withWriteTs(Timestamp ts) {
    return ts.equals(writeTs) ? this : new TxnMeta(id, anchorKey, readTs, ts, priority, epoch, seq, savepointSeq);
  }

  TxnMeta withSeq(int s) {
    return s == seq ? this : new TxnMeta(id, anchorKey, readTs, writeTs, priority, epoch, s, savepointSeq);
  }
}
