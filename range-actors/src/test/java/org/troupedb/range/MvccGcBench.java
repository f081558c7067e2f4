package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/**
 * Scan of a drained queue table over one range's store: empty, over {@code N} tombstones, and after
 * GC. Tag {@code bench} (not in the default run): {@code mvn -B -o -pl range-actors -am
 * -DexcludedGroups=none -Dtest=MvccGcBench -Dsurefire.failIfNoSpecifiedTests=false test}.
 */
@Tag("bench")
class MvccGcBench {
  private static final int N = 1_000_000;

  @Test
  void scanOfADrainedQueue() {
    MvccStore store = new MvccStore();
    UUID reader = UUID.randomUUID();
    byte[] start = key(0);
    byte[] end = key(Long.MAX_VALUE);
    double empty = scanMicros(store, start, end, reader);
    long sizeEmpty = store.sizeBytes();
    for (long i = 0; i < N; i++) {
      store.putCommitted(key(i), new Timestamp(1_000 + i, 0), ("job payload " + i).getBytes());
    }
    for (long i = 0; i < N; i++) {
      store.putCommitted(key(i), new Timestamp(2_000_000 + i, 0), null);
    }
    MvccStore.Size full = store.size();
    double tombstones = scanMicros(store, start, end, reader);
    long t0 = System.nanoTime();
    MvccStore.GcResult gc = store.gc(new Timestamp(4_000_000, 0));
    double gcMillis = (System.nanoTime() - t0) / 1e6;
    double collected = scanMicros(store, start, end, reader);
    assertThat(store.keyCount()).isZero();
    assertThat(store.sizeBytes()).isEqualTo(sizeEmpty);
    System.out.printf("MvccGcBench: %,d rows in and out; store %s before GC; GC removed %,d versions in %.0f ms;"
        + " scan of the empty span: %.1f µs empty, %.1f µs over the tombstones, %.1f µs after GC%n", N, full,
        gc.versionsRemoved(), gcMillis, empty, tombstones, collected);
  }

  /** Median of 9 scans, in µs. */
  private static double scanMicros(MvccStore store, byte[] start, byte[] end, UUID reader) {
    double[] t = new double[9];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      assertThat(store.scan(start, end, new Timestamp(Long.MAX_VALUE / 2, 0), reader, 0).rows()).isEmpty();
      t[i] = (System.nanoTime() - t0) / 1e3;
    }
    java.util.Arrays.sort(t);
    return t[t.length / 2];
  }

  private static byte[] key(long i) {
    return ByteBuffer.allocate(10).put((byte) 0x20).put((byte) 1).putLong(i).array();
  }
}
