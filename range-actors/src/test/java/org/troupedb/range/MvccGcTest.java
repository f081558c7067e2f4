package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/** MVCC garbage collection ({@link MvccStore#gc}) and the store's byte size. */
class MvccGcTest {

  /** The store under test: the heap one here, a disk one in {@link DiskMvccGcTest}. */
  MvccStore newStore(long gcTtlNanos) {
    return new MvccStore(gcTtlNanos);
  }


  private final MvccStore store = newStore(0);
  private final UUID reader = UUID.randomUUID();

  @Test
  void collectsHiddenVersionsAndOldTombstonesOnly() {
    put("a", 10, "a10");
    put("a", 20, "a20");
    put("a", 30, "a30");
    put("b", 5, "b5");
    put("b", 25, null); // deleted at 25
    put("c", 40, "c40");
    put("d", 28, null); // a tombstone newer than the threshold stays, with the value it hides
    put("d", 2, "d2");
    TxnMeta t = new TxnMeta(UUID.randomUUID(), b("a"), ts(50), ts(50), 0, 0);
    put("e", 1, "e1");
    put("e", 3, null);
    store.putIntent(b("e"), t, b("e50")); // an intent keeps its key, but not the tombstone

    assertThat(store.hasGarbageAt(ts(27))).isTrue();
    MvccStore.GcResult r = store.gc(ts(27));

    assertThat(store.gcThreshold()).isEqualTo(ts(27));
    assertThat(versions("a")).containsExactly(30L, 20L); // 20 is what a read at 27 sees
    assertThat(store.intentAt(b("b"))).isNull();
    assertThat(store.exportFrom(null)).extracting(k -> s(k.key())).containsExactly("a", "c", "d", "e");
    assertThat(versions("d")).containsExactly(28L, 2L);
    assertThat(versions("e")).isEmpty();
    assertThat(store.intentAt(b("e"))).isNotNull();
    assertThat(r.versionsRemoved()).isEqualTo(5); // a10, b5, b25, e1, e3
    assertThat(r.keysRemoved()).isEqualTo(1);
    assertThat(store.get(b("a"), ts(27), reader).value()).isEqualTo(b("a20"));
    assertThat(store.get(b("d"), ts(27), reader).value()).isEqualTo(b("d2"));
    assertThat(store.hasGarbageAt(ts(27))).isFalse();
    assertThat(store.hasGarbageAt(ts(30))).isTrue(); // a20 is hidden by a30
    // GC never lowers the threshold.
    store.gc(ts(5));
    assertThat(store.gcThreshold()).isEqualTo(ts(27));
  }

  /**
   * Random histories: every read at or above the threshold answers the same after GC as before;
   * the byte size always equals the one recomputed from the contents; and GC of a snapshot copy
   * yields the same store (replay is deterministic).
   */
  @Test
  void readsAtOrAboveTheThresholdAreUnchangedAndSizesAddUp() {
    Random rnd = new Random(42);
    for (int round = 0; round < 50; round++) {
      MvccStore s = newStore(0);
      List<UUID> txns = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        byte[] key = b("k" + rnd.nextInt(20));
        long t = 1 + rnd.nextInt(1000);
        switch (rnd.nextInt(5)) {
          case 0, 1 -> s.putCommitted(key, ts(t), rnd.nextInt(3) == 0 ? null : b("v" + t + "x".repeat(rnd.nextInt(8))));
          case 2 -> {
            UUID id = UUID.randomUUID();
            txns.add(id);
            if (s.checkWrite(new WriteOp(WriteOp.Kind.PUT, key, b("x")), id, ts(t), ts(t), null).conflict() == null) {
              s.putIntent(key, new TxnMeta(id, key, ts(t), ts(t), 0, 0), rnd.nextBoolean() ? null : b("i" + t));
            }
          }
          case 3 -> {
            Intent in = s.intentAt(key);
            if (in != null) {
              s.resolveIntent(key, in.txn().id(), rnd.nextBoolean(), ts(1 + rnd.nextInt(1000)));
            }
          }
          default -> s.putLock(key, new TxnMeta(UUID.randomUUID(), key, ts(t), ts(t), 0, 0));
        }
        assertThat(s.sizeBytes()).as("round %d op %d", round, i).isEqualTo(bytesOf(s));
      }
      Timestamp threshold = ts(1 + rnd.nextInt(1000));
      List<String> before = readsFrom(s, threshold.wallTime());
      MvccStore copy = newStore(0);
      copy.importAll(s.exportFrom(null));
      assertThat(copy.sizeBytes()).isEqualTo(s.sizeBytes());

      s.gc(threshold);
      copy.gc(threshold);

      assertThat(readsFrom(s, threshold.wallTime())).isEqualTo(before);
      for (MvccStore.KeySnapshot ks : s.exportFrom(null)) { // the hash index agrees with the ordered one
        assertThat(s.get(ks.key(), Timestamp.MAX, reader).value())
            .isEqualTo(s.scan(ks.key(), Keys.next(ks.key()), Timestamp.MAX, reader, 0).rows().stream()
                .findFirst().map(Kv::value).orElse(null));
      }
      assertThat(s.sizeBytes()).isEqualTo(bytesOf(s));
      assertThat(dump(copy)).isEqualTo(dump(s));
      for (MvccStore.KeySnapshot ks : s.exportFrom(null)) {
        long atOrBelow = ks.versions().stream().filter(v -> v.ts().compareTo(threshold) <= 0).count();
        assertThat(atOrBelow).as("versions at or below the threshold").isLessThanOrEqualTo(1);
        ks.versions().stream().filter(v -> v.ts().compareTo(threshold) <= 0)
            .forEach(v -> assertThat(v.value()).as("a collected tombstone").isNotNull());
      }
    }
  }

  @Test
  void deletedRowsLeaveNothingToScanOnceCollected() {
    for (int i = 0; i < 1000; i++) {
      store.putCommitted(b(String.format("q%04d", i)), ts(10 + i), b("payload-" + i));
    }
    long full = store.sizeBytes();
    for (int i = 0; i < 1000; i++) {
      store.putCommitted(b(String.format("q%04d", i)), ts(2000 + i), null);
    }
    assertThat(store.keyCount()).isEqualTo(1000);
    assertThat(store.sizeBytes()).isGreaterThan(full); // garbage counts towards a range's size
    assertThat(store.scan(b("q"), b("r"), ts(5000), reader, 0).rows()).isEmpty();

    store.gc(ts(2500)); // half of the deletions are old enough
    assertThat(store.keyCount()).isEqualTo(499);
    store.gc(ts(4000));

    assertThat(store.keyCount()).isZero();
    assertThat(store.versionCount()).isZero();
    assertThat(store.sizeBytes()).isZero();
    assertThat(store.hasGarbageAt(Timestamp.MAX)).isFalse();
  }

  @Test
  void snapshotsCarryTheThreshold() {
    put("a", 1, "x");
    put("a", 2, "y");
    RangeState st = new RangeState();
    st.apply(new RangeActor.RangeInitialized(new RangeDescriptor(9, b("a"), b("z"), 0), store.exportFrom(null),
        List.of()));
    st.apply(new RangeActor.GarbageCollected(ts(5)));
    RangeState back = RangeState.fromSnapshot(st.toSnapshot());
    assertThat(back.store().gcThreshold()).isEqualTo(ts(5));
    assertThat(back.store().versionCount()).isEqualTo(1);
  }

  private List<String> readsFrom(MvccStore s, long from) {
    List<String> out = new ArrayList<>();
    for (long t = from; t <= 1001; t += 7) {
      out.add(t + ":" + s.scan(b("k"), b("l"), ts(t), reader, 0).rows().stream()
          .map(kv -> s(kv.key()) + "=" + s(kv.value())).toList());
    }
    return out;
  }

  private static String dump(MvccStore s) {
    StringBuilder sb = new StringBuilder();
    for (MvccStore.KeySnapshot ks : s.exportFrom(null)) {
      sb.append(s(ks.key())).append(':');
      ks.versions().forEach(v -> sb.append(v.ts().wallTime()).append('=').append(v.value() == null ? "-" : s(v.value()))
          .append(','));
      sb.append(ks.intent() == null ? "" : "I").append('\n');
    }
    return sb.toString();
  }

  /** The size the store should report, recomputed from its contents. */
  private static long bytesOf(MvccStore s) {
    long n = 0;
    for (MvccStore.KeySnapshot ks : s.exportFrom(null)) {
      n += ks.key().length;
      for (MvccStore.Version v : ks.versions()) {
        n += MvccStore.VERSION_OVERHEAD + (v.value() == null ? 0 : v.value().length);
      }
      if (ks.intent() != null) {
        n += MvccStore.VERSION_OVERHEAD + (ks.intent().value() == null ? 0 : ks.intent().value().length);
      }
      n += (long) ks.sharers().size() * MvccStore.VERSION_OVERHEAD;
    }
    return n;
  }

  private List<Long> versions(String key) {
    return store.exportFrom(b(key)).get(0).versions().stream().map(v -> v.ts().wallTime()).toList();
  }

  private void put(String key, long t, String value) {
    store.putCommitted(b(key), ts(t), value == null ? null : b(value));
  }

  private static Timestamp ts(long wall) {
    return new Timestamp(wall, 0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] v) {
    return new String(v, StandardCharsets.UTF_8);
  }
}
