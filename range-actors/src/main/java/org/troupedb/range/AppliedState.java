package org.troupedb.range;

import org.troupedb.hlc.Timestamp;

/**
 * What a durable disk range writes beside its data, in the same batch as the data of the events it
 * applies ({@link RangeStoreSync}): the journal sequence number of the last of them, the range's
 * small state (a {@link RangeState.Snapshot} with no data: descriptor, transaction records,
 * directory, GC threshold), the garbage hint and the store's running counts.
 */
public record AppliedState(long seqNr, RangeState.Snapshot small, Timestamp garbageHint, long keys,
    long versions, long intents, long bytes) implements KvSerializable {}
