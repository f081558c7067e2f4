package org.troupedb.range;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.range.MvccStore.KeySnapshot;
import org.troupedb.range.MvccStore.Version;

/**
 * Cuts the right half of a split — the keys of the splitting range's store at or after the split
 * key, then the transaction records anchored there — into chunks whose estimated serialized size
 * stays within a budget. A key whose versions do not fit in one chunk is cut too: its intent,
 * shared locks and newest versions in one chunk, which says the key {@code continues}, the older
 * versions in the next ({@link RangeReceipt} joins them).
 *
 * <p>A chunk is built from a {@link Position} (where the previous one ended), reading the store
 * afresh each time ({@link MvccStore#exportFrom(byte[], long)}), so any chunk can be built again
 * from its start, with a smaller budget if the real serializer finds it too large. The store must
 * not change meanwhile: the splitting range stashes every command while it streams.
 *
 * <p>NB: the estimates are upper bounds of Jackson CBOR's encoding of these records (field names
 * included, each value's header at its largest); {@link SplitTransfer} checks them with the real
 * serializer, and {@code SplitTransferActorTest} measures every chunk.
 */
final class SplitChunks {

  /** Where a chunk starts: at {@code key} (null: past the last key), of which the head (intent, locks) and
   *  the first {@code versionsSent} versions went in earlier chunks, and at transaction record {@code record}. */
  record Position(byte[] key, boolean headSent, int versionsSent, int record) {}

  /** One chunk's payload, where the next one starts, and its estimated serialized size (an upper bound). */
  record Chunk(List<KeySnapshot> data, boolean continues, List<TxnRecord> records, boolean last, Position next,
      long estimate) {}

  /** Room taken by a chunk message besides its data and descriptor: ids, clock, reply address, envelopes. */
  static final int ENVELOPE = 1024;

  private final MvccStore store;
  private final List<TxnRecord> records;
  /** Room taken by everything but the data: {@link #ENVELOPE} and the descriptor's keys. */
  private final long envelope;

  SplitChunks(MvccStore store, List<TxnRecord> records, RangeDescriptor right) {
    this.store = store;
    this.records = records;
    this.envelope = ENVELOPE + right.startKey().length + (right.endKey() == null ? 0 : right.endKey().length);
  }

  static Position start(byte[] splitKey) {
    return new Position(splitKey, false, 0, 0);
  }

  /**
   * The chunk starting at {@code from} whose estimate stays within {@code budget} bytes.
   *
   * @throws IllegalStateException if a single version, intent or record alone exceeds it
   */
  Chunk build(Position from, long budget) {
    List<KeySnapshot> data = new ArrayList<>();
    long used = envelope;
    byte[] key = from.key();
    boolean headSent = from.headSent();
    int versionsSent = from.versionsSent();
    while (key != null) {
      List<KeySnapshot> batch = store.exportFrom(key, Math.max(budget, 1));
      if (batch.isEmpty()) {
        key = null;
        break;
      }
      for (KeySnapshot whole : batch) {
        KeySnapshot ks = rest(whole, headSent, versionsSent);
        long size = estimate(ks);
        if (used + size <= budget) {
          data.add(ks);
          used += size;
          key = successor(whole.key());
          headSent = false;
          versionsSent = 0;
          continue;
        }
        if (!data.isEmpty() && envelope + size <= budget) {
          return new Chunk(data, false, List.of(), false, new Position(whole.key(), headSent, versionsSent, 0), used);
        }
        // Too large for any one chunk: as much of it as fits here, the rest in the next chunk.
        int n = versionsFitting(ks, budget - used);
        if (n < 0 || (n == 0 && headSent)) {
          if (data.isEmpty()) {
            throw new IllegalStateException("key " + Keys.toString(whole.key()) + " has a version or intent larger"
                + " than a chunk (" + budget + " bytes)");
          }
          return new Chunk(data, false, List.of(), false, new Position(whole.key(), headSent, versionsSent, 0), used);
        }
        KeySnapshot head = new KeySnapshot(ks.key(), ks.versions().subList(0, n), ks.intent(), ks.sharers());
        data.add(head);
        return new Chunk(data, true, List.of(), false, new Position(whole.key(), true, versionsSent + n, 0),
            used + estimate(head));
      }
    }
    List<TxnRecord> recs = new ArrayList<>();
    int r = from.key() == null ? from.record() : 0;
    for (; r < records.size(); r++) {
      long size = estimate(records.get(r));
      if (used + size > budget) {
        if (recs.isEmpty() && data.isEmpty()) {
          throw new IllegalStateException("transaction record larger than a chunk: " + records.get(r).meta().id());
        }
        break;
      }
      recs.add(records.get(r));
      used += size;
    }
    boolean last = r == records.size();
    return new Chunk(data, false, recs, last, new Position(null, false, 0, r), used);
  }

  /** {@code ks} without what earlier chunks carried of it. */
  private static KeySnapshot rest(KeySnapshot ks, boolean headSent, int versionsSent) {
    if (!headSent) {
      return ks;
    }
    return new KeySnapshot(ks.key(), ks.versions().subList(versionsSent, ks.versions().size()), null, List.of());
  }

  /** How many of {@code ks}'s versions fit in {@code room} with its head; -1 if not even the head does. */
  private static int versionsFitting(KeySnapshot ks, long room) {
    long used = estimate(new KeySnapshot(ks.key(), List.of(), ks.intent(), ks.sharers()));
    if (used > room) {
      return -1;
    }
    int n = 0;
    for (Version v : ks.versions()) {
      used += estimate(v);
      if (used > room) {
        break;
      }
      n++;
    }
    return n;
  }

  /** The key right after {@code key} in the unsigned lexicographic order. */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  // Upper bounds of the CBOR encoding: a map header, each field's name, and each value with its header
  // (a long ≤ 9 bytes, a byte string's length ≤ 9 bytes, a UUID 16 bytes plus its header).

  static long estimate(KeySnapshot ks) {
    long n = 64 + ks.key().length + estimate(ks.intent());
    for (Version v : ks.versions()) {
      n += estimate(v);
    }
    for (Intent s : ks.sharers()) {
      n += estimate(s);
    }
    return n;
  }

  static long estimate(Version v) {
    return 64 + (v.value() == null ? 0 : v.value().length);
  }

  static long estimate(Intent in) {
    if (in == null) {
      return 0;
    }
    long n = 64 + in.key().length + estimate(in.txn()) + (in.value() == null ? 0 : in.value().length);
    for (Intent.Prior p : in.history()) {
      n += 48 + (p.value() == null ? 0 : p.value().length);
    }
    return n;
  }

  static long estimate(TxnMeta m) {
    return 256 + m.anchorKey().length;
  }

  static long estimate(TxnRecord r) {
    return 128 + estimate(r.meta());
  }
}
