package org.troupedb.range;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccStore.KeySnapshot;

/**
 * One range's data in the node's RocksDB ({@link RangeDataDb}), laid out as {@link DiskRecords}
 * says: every record of a key under {@code storeId | escaped(key) | 00 01}, the intent and shared
 * locks first, then the versions newest first. An {@link Entry} handed to the MVCC parts is
 * decoded from one seek and is a detached copy; {@link #changed} writes back what differs from
 * what was read (one WriteBatch per change).
 *
 * <p>Keys are prefixed by the range's id rather than stored under the table key alone: a split
 * still ships its right half in the {@code InitRange} event (as for the heap store), and a range
 * that starts clears exactly its own prefix with one range deletion, without knowing its span
 * before its snapshot and journal have told it.
 *
 * <p>On a durable store ({@link RangeDataDb#durable}) changes go to an overlay that reads see on
 * top of the store ({@code pending}) and reach the store with the range's applied state in one
 * batch ({@link #commit}, driven by {@link RangeStoreSync}) once their events are in the journal,
 * so the store never holds an event the journal may not have.
 *
 * <p>NB: not thread-safe; used by the owning range actor's thread or a local reader holding the
 * range's lock, like {@link HeapEntries}.
 */
final class DiskEntries extends MvccEntries {

  /** An entry as decoded from the store, remembering which records it came from. */
  static final class DiskEntry extends Entry {
    final byte[] key;
    final byte[] prefix;
    /** The versions after the head as stored in version records (identity: a node not among them is new). */
    List<Node> storedOlder = List.of();
    /** Whether the store holds a meta record for the key. */
    boolean storedMeta;

    DiskEntry(byte[] key, byte[] prefix) {
      this.key = key;
      this.prefix = prefix;
    }

    boolean exists() {
      return head != null || intent != null || sharers != null;
    }
  }

  /** Where writes go: a WriteBatch, or the overlay of a durable store. */
  private interface Sink {
    void put(byte[] key, byte[] value) throws RocksDBException;

    void delete(byte[] key) throws RocksDBException;
  }

  private final RangeDataDb db;
  private final long storeId;
  private final byte[] lower;
  private final byte[] upper;
  /**
   * Durable mode ({@link RangeDataDb#durable}): the writes of events applied since the last
   * {@link #commit}, which reads see on top of the store; written to it with the range's applied
   * state by {@link #commit} once those events are in the journal. Null until the first write,
   * and always in the rebuilt mode (each change is then written at once).
   */
  private WriteBatchWithIndex pending;
  private int keys;

  /** The store of range {@code storeId}, emptied first (the rebuilt mode: it is rebuilt from the journal). */
  DiskEntries(RangeDataDb db, long storeId) {
    this(db, storeId, null);
  }

  /**
   * The store of range {@code storeId}: with {@code counters} (a durable store's applied state), as
   * the store holds it; with null, emptied first (the rebuilt mode, or a durable range that has
   * applied nothing yet or is about to import a full snapshot).
   */
  DiskEntries(RangeDataDb db, long storeId, Counters counters) {
    this.db = db;
    this.storeId = storeId;
    this.lower = DiskRecords.prefixOf(storeId);
    this.upper = DiskRecords.prefixOf(storeId + 1);
    if (counters != null) {
      keys = (int) counters.keys();
      versionCount = counters.versions();
      intentCount = (int) counters.intents();
      bytes = counters.bytes();
    } else if (db.durable()) {
      db.clear(RangeDataDb.appliedKey(storeId), holdsAnything() ? lower : null, upper); // the record first
    } else if (holdsAnything()) {
      db.deleteRange(lower, upper); // NB: a range tombstone costs every later read a little: only if needed
    }
  }

  /** The running counts of a store, kept in a durable range's applied state. */
  record Counters(long keys, long versions, long intents, long bytes) implements KvSerializable {}

  Counters counters() {
    return new Counters(keys, versionCount, intentCount, bytes);
  }

  /** Record writes in the overlay (0 in the rebuilt mode). */
  int pendingCount() {
    return pending == null ? 0 : pending.count();
  }

  /** Whether events applied since the last {@link #commit} changed anything. */
  boolean hasPending() {
    return pending != null && pending.count() > 0;
  }

  /**
   * Durable mode: writes the pending changes and {@code record} (the applied state, under {@code
   * key}) as one batch, so the store holds both or neither.
   */
  void commit(byte[] key, byte[] record) {
    try {
      WriteBatchWithIndex b = overlay();
      b.put(key, record);
      db.write(b);
      b.clear();
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Frees the native overlay (the range stopped; what it held unwritten is replayed next time). */
  void close() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
  }

  private WriteBatchWithIndex overlay() {
    if (pending == null) {
      pending = new WriteBatchWithIndex(true);
    }
    return pending;
  }

  private boolean durable() {
    return db.durable();
  }

  /** Runs {@code change} against the overlay (durable) or one WriteBatch written at once. */
  private void write(Change change) {
    try {
      if (durable()) {
        WriteBatchWithIndex o = overlay();
        change.to(new Sink() {
          public void put(byte[] k, byte[] v) throws RocksDBException { o.put(k, v); }

          public void delete(byte[] k) throws RocksDBException { o.delete(k); }
        });
      } else {
        try (WriteBatch b = new WriteBatch()) {
          change.to(sinkOf(b));
          db.write(b);
        }
      }
    } catch (RocksDBException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private interface Change {
    void to(Sink sink) throws RocksDBException;
  }

  private static Sink sinkOf(WriteBatch b) {
    return new Sink() {
      public void put(byte[] k, byte[] v) throws RocksDBException { b.put(k, v); }

      public void delete(byte[] k) throws RocksDBException { b.delete(k); }
    };
  }

  /** Writes collected while a cursor is open (the overlay must not change under its iterator). */
  private static final class Buffered implements Sink {
    final List<byte[]> keys = new ArrayList<>();
    final List<byte[]> values = new ArrayList<>(); // null: a delete

    public void put(byte[] k, byte[] v) { keys.add(k); values.add(v); }

    public void delete(byte[] k) { keys.add(k); values.add(null); }

    void into(Sink s) throws RocksDBException {
      for (int i = 0; i < keys.size(); i++) {
        if (values.get(i) == null) {
          s.delete(keys.get(i));
        } else {
          s.put(keys.get(i), values.get(i));
        }
      }
    }
  }

  private boolean holdsAnything() {
    RocksIterator it = db.openIterator();
    try {
      it.seek(lower);
      return it.isValid() && Arrays.compareUnsigned(it.key(), upper) < 0;
    } finally {
      db.release(it);
    }
  }

  @Override
  Entry get(byte[] key) {
    DiskEntry e = load(key);
    return e.exists() ? e : null;
  }

  @Override
  Entry getOrCreate(byte[] key) {
    DiskEntry e = load(key);
    if (!e.exists()) {
      keys++;
      bytes += key.length;
    }
    return e;
  }

  /**
   * The whole entry of {@code key}. A key with any record has a meta record (it holds the newest
   * version), so a {@code get} of it first (bloom filters) answers a key that does not exist, the
   * case of every insert, without the iterator and seek (which no bloom filter helps) that an
   * existing key's older versions need.
   */
  private DiskEntry load(byte[] key) {
    byte[] prefix = DiskRecords.keyPrefix(storeId, key);
    if (db.get(pending, DiskRecords.tagged(prefix, DiskRecords.TAG_META)) == null) {
      return new DiskEntry(key, prefix);
    }
    RocksIterator it = db.openIterator(pending);
    try {
      it.seek(prefix);
      return decode(it, key, prefix);
    } finally {
      db.release(it);
    }
  }

  /** Decodes the records under {@code prefix} from the iterator's position, leaving it after them. */
  private static DiskEntry decode(RocksIterator it, byte[] key, byte[] prefix) {
    DiskEntry e = new DiskEntry(key, prefix);
    Node tail = null;
    List<Node> older = null;
    while (it.isValid()) {
      byte[] rec = it.key();
      if (!startsWith(rec, prefix)) {
        break;
      }
      if (rec[prefix.length] == DiskRecords.TAG_META) {
        applyMeta(e, DiskRecords.meta(key, it.value()));
        tail = e.head;
      } else {
        Node n = new Node(DiskRecords.versionTs(rec, prefix.length), DiskRecords.value(it.value()), null);
        if (tail == null) {
          throw new IllegalStateException("a version record with no newest version in its meta record");
        }
        tail.next = n;
        tail = n;
        if (older == null) {
          older = new ArrayList<>(2);
        }
        older.add(n);
      }
      it.next();
    }
    if (older != null) {
      e.storedOlder = older;
    }
    return e;
  }

  private static void applyMeta(DiskEntry e, DiskRecords.Meta m) {
    e.storedMeta = true;
    e.intent = m.intent();
    e.sharers = m.sharers();
    if (m.hasHead()) {
      e.head = new Node(m.headTs(), m.headValue(), null);
    }
  }

  /**
   * The entry of {@code key} as a read at {@code readTs} needs it: from the meta record alone
   * (one {@code get}) when its newest version is at or below {@code readTs} or it has none, so
   * older versions cannot matter; else the whole entry (one seek).
   */
  @Override
  Entry getForRead(byte[] key, Timestamp readTs) {
    byte[] prefix = DiskRecords.keyPrefix(storeId, key);
    byte[] rec = db.get(pending, DiskRecords.tagged(prefix, DiskRecords.TAG_META));
    if (rec == null) {
      return null;
    }
    DiskEntry e = new DiskEntry(key, prefix);
    applyMeta(e, DiskRecords.meta(key, rec));
    if (e.head != null && e.head.ts.compareTo(readTs) > 0) {
      return get(key);
    }
    return e.exists() ? e : null;
  }

  @Override
  void remove(byte[] key, Entry e) {
    DiskEntry d = (DiskEntry) e;
    write(sink -> deleteStored(d, sink));
    keys--;
    bytes -= key.length;
  }

  @Override
  void changed(byte[] key, Entry e) {
    write(sink -> writeBack((DiskEntry) e, sink));
  }

  /** Adds to {@code b} what makes the stored records of {@code d} what {@code d} holds now. */
  private static void writeBack(DiskEntry d, Sink b) throws RocksDBException {
    List<Node> older = new ArrayList<>(2);
    for (Node n = d.head == null ? null : d.head.next; n != null; n = n.next) {
      older.add(n);
      if (!containsNode(d.storedOlder, n)) {
        b.put(DiskRecords.version(d.prefix, n.ts), DiskRecords.versionValue(n.value));
      }
    }
    for (Node old : d.storedOlder) {
      if (!containsTs(older, old.ts)) {
        b.delete(DiskRecords.version(d.prefix, old.ts));
      }
    }
    d.storedOlder = older;
    if (d.exists()) {
      b.put(DiskRecords.tagged(d.prefix, DiskRecords.TAG_META), DiskRecords.meta(d.intent, d.sharers,
          d.head == null ? null : d.head.ts, d.head == null ? null : d.head.value));
      d.storedMeta = true;
    } else if (d.storedMeta) {
      b.delete(DiskRecords.tagged(d.prefix, DiskRecords.TAG_META));
      d.storedMeta = false;
    }
  }

  private static void deleteStored(DiskEntry d, Sink b) throws RocksDBException {
    for (Node old : d.storedOlder) {
      b.delete(DiskRecords.version(d.prefix, old.ts));
    }
    if (d.storedMeta) {
      b.delete(DiskRecords.tagged(d.prefix, DiskRecords.TAG_META));
    }
    d.storedOlder = List.of();
    d.storedMeta = false;
  }

  private static boolean containsNode(List<Node> nodes, Node n) {
    for (Node x : nodes) {
      if (x == n) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsTs(List<Node> nodes, Timestamp ts) {
    for (Node x : nodes) {
      if (x.ts.equals(ts)) {
        return true;
      }
    }
    return false;
  }

  @Override
  Cursor span(byte[] start, byte[] end) {
    byte[] from = DiskRecords.keyBound(storeId, start);
    byte[] to = end == null ? upper : DiskRecords.keyBound(storeId, end);
    RocksIterator it = db.openIterator(pending);
    it.seek(from);
    return new DiskCursor(it, to);
  }

  /** Entries decoded lazily from one iterator; closing it releases the store. */
  private final class DiskCursor implements Cursor, Iterator<Map.Entry<byte[], Entry>> {
    private final RocksIterator it;
    private final byte[] to;
    private boolean closed;

    DiskCursor(RocksIterator it, byte[] to) {
      this.it = it;
      this.to = to;
    }

    @Override
    public Iterator<Map.Entry<byte[], Entry>> iterator() {
      return this;
    }

    @Override
    public boolean hasNext() {
      return !closed && it.isValid() && Arrays.compareUnsigned(it.key(), to) < 0;
    }

    @Override
    public Map.Entry<byte[], Entry> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      byte[] rec = it.key();
      int plen = DiskRecords.prefixLength(rec);
      byte[] key = DiskRecords.userKey(rec, plen);
      DiskEntry e = decode(it, key, Arrays.copyOf(rec, plen));
      return new AbstractMap.SimpleImmutableEntry<>(key, e);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        db.release(it);
      }
    }
  }

  @Override
  long sweep(Predicate<Entry> visit) {
    long removed = 0;
    Buffered buffered = durable() ? new Buffered() : null;
    try (Cursor c = span(new byte[0], null); WriteBatch b = new WriteBatch()) {
      Sink sink = buffered != null ? buffered : sinkOf(b);
      for (Map.Entry<byte[], Entry> me : c) {
        DiskEntry d = (DiskEntry) me.getValue();
        if (visit.test(d)) {
          deleteStored(d, sink);
          keys--;
          bytes -= d.key.length;
          removed++;
        } else {
          writeBack(d, sink);
        }
        if (buffered == null && b.count() >= 10_000) {
          db.write(b);
          b.clear();
        }
      }
      if (buffered == null) {
        db.write(b);
      }
    } catch (RocksDBException ex) {
      throw new IllegalStateException(ex);
    }
    if (buffered != null) {
      write(buffered::into);
    }
    return removed;
  }

  @Override
  byte[] medianKey() {
    int half = keys / 2;
    int i = 0;
    try (Cursor c = span(new byte[0], null)) {
      for (Map.Entry<byte[], Entry> me : c) {
        if (i++ == half) {
          return me.getKey();
        }
      }
    }
    return null;
  }

  @Override
  int keyCount() {
    return keys;
  }

  @Override
  List<KeySnapshot> splitOff(byte[] splitKey) {
    List<KeySnapshot> out = new ArrayList<>();
    Buffered deletes = new Buffered();
    try (Cursor c = span(splitKey, null)) {
      for (Map.Entry<byte[], Entry> me : c) {
        DiskEntry d = (DiskEntry) me.getValue();
        KeySnapshot ks = toSnapshot(me.getKey(), d);
        out.add(ks);
        uncount(ks);
        keys--;
        deleteStored(d, deletes);
      }
    } catch (RocksDBException ex) {
      throw new IllegalStateException(ex);
    }
    write(deletes::into);
    return out;
  }

  @Override
  List<KeySnapshot> exportFrom(byte[] from) {
    List<KeySnapshot> out = new ArrayList<>();
    try (Cursor c = span(from == null ? new byte[0] : from, null)) {
      for (Map.Entry<byte[], Entry> me : c) {
        out.add(toSnapshot(me.getKey(), me.getValue()));
      }
    }
    return out;
  }

  @Override
  Entry importKey(KeySnapshot ks) {
    DiskEntry d = new DiskEntry(ks.key(), DiskRecords.keyPrefix(storeId, ks.key()));
    fill(d, ks);
    keys++;
    changed(ks.key(), d);
    return d;
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length > prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }
}
