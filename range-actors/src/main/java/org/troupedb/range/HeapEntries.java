package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.troupedb.range.MvccStore.KeySnapshot;

/**
 * The heap implementation of {@link MvccEntries} (the default, {@code troupedb.kv.range-storage =
 * heap}): the keys indexed twice, in key order and by hash, each with its live {@link Entry}, so
 * the parts change entries in place and {@link #changed} has nothing to do.
 *
 * <pre>
 *   data  (TreeMap, key order)  ─┐
 *                                ├─▶ Entry ── head ─▶ Node(ts, value) ─▶ Node … (newest first)
 *   byKey (HashMap, HashedKey)  ─┘     ├── intent   (one, or null)
 *                                      └── sharers  (shared locks, null when none)
 * </pre>
 *
 * <p>NB: not thread-safe; every field is touched only by the thread of the range actor that owns the
 * store (through the store's parts, which share this one instance). Arrays are not copied.
 */
final class HeapEntries extends MvccEntries {

  /** Every key in order (scans, splits, snapshots). */
  private final TreeMap<byte[], Entry> data = new TreeMap<>(Keys.COMPARATOR);
  /** The same entries by key, for point reads and writes; kept in step with {@link #data}. */
  private final HashMap<HashedKey, Entry> byKey = new HashMap<>();

  @Override
  Entry get(byte[] key) {
    return byKey.get(new HashedKey(key));
  }

  @Override
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

  @Override
  void remove(byte[] key, Entry e) {
    data.remove(key);
    byKey.remove(new HashedKey(key));
    bytes -= key.length;
  }

  @Override
  void changed(byte[] key, Entry e) {
    // the entry is the stored one
  }

  @Override
  Cursor span(byte[] start, byte[] end) {
    NavigableMap<byte[], Entry> m = end == null ? data.tailMap(start, true) : data.subMap(start, true, end, false);
    return new Cursor() {
      @Override
      public Iterator<Map.Entry<byte[], Entry>> iterator() {
        return m.entrySet().iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
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

  @Override
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

  @Override
  int keyCount() {
    return data.size();
  }

  @Override
  List<KeySnapshot> splitOff(byte[] splitKey) {
    NavigableMap<byte[], Entry> tail = data.tailMap(splitKey, true);
    List<KeySnapshot> out = export(tail);
    for (KeySnapshot ks : out) {
      uncount(ks);
    }
    for (byte[] k : tail.keySet()) {
      byKey.remove(new HashedKey(k));
    }
    tail.clear();
    return out;
  }

  @Override
  List<KeySnapshot> exportFrom(byte[] from) {
    return export(from == null ? data : data.tailMap(from, true));
  }

  @Override
  Entry importKey(KeySnapshot ks) {
    Entry e = fill(new Entry(), ks);
    data.put(ks.key(), e);
    byKey.put(new HashedKey(ks.key()), e);
    return e;
  }

  private static List<KeySnapshot> export(Map<byte[], Entry> map) {
    List<KeySnapshot> out = new ArrayList<>(map.size());
    for (Map.Entry<byte[], Entry> me : map.entrySet()) {
      out.add(toSnapshot(me.getKey(), me.getValue()));
    }
    return out;
  }
}
