package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/**
 * The heap store against the disk store through {@link MvccStore} itself (what a range runs),
 * in {@link RocksVersionsBench}'s shape: 500,000 keys x 2 versions of 100 bytes, then point reads
 * at a timestamp from one thread (median of 3 rounds) and a full scan. Tag {@code bench}:
 * {@code mvn -B -o -pl range-actors -am -DexcludedGroups=none -Dtest=DiskStoreBench
 * -Dsurefire.failIfNoSpecifiedTests=false test}.
 */
@Tag("bench")
class DiskStoreBench {
  private static final int KEYS = Integer.getInteger("bench.keys", 500_000);
  private static final int VERSIONS = 2;
  private static final int READS = Integer.getInteger("bench.reads", 1_000_000);
  private static final byte[] VALUE = new byte[100];
  /**
   * -Dbench.durable=true: the disk store as a single node runs it (marker snapshots): the WAL on,
   * writes into the range's overlay, committed with an applied-state record every
   * {@link #COMMIT_EVERY} writes (as a range commits once per persist).
   */
  private static final boolean DURABLE = Boolean.getBoolean("bench.durable");
  private static final int COMMIT_EVERY = Integer.getInteger("bench.commit-every", 100);

  @Test
  void heapAgainstDisk() throws Exception {
    Path dir = Files.createTempDirectory("disk-store-bench");
    try (RangeDataDb db = RangeDataDb.open(dir, 256L << 20, DURABLE)) {
      double[] heap = run("heap", new MvccStore(0), null);
      double[] disk = run("disk", new MvccStore(0, new DiskEntries(db, 1, null)), db);
      System.out.printf("DiskStoreBench%s: %,d keys x %d versions of %d B through MvccStore; writes: heap %.0f/s,"
          + " disk %.0f/s; point reads at a timestamp (median of 3 x %,d, one thread): heap %.0f/s, disk %.0f/s"
          + " (heap/disk %.1fx); full scan: heap %.0f rows/s, disk %.0f rows/s%n",
          DURABLE ? " (durable, a commit every " + COMMIT_EVERY + " writes)" : "", KEYS, VERSIONS, VALUE.length,
          heap[0], disk[0], READS, heap[1], disk[1], heap[1] / disk[1], heap[2], disk[2]);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Writes/s, point reads/s, scanned rows/s. */
  private static double[] run(String name, MvccStore store, RangeDataDb db) {
    UUID reader = UUID.randomUUID();
    long t0 = System.nanoTime();
    for (int v = 0; v < VERSIONS; v++) {
      for (int i = 0; i < KEYS; i++) {
        store.putCommitted(key(i), new Timestamp(1_000 + v, 0), VALUE);
        if (DURABLE && db != null && i % COMMIT_EVERY == COMMIT_EVERY - 1) {
          ((DiskEntries) store.entries()).commit(RangeDataDb.appliedKey(1), new byte[64]);
        }
      }
    }
    if (DURABLE && db != null) {
      ((DiskEntries) store.entries()).commit(RangeDataDb.appliedKey(1), new byte[64]);
    }
    double writes = KEYS * VERSIONS / ((System.nanoTime() - t0) / 1e9);
    if (db != null && Boolean.getBoolean("bench.compact")) {
      db.compact(); // the steady state: no memtable or level-0 files left to search
    }
    Random rnd = new Random(1);
    Timestamp at = new Timestamp(5_000, 0);
    double[] reads = new double[3];
    for (int round = 0; round < 3; round++) {
      t0 = System.nanoTime();
      for (int n = 0; n < READS; n++) {
        if (store.get(key(rnd.nextInt(KEYS)), at, reader).value() == null) {
          throw new AssertionError(name + ": missing");
        }
      }
      reads[round] = READS / ((System.nanoTime() - t0) / 1e9);
    }
    Arrays.sort(reads);
    t0 = System.nanoTime();
    int rows = store.scan(new byte[0], null, at, reader, 0).rows().size();
    double scan = rows / ((System.nanoTime() - t0) / 1e9);
    assertThat(rows).isEqualTo(KEYS);
    assertThat(store.keyCount()).isEqualTo(KEYS);
    assertThat(store.versionCount()).isEqualTo((long) KEYS * VERSIONS);
    return new double[] {writes, reads[1], scan};
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(10).put((byte) 0x20).put((byte) 1).putLong(i).array();
  }
}
