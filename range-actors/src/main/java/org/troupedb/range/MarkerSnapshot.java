package org.troupedb.range;

/**
 * The snapshot of a range whose data lives in a durable disk store ({@link RangeStoreSync}): only
 * the journal sequence number the store had durably applied when it was taken, and the fence in
 * force ({@link IncarnationFence}). Recovery reads the range from the store and replays the
 * journal after the store's own applied number, which is at least {@code appliedSeqNr}.
 */
public record MarkerSnapshot(long epoch, long incarnation, long appliedSeqNr) implements KvSerializable {}
