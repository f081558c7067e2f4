package org.troupedb.range;

import java.util.List;
import java.util.UUID;
import org.troupedb.hlc.Timestamp;

/**
 * Multi-version key/value storage of one range: per key a chain of committed versions (newest
 * first; a null value is a tombstone) and at most one write intent. A plain library with no
 * actors, so the MVCC rules can be tested on their own; the range actor evaluates requests with
 * the read methods and applies persisted events with the mutating ones.
 *
 * <p>Visibility for a reader (txn id, read timestamp t): its own intent wins; another
 * transaction's intent at ≤ t is a conflict the caller must resolve first; otherwise the newest
 * committed version ≤ t. Lock-only intents ({@link Intent#lockOnly()}) are invisible to plain
 * readers (they change nothing) and conflict only with writers and locking readers.
 *
 * <p>Shared locks (SELECT … FOR SHARE) are kept beside the key's one intent: any number of
 * transactions may share a key, which keeps others' writes and exclusive locks out (they conflict
 * with every sharer but themselves); readers, locking readers and other sharers pass.
 *
 * <p>Garbage collection ({@link #gc}) removes, below a threshold, every version that a newer one
 * at or below the threshold hides, and tombstones entirely; a key left with nothing is removed, so
 * scans never walk collected garbage. Reads below {@link #gcThreshold()} are the caller's to
 * refuse. The store counts its size in bytes ({@link #sizeBytes()}: keys, versions and intents,
 * live and garbage alike), which is what a range splits by.
 *
 * <p>The store is a facade over one part per concern, all sharing one {@link MvccEntries}:
 *
 * <pre>
 *   MvccStore ─┬─ MvccReader    get, scan, changedBetween: visibility, conflicts, uncertainty
 *              ├─ MvccLocks     checkWrite, intents, locks, shared locks, savepoints, resolution
 *              │     └─▶ MvccVersions   committed versions into a chain; TTL trim of a hot key
 *              │              └─▶ MvccGc    threshold, garbage hint, gc runs
 *              └─ MvccEntries   keys in order, chains, counters, splits and snapshots:
 *                               HeapEntries (TreeMap + HashMap, the default) or DiskEntries (RocksDB)
 * </pre>
 *
 * <p>NB: not thread-safe; owned by one range actor, whose thread alone calls it (and so its
 * parts). Arrays are not copied.
 */
public final class MvccStore {

  /** One committed version; a null value is a deletion tombstone. */
  public record Version(Timestamp ts, byte[] value) implements KvSerializable {}

  /** Everything stored for one key, as serialized in snapshots. Versions newest first. */
  public record KeySnapshot(byte[] key, List<Version> versions, Intent intent, List<Intent> sharers)
      implements KvSerializable {
    public KeySnapshot {
      sharers = sharers == null ? List.of() : sharers;
    }
  }

  /**
   * The outcome of a point read: the value (null if absent) or a conflicting intent, or
   * {@code uncertain}: a committed version in the reader's uncertainty window (see {@link #get}).
   */
  public record GetResult(byte[] value, Intent conflict, Timestamp uncertain) {
    public GetResult(byte[] value, Intent conflict) {
      this(value, conflict, null);
    }
  }

  /**
   * The outcome of a scan: rows in key order, or the conflicting intents met (then rows are
   * partial); {@code resumeKey} is non-null when the byte budget cut the scan short.
   */
  public record ScanResult(List<Kv> rows, List<Intent> conflicts, byte[] resumeKey, Timestamp uncertain) {
    public ScanResult(List<Kv> rows, List<Intent> conflicts, byte[] resumeKey) {
      this(rows, conflicts, resumeKey, null);
    }
  }

  /** Why a write cannot be laid, or null fields when it can. */
  /**
   * @param keyExistsSinceRead with {@code keyExists}: the live version is newer than the writer's
   *     read timestamp, so the key did not exist in the writer's snapshot (a serialization conflict,
   *     not a duplicate key)
   */
  public record WriteCheck(Intent conflict, boolean keyExists, Timestamp minWriteTs, boolean keyExistsSinceRead) {
    static final WriteCheck OK = new WriteCheck(null, false, null, false);

    WriteCheck(Intent conflict, boolean keyExists, Timestamp minWriteTs) {
      this(conflict, keyExists, minWriteTs, false);
    }
  }

  /** How much a store holds: keys, versions (tombstones included) and {@link #sizeBytes()}. */
  public record Size(long keys, long versions, long bytes) {}

  /** What one {@link #gc} run removed. */
  public record GcResult(long versionsRemoved, long keysRemoved, long bytesRemoved) {}

  /** Bytes counted for a version's timestamp (as {@link Timestamp#ENCODED_LENGTH}) besides its value. */
  static final int VERSION_OVERHEAD = Timestamp.ENCODED_LENGTH;

  private final MvccEntries entries;
  private final MvccReader reader;
  private final MvccGc gc;
  private final MvccVersions versions;
  private final MvccLocks locks;

  /** A store that keeps every version. */
  public MvccStore() {
    this(0);
  }

  /**
   * A store that garbage-collects: when a version at t is committed, versions that no read at
   * or after {@code t - gcTtl} can see are dropped (the newest version ≤ t - gcTtl stays).
   * Deterministic (depends only on the committed timestamps), so replay yields the same state.
   * NB: reads below now - gcTtl may then miss versions; callers refuse such timestamps.
   *
   * @param gcTtlNanos 0: keep everything
   */
  public MvccStore(long gcTtlNanos) {
    this(gcTtlNanos, new HeapEntries());
  }

  /** As above, over {@code entries} (the heap, or a range's slice of the node's disk store). */
  MvccStore(long gcTtlNanos, MvccEntries entries) {
    this.entries = entries;
    this.reader = new MvccReader(entries);
    this.gc = new MvccGc(entries);
    this.versions = new MvccVersions(entries, gc, gcTtlNanos);
    this.locks = new MvccLocks(entries, versions);
  }

  // ---------------------------------------------------------------- reads

  public GetResult get(byte[] key, Timestamp readTs, UUID txnId) {
    return get(key, readTs, txnId, false);
  }

  /** A point read; {@code locking}: another transaction's lock-only intent is a conflict too. */
  public GetResult get(byte[] key, Timestamp readTs, UUID txnId, boolean locking) {
    return get(key, readTs, txnId, locking, null);
  }

  /**
   * As above, with an uncertainty window: a committed version in {@code (readTs,
   * uncertaintyLimit]} may have been written before the reader started on a clock that runs
   * behind, so the read cannot tell whether it should see it — the result names the newest such
   * version ({@link GetResult#uncertain()}) and the reader must move above it. Null: no window.
   */
  public GetResult get(byte[] key, Timestamp readTs, UUID txnId, boolean locking, Timestamp uncertaintyLimit) {
    return reader.get(key, readTs, txnId, locking, uncertaintyLimit);
  }

  /** Live rows with start ≤ key < end (null end: unbounded), at most {@code limit} (≤0: all). */
  public ScanResult scan(byte[] start, byte[] end, Timestamp readTs, UUID txnId, int limit) {
    return scan(start, end, readTs, txnId, limit, 0);
  }

  /** As {@link #scan(byte[], byte[], Timestamp, UUID, int)}, stopping after about {@code maxBytes} (≤0: no cap). */
  public ScanResult scan(byte[] start, byte[] end, Timestamp readTs, UUID txnId, int limit, long maxBytes) {
    return scan(start, end, readTs, txnId, limit, maxBytes, false);
  }

  /** As above; {@code locking}: other transactions' lock-only intents are conflicts too. */
  public ScanResult scan(byte[] start, byte[] end, Timestamp readTs, UUID txnId, int limit, long maxBytes,
      boolean locking) {
    return scan(start, end, readTs, txnId, limit, maxBytes, locking, null);
  }

  /** As above, with an uncertainty window as for {@link #get(byte[], Timestamp, UUID, boolean, Timestamp)}. */
  public ScanResult scan(byte[] start, byte[] end, Timestamp readTs, UUID txnId, int limit, long maxBytes,
      boolean locking, Timestamp uncertaintyLimit) {
    return reader.scan(start, end, readTs, txnId, limit, maxBytes, locking, uncertaintyLimit);
  }

  /**
   * Whether a write by transaction {@code txnId} at {@code writeTs} may be laid: another transaction's intent
   * is a conflict; INSERT on a live key (own intent, else newest committed version) is refused;
   * a committed version at ≥ writeTs returns the minimum timestamp the write must move to.
   *
   * @param readTs the writer's read timestamp: an INSERT refused because of a committed version
   *     newer than it is flagged {@link WriteCheck#keyExistsSinceRead()}
   *
   * @param ownValueInBatch for keys already written earlier in the same batch: whether that
   *     earlier write left the key live (null: not written in this batch)
   */
  public WriteCheck checkWrite(WriteOp op, UUID txnId, Timestamp readTs, Timestamp writeTs, Boolean ownValueInBatch) {
    return locks.checkWrite(op, txnId, readTs, writeTs, ownValueInBatch);
  }

  /**
   * Whether anything another transaction could have changed in {@code [start,end)} became
   * visible in {@code (from, to]}: a committed version in that window, or another transaction's
   * intent at ≤ to. Used to refresh a transaction's reads to a higher timestamp.
   */
  public boolean changedBetween(byte[] start, byte[] end, Timestamp from, Timestamp to, UUID txnId) {
    return reader.changedBetween(start, end, from, to, txnId);
  }

  /** The intent at {@code key}, or null. */
  public Intent intentAt(byte[] key) {
    return locks.intentAt(key);
  }

  /** Whether {@code txnId} holds an intent or a shared lock at {@code key}. */
  public boolean holds(byte[] key, UUID txnId) {
    return locks.holds(key, txnId);
  }

  /** The key in the middle of the store (a split point), or null when empty. O(n). */
  public byte[] medianKey() {
    return entries.medianKey();
  }

  public int keyCount() {
    return entries.keyCount();
  }

  public int intentCount() {
    return entries.intentCount();
  }

  // ---------------------------------------------------------------- mutations (event application)

  /**
   * Lays (or replaces its own) intent. An own earlier intent written before the transaction's
   * innermost savepoint ({@link TxnMeta#savepointSeq()}) goes into the new intent's history, so
   * that {@link #rollbackIntent} can restore it. NB: the caller checked {@link #checkWrite} first.
   */
  public void putIntent(byte[] key, TxnMeta txn, byte[] value) {
    locks.putIntent(key, txn, value);
  }

  /** Takes a lock-only intent for {@code txn}, unless it already holds an intent there (which is a stronger lock). */
  public void putLock(byte[] key, TxnMeta txn) {
    locks.putLock(key, txn);
  }

  /**
   * Takes a shared lock for {@code txn}, unless it already holds one or an intent (a stronger
   * lock) there. NB: the caller checked {@link #checkWrite} (no other transaction's intent).
   */
  public void putSharedLock(byte[] key, TxnMeta txn) {
    locks.putSharedLock(key, txn);
  }

  /**
   * ROLLBACK TO SAVEPOINT for one key: undoes {@code txnId}'s writes and locks at {@code key}
   * with sequence number ≥ {@code fromSeq}, restoring its newest earlier intent there or, if it
   * had none, dropping the intent (a lock taken after the savepoint is released, as PostgreSQL
   * releases the row locks of a rolled-back subtransaction).
   *
   * @return whether the intent changed
   */
  public boolean rollbackIntent(byte[] key, UUID txnId, int fromSeq) {
    return locks.rollbackIntent(key, txnId, fromSeq);
  }

  /** Writes a committed version directly (one-phase commit); a null value is a tombstone. */
  public void putCommitted(byte[] key, Timestamp ts, byte[] value) {
    versions.putCommitted(key, ts, value);
  }

  /**
   * Resolves {@code txnId}'s intent at {@code key}: commit turns it into a version at
   * {@code commitTs}; abort drops it. A missing intent (already resolved) is a no-op.
   *
   * @return whether an intent was resolved
   */
  public boolean resolveIntent(byte[] key, UUID txnId, boolean commit, Timestamp commitTs) {
    return locks.resolveIntent(key, txnId, commit, commitTs);
  }

  // ---------------------------------------------------------------- garbage collection

  /** Reads at timestamps below this may miss collected versions; {@link Timestamp#ZERO} before any GC. */
  public Timestamp gcThreshold() {
    return gc.gcThreshold();
  }

  /** Whether {@link #gc} at {@code threshold} may remove anything (cheap: a hint kept on writes). */
  public boolean hasGarbageAt(Timestamp threshold) {
    return gc.hasGarbageAt(threshold);
  }

  /**
   * MVCC garbage collection at {@code threshold} (as CockroachDB's GC queue): for every key, the
   * newest version at or below the threshold is the one reads at the threshold see; every older
   * version is removed, and that version too if it is a tombstone. A key left with no version, no
   * intent and no shared lock is removed. Intents are never touched. Raises {@link #gcThreshold()}
   * (never lowers it). Deterministic: the same store and threshold give the same result, so a
   * journal that records the threshold replays to the same state. O(keys).
   */
  public GcResult gc(Timestamp threshold) {
    return gc.gc(threshold);
  }

  /** Restores the threshold of a snapshot (import does not lower it). */
  void restoreGcThreshold(Timestamp threshold) {
    gc.restoreGcThreshold(threshold);
  }

  /** The lowest threshold at which {@link #gc} may remove anything (null: nothing), a hint kept on writes. */
  Timestamp garbageHint() {
    return gc.oldestGarbage();
  }

  /** Restores a hint of {@link #garbageHint()} (a durable range's applied state). */
  void restoreGarbageHint(Timestamp oldest) {
    if (oldest != null) {
      gc.noteGarbage(oldest);
    }
  }

  /** Where the keys live (a durable range's store is committed through it: {@link RangeStoreSync}). */
  MvccEntries entries() {
    return entries;
  }

  /** Keys, versions and intents in bytes: what a range's size (for splits) counts, live and garbage alike. */
  public long sizeBytes() {
    return entries.bytes();
  }

  public Size size() {
    return new Size(entries.keyCount(), entries.versionCount(), entries.bytes());
  }

  /** Committed versions held, tombstones included. */
  public long versionCount() {
    return entries.versionCount();
  }

  // ---------------------------------------------------------------- splits and snapshots

  /** Removes and returns every key ≥ {@code splitKey} (the right half of a split). */
  public List<KeySnapshot> splitOff(byte[] splitKey) {
    return entries.splitOff(splitKey);
  }

  /** Every key at or after {@code from} (null: all), as snapshot entries; the store is unchanged. */
  public List<KeySnapshot> exportFrom(byte[] from) {
    return entries.exportFrom(from);
  }

  /**
   * Keys at or after {@code from} in order, as snapshot entries, until their bytes (as
   * {@link #sizeBytes()} counts them) reach {@code maxBytes}, and at least one; the store is
   * unchanged. A bounded export: a split streams its right half with it ({@link SplitChunks}).
   */
  public List<KeySnapshot> exportFrom(byte[] from, long maxBytes) {
    List<KeySnapshot> out = new java.util.ArrayList<>();
    long bytes = 0;
    try (MvccEntries.Cursor c = entries.span(from, null)) {
      for (java.util.Map.Entry<byte[], MvccEntries.Entry> me : c) {
        KeySnapshot ks = MvccEntries.toSnapshot(me.getKey(), me.getValue());
        out.add(ks);
        bytes += MvccEntries.snapshotBytes(ks);
        if (bytes >= maxBytes) {
          break;
        }
      }
    }
    return out;
  }

  public void importAll(List<KeySnapshot> snapshot) {
    for (KeySnapshot ks : snapshot) {
      gc.noteChain(entries.importKey(ks).head);
    }
  }
}
