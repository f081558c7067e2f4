/**
 * The embedded single-node journal: Pekko Persistence plugins on one RocksDB store per node.
 *
 * <ul>
 *   <li>{@link org.troupedb.range.journal.EmbeddedStorageConfig} — selects the plugins for a store
 *       directory; refuses a directory holding an H2 journal of an earlier build.
 *   <li>{@link org.troupedb.range.journal.EmbeddedJournal} — the {@code AsyncWriteJournal};
 *       {@code EmbeddedSnapshotStore} — the snapshot store, in the same RocksDB store.
 *   <li>{@code GroupCommitWriter} — one thread writing everything queued by all ranges as one
 *       RocksDB batch (one WAL append, one fdatasync), then acknowledging it all.
 *   <li>{@code JournalDb} — the shared, reference-counted RocksDB handle; {@code JournalKeys} and
 *       {@code ReprCodec} — key layout and value format.
 *   <li>{@link org.troupedb.range.journal.JournalStats} — store writes against persists and events.
 * </ul>
 *
 * Depth: docs/journal.md.
 */
package org.troupedb.range.journal;
