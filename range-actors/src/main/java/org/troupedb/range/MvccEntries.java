package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccStore.KeySnapshot;
import org.troupedb.range.MvccStore.Version;

/**
 * The keys of one {@link MvccStore} and what each holds — a chain of committed versions (newest
 * first), at most one intent, and shared locks — indexed twice, in key order and by hash, with the
 * running counts a range reports and splits by (keys, versions, intents, bytes). The MVCC rules
 * live in the parts that use it ({@link MvccReader}, {@link MvccLocks}, {@link MvccVersions},
 * {@link MvccGc}); this class only keeps the structure and its counters consistent.
 *
 * <pre>
 *   data  (TreeMap, key order)  ─┐
 *                                ├─▶ Entry ── head ─▶ Node(ts, value) ─▶ Node … (newest first)
 *   byKey (HashMap, HashedKey)  ─┘     ├── intent   (one, or null)
 *                                      └── sharers  (shared locks, null when none)
 * </pre>
 *
 * <p>NB: not thread-safe; every field is touched only by the thread of the range actor that owns
 * the store (through the store's parts, which share this one instance). Arrays are not copied.
 */
final class MvccEntries {

  /** Everything stored for one key. */
  static final class Entry {
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

    /** Whether {@code txnId} holds this key's intent. */
    boolean ownIntent(UUID txnId) {
      return intent != null && intent.txn().id().equals(txnId);
    }
  }

  /** One committed version in a key's chain; a null value is a tombstone. */
  static final class Node {
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
  /** Keys, versions (with {@link MvccStore#VERSION_OVERHEAD}) and intents, in bytes. */
  private long bytes;
  private long versionCount;

  // ---------------------------------------------------------------- lookup

  /** The entry of {@code key}, or null. */
  Entry get(byte[] key) {
    return byKey.get(new HashedKey(key));
  }

  /** The entry of {@code key}, created empty if there is none. */
  Entry getOrCreate(byte[] key) {
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

  /** Removes {@code key}'s entry (the caller saw it hold nothing). */
  void remove(byte[] key) {
    data.remove(key);
    byKey.remove(new HashedKey(key));
    bytes -= key.length;
  }

  /** Removes {@code key}'s entry if it holds nothing any more: no version, intent or shared lock. */
  void removeIfEmpty(byte[] key, Entry e) {
    if (e.head == null && e.intent == null && e.sharers == null) {
      remove(key);
    }
  }

  /** The entries with start ≤ key < end (null end: unbounded), in key order; a live view. */
  NavigableMap<byte[], Entry> span(byte[] start, byte[] end) {
    return end == null ? data.tailMap(start, true) : data.subMap(start, true, end, false);
  }

  /**
   * Visits every entry in key order and removes those for which {@code visit} returns true (it
   * may change the entry first). Returns the number of keys removed.
   */
  long sweep(Predicate<Entry> visit) {
    long removed = 0;
    for (Iterator<Map.Entry<byte[], Entry>> it = data.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<byte[], Entry> me = it.next();
      byte[] key = me.getKey(); // NB: TreeMap's remove() may move the next key into this entry
      if (visit.test(me.getValue())) {
        it.remove();
        byKey.remove(new HashedKey(key));
        bytes -= key.length;
        removed++;
      }
    }
    return removed;
  }

  /** The key in the middle of the store (a split point), or null when empty. O(n). */
  byte[] medianKey() {
    int half = data.size() / 2;
    int i = 0;
    for (byte[] k : data.keySet()) {
      if (i++ == half) {
        return k;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- counters

  int keyCount() {
    return data.size();
  }

  int intentCount() {
    return intentCount;
  }

  long versionCount() {
    return versionCount;
  }

  long bytes() {
    return bytes;
  }

  /** Counts a version just linked into a chain. */
  void added(Node n) {
    versionCount++;
    bytes += MvccStore.VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  /** Counts a version just unlinked from a chain. */
  void removed(Node n) {
    versionCount--;
    bytes -= MvccStore.VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  /** Replaces the key's intent (null: none), keeping the intent count and the byte size. */
  void setIntent(Entry e, Intent in) {
    intentCount += (in != null ? 1 : 0) - (e.intent != null ? 1 : 0);
    bytes += intentBytes(in) - intentBytes(e.intent);
    e.intent = in;
  }

  /** Adds a shared lock to the key's sharers. */
  void addSharer(Entry e, Intent lock) {
    if (e.sharers == null) {
      e.sharers = new ArrayList<>(2);
    }
    e.sharers.add(lock);
    intentCount++;
    bytes += MvccStore.VERSION_OVERHEAD;
  }

  /** Removes the key's {@code i}-th shared lock ({@code sharers} becomes null when it was the last). */
  void removeSharer(Entry e, int i) {
    e.sharers.remove(i);
    intentCount--;
    bytes -= MvccStore.VERSION_OVERHEAD;
    if (e.sharers.isEmpty()) {
      e.sharers = null;
    }
  }

  private static long intentBytes(Intent in) {
    return in == null ? 0 : MvccStore.VERSION_OVERHEAD + (in.value() == null ? 0 : in.value().length);
  }

  // ---------------------------------------------------------------- splits and snapshots

  /** Removes and returns every key ≥ {@code splitKey} (the right half of a split). */
  List<KeySnapshot> splitOff(byte[] splitKey) {
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

  /** Every key at or after {@code from} (null: all), as snapshot entries; nothing changes. */
  List<KeySnapshot> exportFrom(byte[] from) {
    return export(from == null ? data : data.tailMap(from, true));
  }

  /** Adds one snapshot entry (a key not held yet) and returns it. */
  Entry importKey(KeySnapshot ks) {
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
    return e;
  }

  /** The bytes {@code ks} counts for in {@link #bytes()}. */
  private static long snapshotBytes(KeySnapshot ks) {
    long n = ks.key().length + intentBytes(ks.intent()) + (long) ks.sharers().size() * MvccStore.VERSION_OVERHEAD;
    for (Version v : ks.versions()) {
      n += MvccStore.VERSION_OVERHEAD + (v.value() == null ? 0 : v.value().length);
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

  /** The newest version in the chain at or below {@code readTs} (null: none, or a tombstone). */
  static byte[] visible(Node head, Timestamp readTs) {
    for (Node n = head; n != null; n = n.next) {
      if (n.ts.compareTo(readTs) <= 0) {
        return n.value;
      }
    }
    return null;
  }
}
