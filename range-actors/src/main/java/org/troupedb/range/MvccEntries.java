package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccStore.KeySnapshot;
import org.troupedb.range.MvccStore.Version;

/**
 * Where one {@link MvccStore} keeps its keys and what each holds — a chain of committed versions
 * (newest first), at most one intent, and shared locks — with the running counts a range reports
 * and splits by (keys, versions, intents, bytes). The MVCC rules live in the parts that use it
 * ({@link MvccReader}, {@link MvccLocks}, {@link MvccVersions}, {@link MvccGc}); an implementation
 * only keeps the structure and its counters consistent. Two implementations:
 *
 * <pre>
 *   HeapEntries  TreeMap (key order) + HashMap (point reads) of live Entry objects; changed() is a no-op
 *   DiskEntries  one range's slice of the node's RocksDB (RangeDataDb): get() decodes an Entry from
 *                one seek, changed() writes the key's records back (versions key + inverted ts)
 * </pre>
 *
 * <p>The contract with the parts: an {@link Entry} obtained by {@link #get}/{@link #getOrCreate}
 * may be a detached copy, so a part that changes one calls {@link #changed} once it is done (the
 * counters are kept through {@link #added}, {@link #removed}, {@link #setIntent} and the sharer
 * methods, as before). The counting is the same for both, hence an abstract class, not an
 * interface.
 *
 * <p>NB: not thread-safe; every method runs on the thread of the range actor that owns the store
 * (or a local reader holding the range's lock). Arrays are not copied.
 */
abstract class MvccEntries {

  /** Everything stored for one key. */
  static class Entry {
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

  protected int intentCount;
  /** Keys, versions (with {@link MvccStore#VERSION_OVERHEAD}) and intents, in bytes. */
  protected long bytes;
  protected long versionCount;

  // ---------------------------------------------------------------- lookup and change

  /** The entry of {@code key}, or null. */
  abstract Entry get(byte[] key);

  /**
   * The entry of {@code key} as a read at {@code readTs} needs it, or null: its versions above
   * the newest one at or below {@code readTs} must all be there, older ones may be missing.
   */
  Entry getForRead(byte[] key, Timestamp readTs) {
    return get(key);
  }

  /** The entry of {@code key}, created empty (and counted as a key) if there is none. */
  abstract Entry getOrCreate(byte[] key);

  /** Removes {@code key}'s entry (the caller saw it hold nothing). */
  abstract void remove(byte[] key, Entry e);

  /** Removes {@code key}'s entry if it holds nothing any more: no version, intent or shared lock. */
  final void removeIfEmpty(byte[] key, Entry e) {
    if (e.head == null && e.intent == null && e.sharers == null) {
      remove(key, e);
    }
  }

  /** {@code e}, the entry of {@code key}, was changed by a part: make it what the store holds. */
  abstract void changed(byte[] key, Entry e);

  /** Entries in key order, to be closed (a disk cursor holds a native iterator). */
  interface Cursor extends Iterable<Map.Entry<byte[], Entry>>, AutoCloseable {
    @Override
    void close();
  }

  /** The entries with start ≤ key < end (null end: unbounded), in key order; read only. */
  abstract Cursor span(byte[] start, byte[] end);

  /**
   * Visits every entry in key order and removes those for which {@code visit} returns true (it
   * may change the entry first, through the counting methods). Returns the number of keys removed.
   */
  abstract long sweep(Predicate<Entry> visit);

  /** The key in the middle of the store (a split point), or null when empty. O(n). */
  abstract byte[] medianKey();

  abstract int keyCount();

  // ---------------------------------------------------------------- splits and snapshots

  /** Removes and returns every key ≥ {@code splitKey} (the right half of a split). */
  abstract List<KeySnapshot> splitOff(byte[] splitKey);

  /** Every key at or after {@code from} (null: all), as snapshot entries; nothing changes. */
  abstract List<KeySnapshot> exportFrom(byte[] from);

  /** Adds one snapshot entry (a key not held yet) and returns it. */
  abstract Entry importKey(KeySnapshot ks);

  // ---------------------------------------------------------------- counters

  final int intentCount() {
    return intentCount;
  }

  final long versionCount() {
    return versionCount;
  }

  final long bytes() {
    return bytes;
  }

  /** Counts a version just linked into a chain. */
  final void added(Node n) {
    versionCount++;
    bytes += MvccStore.VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  /** Counts a version just unlinked from a chain. */
  final void removed(Node n) {
    versionCount--;
    bytes -= MvccStore.VERSION_OVERHEAD + (n.value == null ? 0 : n.value.length);
  }

  /** Replaces the key's intent (null: none), keeping the intent count and the byte size. */
  final void setIntent(Entry e, Intent in) {
    intentCount += (in != null ? 1 : 0) - (e.intent != null ? 1 : 0);
    bytes += intentBytes(in) - intentBytes(e.intent);
    e.intent = in;
  }

  /** Adds a shared lock to the key's sharers. */
  final void addSharer(Entry e, Intent lock) {
    if (e.sharers == null) {
      e.sharers = new ArrayList<>(2);
    }
    e.sharers.add(lock);
    intentCount++;
    bytes += MvccStore.VERSION_OVERHEAD;
  }

  /** Removes the key's {@code i}-th shared lock ({@code sharers} becomes null when it was the last). */
  final void removeSharer(Entry e, int i) {
    e.sharers.remove(i);
    intentCount--;
    bytes -= MvccStore.VERSION_OVERHEAD;
    if (e.sharers.isEmpty()) {
      e.sharers = null;
    }
  }

  static long intentBytes(Intent in) {
    return in == null ? 0 : MvccStore.VERSION_OVERHEAD + (in.value() == null ? 0 : in.value().length);
  }

  /** The bytes {@code ks} counts for in {@link #bytes()}. */
  static long snapshotBytes(KeySnapshot ks) {
    long n = ks.key().length + intentBytes(ks.intent()) + (long) ks.sharers().size() * MvccStore.VERSION_OVERHEAD;
    for (Version v : ks.versions()) {
      n += MvccStore.VERSION_OVERHEAD + (v.value() == null ? 0 : v.value().length);
    }
    return n;
  }

  /** {@code e} as a snapshot entry of {@code key}. */
  static KeySnapshot toSnapshot(byte[] key, Entry e) {
    List<Version> vs = new ArrayList<>(2);
    for (Node n = e.head; n != null; n = n.next) {
      vs.add(new Version(n.ts, n.value));
    }
    return new KeySnapshot(key, vs, e.intent, e.sharers == null ? List.of() : List.copyOf(e.sharers));
  }

  /** Fills the empty {@code e} from {@code ks} and counts what it adds. */
  final Entry fill(Entry e, KeySnapshot ks) {
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
    versionCount += vs.size();
    bytes += snapshotBytes(ks);
    return e;
  }

  /** Uncounts a key leaving the store with everything in {@code ks} (a split). */
  final void uncount(KeySnapshot ks) {
    intentCount -= (ks.intent() != null ? 1 : 0) + ks.sharers().size();
    versionCount -= ks.versions().size();
    bytes -= snapshotBytes(ks);
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
