package org.troupedb.range;

import java.util.UUID;
import org.troupedb.hlc.Timestamp;

/**
 * What a range needs to know about a transaction writing or reading it. {@code anchorKey}
 * locates the transaction record (on the range holding it); {@code priority} and {@code epoch}
 * are carried for conflict handling (push decisions, restarts) even where not used yet.
 */
public record TxnMeta(UUID id, byte[] anchorKey, Timestamp readTs, Timestamp writeTs, int priority, int epoch)
    implements KvSerializable {

  public TxnMeta withWriteTs(Timestamp ts) {
    return ts.equals(writeTs) ? this : new TxnMeta(id, anchorKey, readTs, ts, priority, epoch);
  }
}
