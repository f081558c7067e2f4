package org.troupedb.range;

import org.troupedb.hlc.Timestamp;

/**
 * A transaction record, kept by the range holding the transaction's anchor key. It decides the
 * outcome of every intent of the transaction: COMMITTED at {@code commitTs} means every intent
 * commits, ABORTED means every intent is discarded.
 *
 * @param startWall wall time (nanos) the record was created; with the in-memory heartbeat it
 *     decides when an abandoned PENDING record may be aborted
 */
public record TxnRecord(TxnMeta meta, TxnStatus status, Timestamp commitTs, long startWall)
    implements KvSerializable {}
