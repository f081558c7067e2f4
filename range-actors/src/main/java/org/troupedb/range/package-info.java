/**
 * Range actors: MVCC key-value ranges as sharded, event-sourced Pekko actors.
 *
 * <ul>
 *   <li>{@link org.troupedb.range.MvccStore} — the MVCC rules (versions, intents, tombstones),
 *       a plain library with one part per concern over the shared {@code MvccEntries} (the keys,
 *       their version chains and counters; in the heap, {@code HeapEntries}, or in the node's
 *       RocksDB, {@code DiskEntries} over {@link org.troupedb.range.RangeDataDb}, chosen by
 *       {@link org.troupedb.range.RangeStorage}): {@code MvccReader} (visibility, conflicts,
 *       uncertainty), {@code MvccLocks} (write checks, intents, shared locks, savepoints,
 *       resolution), {@code MvccVersions} (committed versions, TTL trim) and {@code MvccGc}
 *       (threshold and runs). All of it runs on the owning actor's thread.
 *       {@link org.troupedb.range.TimestampCache} — reads that push writes.
 *   <li>{@link org.troupedb.range.RangeActor} — one range per Cluster Sharding entity
 *       (entity id = range id): its commands, events and replies, and one command handler (Pekko's
 *       builder) that hands each command type to the part that owns it:
 *       {@link org.troupedb.range.RangeReads} (Get, Scan, Refresh),
 *       {@link org.troupedb.range.RangeWrites} (write evaluation, persisted through group commit),
 *       {@link org.troupedb.range.RangeGroupCommit} (writes and transaction ends queued for one
 *       journal write, and the keys they latch),
 *       {@link org.troupedb.range.RangeTxnRecords} (transaction records, intent resolution,
 *       waiters), {@link org.troupedb.range.RangeSplits} (the split protocol, size-triggered
 *       splits), {@link org.troupedb.range.MetaRangeHandler} (the meta range's directory),
 *       {@link org.troupedb.range.RangeGc} (MVCC garbage collection as a persisted threshold) and
 *       {@link org.troupedb.range.RangePassivation} (idle ranges leave memory).
 *       {@link org.troupedb.range.RangeLifecycle} is the phase (recovering, serving, writing,
 *       splitting), one enum whose transitions and whose verdict on each command (handle, stash,
 *       answer a read locally) live in one class; {@link org.troupedb.range.RangeSharedState} is
 *       what other threads (local readers, metrics) see of a range, under one lock, with a table
 *       of which thread touches what. Everything else runs on the actor's thread. What is kept
 *       where, the phases, GC and recovery: {@code docs/storage.md}.
 *   <li>{@link org.troupedb.range.RangeClient} — routes requests by key with a descriptor cache
 *       refreshed from mismatch replies and the meta range (range 1).
 *   <li>{@code org.troupedb.range.journal} — the embedded single-node journal (RocksDB, group
 *       commit across ranges), the default; {@link org.troupedb.range.StorageConfig} — the H2
 *       journal/snapshot configuration ({@code --journal h2}).
 *   <li>{@link org.troupedb.range.CassandraStorageConfig} — the Cassandra one (replication factor,
 *       QUORUM), and {@link org.troupedb.range.CassandraSchema}, which creates its keyspaces and tables.
 * </ul>
 *
 * Key space: {@code [0x00,0x01)} meta range, {@code [0x01,0x10)} other KV-internal keys,
 * SQL keys from {@code 0x10}.
 */
package org.troupedb.range;
