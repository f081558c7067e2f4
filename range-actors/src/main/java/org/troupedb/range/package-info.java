/**
 * Range actors: MVCC key-value ranges as sharded, event-sourced Pekko actors.
 *
 * <ul>
 *   <li>{@link org.troupedb.range.MvccStore} — the MVCC rules (versions, intents, tombstones),
 *       a plain library with one part per concern over the shared {@code MvccEntries} (the keys,
 *       their version chains and counters): {@code MvccReader} (visibility, conflicts,
 *       uncertainty), {@code MvccLocks} (write checks, intents, shared locks, savepoints,
 *       resolution), {@code MvccVersions} (committed versions, TTL trim) and {@code MvccGc}
 *       (threshold and runs). All of it runs on the owning actor's thread.
 *       {@link org.troupedb.range.TimestampCache} — reads that push writes.
 *   <li>{@link org.troupedb.range.RangeActor} — one range per Cluster Sharding entity
 *       (entity id = range id): its commands, events and replies, reads and write evaluation; it
 *       sequences and persists, and hands the rest to one part per concern:
 *       {@link org.troupedb.range.RangeGroupCommit} (writes queued for one journal write),
 *       {@link org.troupedb.range.RangeTxnRecords} (transaction records, intent resolution,
 *       waiters), {@link org.troupedb.range.RangeSplits} (the split protocol),
 *       {@link org.troupedb.range.MetaRangeHandler} (the meta range's directory),
 *       {@link org.troupedb.range.RangeGc} (MVCC garbage collection as a persisted threshold),
 *       {@link org.troupedb.range.RangePassivation} (idle ranges leave memory) and
 *       {@link org.troupedb.range.RangeLifecycle} (the phase: recovering, serving, writing,
 *       splitting). What is kept where, GC and recovery: {@code docs/storage.md}.
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
