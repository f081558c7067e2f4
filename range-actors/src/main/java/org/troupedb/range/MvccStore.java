package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
 * <p>NB: not thread-safe; owned by one range actor. Arrays are not copied.
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

  private static final class Entry {
    Node head; // newest committed version
    Intent intent;
    List<Intent> sharers; // shared locks (lock-only intents), null when none

    /** Another transaction's shared lock, or null. */
    Intent otherSharer(UUID txnId) {
      if (sharers != null) {
        for (Intent in : sharers) {
          if (!in.txn().id().equals(txnId)) {
            return in;
          }
        }
      }
      return null;
    }

    int sharerIndex(UUID txnId) {
      if (sharers != null) {
        for (int i = 0; i < sharers.size(); i++) {
          if (sharers.get(i).txn().id().equals(txnId)) {
            return i;
          }
        }
      }
      return -1;
    }
  }

  private static final class Node {
    final Timestamp ts;
    final byte[] value;
    Node next;

    Node(Timestamp ts, byte[] value, Node next) {
      this.ts = ts;
      this.value = value;
      this.next = next;
    }
  }

  /** Every key in order (scans, splits, snapshots). */
  private final TreeMap<byte[], Entry> data = new TreeMap<>(Keys.COMPARATOR);
  /** The same entries by key, for point reads and writes; kept in step with {@link #data}. */
  private final HashMap<HashedKey, Entry> byKey = new HashMap<>();
  private int intentCount;
  private final long gcTtlNanos;
  /** Keys, versions (with {@link #VERSION_OVERHEAD}) and intents, in bytes. */
  private long bytes;
  private long versionCount;
  /** Reads below this may miss collected versions; only {@link #gc} raises it. */
  private Timestamp gcThreshold = Timestamp.ZERO;
  /**
   * No garbage becomes collectible below this (a hint, kept conservatively low on writes and
   * recomputed exactly by {@link #gc} and {@link #importAll}): a version hidden by a newer one at
   * t, or a tombstone at t, is collectible at thresholds ≥ t. Null: no garbage.
   */
  private Timestamp oldestGarbage;

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
    this.gcTtlNanos = gcTtlNanos;
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
    Entry e = entry(key);
    Timestamp uncertain = e == null ? null : uncertain(e.head, readTs, uncertaintyLimit);
    if (uncertain != null && (e.intent == null || !e.intent.txn().id().equals(txnId))) {
      return new GetResult(null, null, uncertain);
    }
    if (e == null) {
      return new GetResult(null, null);
    }
    Intent in = e.intent;
    if (in != null) {
      if (in.txn().id().equals(txnId)) {
        return new GetResult(in.lockOnly() ? visible(e.head, readTs) : in.value(), null);
      }
      if (conflicts(in, readTs, locking, uncertaintyLimit)) {
        return new GetResult(null, in);
      }
    }
    return new GetResult(visible(e.head, readTs), null);
  }

  /**
   * Whether another transaction's intent stops a read at {@code readTs}: it is at or below the
   * read, or inside the reader's uncertainty window (≤ {@code uncertaintyLimit}, null: none) —
   * once committed there it would be an uncertain value, so the reader must learn its outcome
   * first, as for an intent below it (CockroachDB does the same).
   */
  private static boolean conflicts(Intent in, Timestamp readTs, boolean locking, Timestamp uncertaintyLimit) {
    if (in.lockOnly()) {
      return locking;
    }
    Timestamp upTo = uncertaintyLimit == null ? readTs : Timestamp.max(readTs, uncertaintyLimit);
    return in.txn().writeTs().compareTo(upTo) <= 0;
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
    Timestamp uncertain = null;
    List<Kv> rows = new ArrayList<>();
    long bytes = 0;
    byte[] resume = null;
    List<Intent> conflicts = null;
    for (Map.Entry<byte[], Entry> me : span(start, end).entrySet()) {
      Entry e = me.getValue();
      byte[] value;
      Intent in = e.intent;
      Timestamp u = uncertaintyLimit == null ? null : uncertain(e.head, readTs, uncertaintyLimit);
      if (u != null && (in == null || !in.txn().id().equals(txnId))) {
        uncertain = uncertain == null ? u : Timestamp.max(uncertain, u);
        continue;
      }
      if (in != null && in.txn().id().equals(txnId)) {
        value = in.lockOnly() ? visible(e.head, readTs) : in.value();
      } else if (in != null && conflicts(in, readTs, locking, uncertaintyLimit)) {
        if (conflicts == null) {
          conflicts = new ArrayList<>();
        }
        conflicts.add(in);
        continue;
      } else {
        value = visible(e.head, readTs);
      }
      if (value != null) {
        rows.add(new Kv(me.getKey(), value));
        if (limit > 0 && rows.size() >= limit) {
          break;
        }
        bytes += me.getKey().length + value.length;
        if (maxBytes > 0 && bytes >= maxBytes) {
          resume = Keys.next(me.getKey());
          break;
        }
      }
    }
    return new ScanResult(rows, conflicts == null ? List.of() : conflicts, resume, uncertain);
  }

  /** The newest committed version in {@code (readTs, limit]}, or null. */
  private static Timestamp uncertain(Node head, Timestamp readTs, Timestamp limit) {
    if (limit == null || limit.compareTo(readTs) <= 0) {
      return null;
    }
    for (Node n = head; n != null && n.ts.compareTo(readTs) > 0; n = n.next) {
      if (n.ts.compareTo(limit) <= 0) {
        return n.ts;
      }
    }
    return null;
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
    Entry e = entry(op.key());
    if (e == null) {
      return op.kind() == WriteOp.Kind.INSERT && Boolean.TRUE.equals(ownValueInBatch)
          ? new WriteCheck(null, true, null) : WriteCheck.OK;
    }
    Intent in = e.intent;
    if (in != null && !in.txn().id().equals(txnId)) {
      return new WriteCheck(in, false, null);
    }
    Intent sharer = op.kind() == WriteOp.Kind.SHARED_LOCK ? null : e.otherSharer(txnId);
    if (sharer != null) {
      return new WriteCheck(sharer, false, null);
    }
    if (op.kind() == WriteOp.Kind.INSERT) {
      boolean live;
      if (in != null && in.lockOnly() && ownValueInBatch == null) {
        in = null; // a lock of our own: the committed value decides
      }
      if (ownValueInBatch != null) {
        live = ownValueInBatch;
      } else if (in != null) {
        live = in.value() != null;
      } else {
        live = e.head != null && e.head.value != null;
      }
      if (live) {
        boolean sinceRead = ownValueInBatch == null && in == null && e.head.ts.compareTo(readTs) > 0
            && visible(e.head, readTs) == null;
        return new WriteCheck(null, true, null, sinceRead);
      }
    }
    if (e.head != null && e.head.ts.compareTo(writeTs) >= 0) {
      return new WriteCheck(null, false, e.head.ts.next());
    }
    return WriteCheck.OK;
  }

  /**
   * Whether anything another transaction could have changed in {@code [start,end)} became
   * visible in {@code (from, to]}: a committed version in that window, or another transaction's
   * intent at ≤ to. Used to refresh a transaction's reads to a higher timestamp.
   */
  public boolean changedBetween(byte[] start, byte[] end, Timestamp from, Timestamp to, UUID txnId) {
    for (Entry e : span(start, end).values()) {
      if (e.intent != null && !e.intent.lockOnly() && !e.intent.txn().id().equals(txnId)
          && e.intent.txn().writeTs().compareTo(to) <= 0) {
        return true;
      }
      for (Node n = e.head; n != null && n.ts.compareTo(from) > 0; n = n.next) {
        if (n.ts.compareTo(to) <= 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** The intent at {@code key}, or null. */
  public Intent intentAt(byte[] key) {
    Entry e = entry(key);
    return e == null ? null : e.intent;
  }

  /** Whether {@code txnId} holds an intent or a shared lock at {@code key}. */
  public boolean holds(byte[] key, UUID txnId) {
    Entry e = entry(key);
    return e != null && (e.intent != null && e.intent.txn().id().equals(txnId) || e.sharerIndex(txnId) >= 0);
  }

  /** The key in the middle of the store (a split point), or null when empty. O(n). */
  public byte[] medianKey() {
    int half = data.size() / 2;
    int i = 0;
    for (byte[] k : data.keySet()) {
      if (i++ == half) {
        return k;
      }
    }
    return null;
  }

  public int keyCount() {
    return data.size();
  }

  public int intentCount() {
    return intentCount;
  }

  // ---------------------------------------------------------------- mutations (event application)

  /**
   * Lays (or replaces its own) intent. An own earlier intent written before the transaction's
   * innermost savepoint ({@link TxnMeta#savepointSeq()}) goes into the new intent's history, so
   * that {@link #rollbackIntent} can restore it. NB: the caller checked {@link #checkWrite} first.
   */
  public void putIntent(byte[] key, TxnMeta txn, byte[] value) {
    Entry e = entryForWrite(key);
    Intent old = e.intent;
    List<Intent.Prior> history = List.of();
    if (old != null && old.txn().id().equals(txn.id())) {
      history = old.history();
      if (old.txn().seq() < txn.savepointSeq()) {
        List<Intent.Prior> longer = new ArrayList<>(history.size() + 1);
        longer.addAll(history);
        longer.add(new Intent.Prior(old.txn().seq(), old.value(), old.lockOnly()));
        history = List.copyOf(longer);
      }
    }
    setIntent(e, new Intent(key, txn, value, false, history));
  }

  /** Takes a lock-only intent for {@code txn}, unless it already holds an intent there (which is a stronger lock). */
  public void putLock(byte[] key, TxnMeta txn) {
    Entry e = entryForWrite(key);
    if (e.intent != null && e.intent.txn().id().equals(txn.id())) {
      return;
    }
    setIntent(e, new Intent(key, txn, null, true));
  }

  /**
   * Takes a shared lock for {@code txn}, unless it already holds one or an intent (a stronger
   * lock) there. NB: the caller checked {@link #checkWrite} (no other transaction's intent).
   */
  public void putSharedLock(byte[] key, TxnMeta txn) {
    Entry e = entryForWrite(key);
    if (e.intent != null && e.intent.txn().id().equals(txn.id()) || e.sharerIndex(txn.id()) >= 0) {
      return;
    }
    if (e.sharers == null) {
      e.sharers = new ArrayList<>(2);
    }
    e.sharers.add(new Intent(key, txn, null, true));
    intentCount++;
    bytes += VERSION_OVERHEAD;
  }

  /** Drops {@code txnId}'s shared lock at {@code key} if it was taken at sequence number ≥ {@code fromSeq}. */
  private boolean dropSharer(byte[] key, Entry e, UUID txnId, int fromSeq) {
    int i = e.sharerIndex(txnId);
    if (i < 0 || e.sharers.get(i).txn().seq() < fromSeq) {
      return false;
    }
    e.sharers.remove(i);
    intentCount--;
    bytes -= VERSION_OVERHEAD;
    if (e.sharers.isEmpty()) {
      e.sharers = null;
      if (e.intent == null && e.head == null) {
        removeEntry(key);
      }
    }
    return true;
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
    Entry e = entry(key);
    if (e == null) {
      return false;
    }
    if (e.intent == null || !e.intent.txn().id().equals(txnId) || e.intent.txn().seq() < fromSeq) {
      return dropSharer(key, e, txnId, fromSeq);
    }
    dropSharer(key, e, txnId, fromSeq);
    Intent in = e.intent;
    List<Intent.Prior> h = in.history();
    int i = h.size() - 1;
    while (i >= 0 && h.get(i).seq() >= fromSeq) {
      i--;
    }
    if (i < 0) {
      dropIntent(key, e);
      return true;
    }
    Intent.Prior p = h.get(i);
    setIntent(e, new Intent(key, in.txn().withSeq(p.seq()), p.value(), p.lockOnly(), List.copyOf(h.subList(0, i))));
    return true;
  }

  private void dropIntent(byte[] key, Entry e) {
    setIntent(e, null);
    if (e.head == null && e.sharers == null) {
      removeEntry(key);
    }
  }

  /** Writes a committed version directly (one-phase commit); a null value is a tombstone. */
  public void putCommitted(byte[] key, Timestamp ts, byte[] value) {
    Entry e = entryForWrite(key);
    if (value == null || e.head != null) {
      noteGarbage(ts); // a tombstone, or a version that hides (or sits beside) older ones
    }
    if (e.head == null || e.head.ts.compareTo(ts) < 0) {
      e.head = new Node(ts, value, e.head);
      added(e.head);
      trimBehind(e.head);
      return;
    }
    if (e.head.ts.equals(ts)) {
      removed(e.head);
      e.head = new Node(ts, value, e.head.next); // replay of the same version
      added(e.head);
      return;
    }
    Node prev = e.head; // prev.ts > ts
    while (prev.next != null && prev.next.ts.compareTo(ts) > 0) {
      prev = prev.next;
    }
    noteGarbage(prev.ts);
    if (prev.next != null && prev.next.ts.equals(ts)) {
      removed(prev.next);
      prev.next = new Node(ts, value, prev.next.next);
    } else {
      prev.next = new Node(ts, value, prev.next);
    }
    added(prev.next);
  }

  /**
   * Resolves {@code txnId}'s intent at {@code key}: commit turns it into a version at
   * {@code commitTs}; abort drops it. A missing intent (already resolved) is a no-op.
   *
   * @return whether an intent was resolved
   */
  public boolean resolveIntent(byte[] key, UUID txnId, boolean commit, Timestamp commitTs) {
    Entry e = entry(key);
    if (e == null) {
      return false;
    }
    boolean shared = dropSharer(key, e, txnId, Integer.MIN_VALUE);
    if (e.intent == null || !e.intent.txn().id().equals(txnId)) {
      return shared;
    }
    Intent in = e.intent;
    if (commit && !in.lockOnly()) {
      setIntent(e, null);
      putCommitted(key, commitTs, in.value());
    } else {
      dropIntent(key, e);
    }
    return true;
  }

  /**
   * Drops the versions below the newest one at or below {@code head.ts - gcTtl} (a hot key's chain
   * stays bounded between {@link #gc} runs). Deterministic: it depends only on the versions.
   */
  private void trimBehind(Node head) {
    if (gcTtlNanos <= 0 || head.next == null || head.ts.wallTime() <= gcTtlNanos) {
      return;
    }
    Timestamp threshold = new Timestamp(head.ts.wallTime() - gcTtlNanos, head.ts.logical());
    for (Node n = head; n != null; n = n.next) {
      if (n.ts.compareTo(threshold) <= 0) {
        for (Node d = n.next; d != null; d = d.next) {
          removed(d);
        }
        n.next = null;
        return;
      }
    }
  }

  // ---------------------------------------------------------------- garbage collection

  /** Reads at timestamps below this may miss collected versions; {@link Timestamp#ZERO} before any GC. */
  public Timestamp gcThreshold() {
    return gcThreshold;
  }

  /** Whether {@link #gc} at {@code threshold} may remove anything (cheap: a hint kept on writes). */
  public boolean hasGarbageAt(Timestamp threshold) {
    return oldestGarbage != null && oldestGarbage.compareTo(threshold) <= 0;
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
    if (threshold.compareTo(gcThreshold) > 0) {
      gcThreshold = threshold;
    }
    long versionsBefore = versionCount;
    long bytesBefore = bytes;
    long keys = 0;
    Timestamp oldest = null;
    for (var it = data.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<byte[], Entry> me = it.next();
      Entry e = me.getValue();
      byte[] entryKey = me.getKey();
      Node prev = null;
      Node n = e.head;
      while (n != null && n.ts.compareTo(threshold) > 0) {
        prev = n;
        n = n.next;
      }
      if (n != null) {
        for (Node d = n.next; d != null; d = d.next) {
          removed(d);
        }
        n.next = null;
        if (n.value == null) {
          removed(n);
          if (prev == null) {
            e.head = null;
          } else {
            prev.next = null;
          }
        }
      }
      if (e.head == null && e.intent == null && e.sharers == null) {
        byte[] key = entryKey; // NB: TreeMap's remove() may move the next key into this entry
        it.remove();
        byKey.remove(new HashedKey(key));
        bytes -= key.length;
        keys++;
      } else {
        oldest = min(oldest, oldestGarbage(e.head));
      }
    }
    oldestGarbage = oldest;
    return new GcResult(versionsBefore - versionCount, keys, bytesBefore - bytes);
  }

  /** The lowest threshold at which {@link #gc} would remove something from this chain, or null. */
  private static Timestamp oldestGarbage(Node head) {
    Timestamp oldest = null;
    for (Node n = head; n != null; n = n.next) {
      if (n.value == null || n.next != null) {
        oldest = n.ts; // the chain is newest first: the last such node is the oldest
      }
    }
    return oldest;
  }

  private static Timestamp min(Timestamp a, Timestamp b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  private void noteGarbage(Timestamp ts) {
    oldestGarbage = min(oldestGarbage, ts);
  }

  /** Restores the threshold of a snapshot (import does not lower it). */
  void restoreGcThreshold(Timestamp threshold) {
    if (threshold != null && threshold.compareTo(gcThreshold) > 0) {
      gcThreshold = threshold;
    }
  }

  /** Keys, versions and intents in bytes: what a range's size (for splits) counts, live and garbage alike. */
  public long sizeBytes() {
    return bytes;
  }

  public Size size() {
    return new Size(data.size(), versionCount, bytes);
  }

  /** Committed versions held, tombstones included. */
  public long versionCount() {
    return versionCount;
  }

  private void added(Node n) {
    versionCount++;
    bytes += VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  private void removed(Node n) {
    versionCount--;
    bytes -= VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  private static long intentBytes(Intent in) {
    return in == null ? 0 : VERSION_OVERHEAD + (in.value() == null ? 0 : in.value().length);
  }

  /** Replaces the key's intent (null: none), keeping the intent count and the byte size. */
  private void setIntent(Entry e, Intent in) {
    intentCount += (in != null ? 1 : 0) - (e.intent != null ? 1 : 0);
    bytes += intentBytes(in) - intentBytes(e.intent);
    e.intent = in;
  }

  // ---------------------------------------------------------------- splits and snapshots

  /** Removes and returns every key ≥ {@code splitKey} (the right half of a split). */
  public List<KeySnapshot> splitOff(byte[] splitKey) {
    NavigableMap<byte[], Entry> tail = data.tailMap(splitKey, true);
    List<KeySnapshot> out = export(tail);
    for (KeySnapshot ks : out) {
      intentCount -= (ks.intent() != null ? 1 : 0) + ks.sharers().size();
      versionCount -= ks.versions().size();
      bytes -= snapshotBytes(ks);
    }
    for (byte[] k : tail.keySet()) {
      byKey.remove(new HashedKey(k));
    }
    tail.clear();
    return out;
  }

  /** Every key at or after {@code from} (null: all), as snapshot entries; the store is unchanged. */
  public List<KeySnapshot> exportFrom(byte[] from) {
    return export(from == null ? data : data.tailMap(from, true));
  }

  public void importAll(List<KeySnapshot> entries) {
    for (KeySnapshot ks : entries) {
      Entry e = new Entry();
      List<Version> vs = ks.versions();
      for (int i = vs.size() - 1; i >= 0; i--) {
        e.head = new Node(vs.get(i).ts(), vs.get(i).value(), e.head);
      }
      e.intent = ks.intent();
      if (e.intent != null) {
        intentCount++;
      }
      if (!ks.sharers().isEmpty()) {
        e.sharers = new ArrayList<>(ks.sharers());
        intentCount += e.sharers.size();
      }
      data.put(ks.key(), e);
      byKey.put(new HashedKey(ks.key()), e);
      versionCount += vs.size();
      bytes += snapshotBytes(ks);
      oldestGarbage = min(oldestGarbage, oldestGarbage(e.head));
    }
  }

  /** The bytes {@code ks} counts for in {@link #sizeBytes()}. */
  private static long snapshotBytes(KeySnapshot ks) {
    long n = ks.key().length + intentBytes(ks.intent()) + (long) ks.sharers().size() * VERSION_OVERHEAD;
    for (Version v : ks.versions()) {
      n += VERSION_OVERHEAD + (v.value() == null ? 0 : v.value().length);
    }
    return n;
  }

  private static List<KeySnapshot> export(Map<byte[], Entry> map) {
    List<KeySnapshot> out = new ArrayList<>(map.size());
    for (Map.Entry<byte[], Entry> me : map.entrySet()) {
      List<Version> vs = new ArrayList<>(2);
      for (Node n = me.getValue().head; n != null; n = n.next) {
        vs.add(new Version(n.ts, n.value));
      }
      Entry e = me.getValue();
      out.add(new KeySnapshot(me.getKey(), vs, e.intent, e.sharers == null ? List.of() : List.copyOf(e.sharers)));
    }
    return out;
  }

  private Entry entry(byte[] key) {
    return byKey.get(new HashedKey(key));
  }

  private Entry entryForWrite(byte[] key) {
    HashedKey k = new HashedKey(key);
    Entry e = byKey.get(k);
    if (e == null) {
      e = new Entry();
      byKey.put(k, e);
      data.put(key, e);
      bytes += key.length;
    }
    return e;
  }

  private void removeEntry(byte[] key) {
    data.remove(key);
    byKey.remove(new HashedKey(key));
    bytes -= key.length;
  }

  private NavigableMap<byte[], Entry> span(byte[] start, byte[] end) {
    return end == null ? data.tailMap(start, true) : data.subMap(start, true, end, false);
  }

  private static byte[] visible(Node head, Timestamp readTs) {
    for (Node n = head; n != null; n = n.next) {
      if (n.ts.compareTo(readTs) <= 0) {
        return n.value;
      }
    }
    return null;
  }
}
