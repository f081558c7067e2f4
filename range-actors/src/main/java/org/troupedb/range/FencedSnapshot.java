package org.troupedb.range;

/**
 * A range's snapshot with the fence it was taken under ({@link IncarnationFence}): a replay from it
 * starts with that fence in force. Snapshots written before fencing are bare
 * {@link RangeState.Snapshot}s (fence (0, 0)).
 */
public record FencedSnapshot(long epoch, long incarnation, RangeState.Snapshot state) implements KvSerializable {}
