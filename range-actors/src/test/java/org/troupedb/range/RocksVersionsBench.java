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
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.troupedb.hlc.Timestamp;

/**
 * The measurement step 3 of issue 15 asks for before moving range data to disk: point reads and
 * writes of MVCC versions in the heap store ({@link MvccStore}) against RocksDB with the versions
 * in the key (user key + descending timestamp, so a read at t is one seek), side by side in one
 * run. Writes go without RocksDB's WAL (the journal is the source of truth). Tag {@code bench}:
 * {@code mvn -B -o -pl range-actors -am -DexcludedGroups=none -Dtest=RocksVersionsBench
 * -Dsurefire.failIfNoSpecifiedTests=false test}.
 */
@Tag("bench")
class RocksVersionsBench {
  private static final int KEYS = 500_000;
  private static final int VERSIONS = 2;
  private static final int READS = 1_000_000;
  private static final byte[] VALUE = new byte[100];

  static {
    RocksDB.loadLibrary();
  }

  @Test
  void pointReadsAndWrites() throws Exception {
    UUID reader = UUID.randomUUID();
    MvccStore heap = new MvccStore();
    long t0 = System.nanoTime();
    for (int v = 0; v < VERSIONS; v++) {
      for (int i = 0; i < KEYS; i++) {
        heap.putCommitted(key(i), new Timestamp(1_000 + v, 0), VALUE);
      }
    }
    double heapWrite = (System.nanoTime() - t0) / 1e9;

    Path dir = Files.createTempDirectory("rocks-bench");
    try (LRUCache cache = new LRUCache(256L << 20);
         Options opts = new Options().setCreateIfMissing(true)
             .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
         RocksDB db = RocksDB.open(opts, dir.toString());
         WriteOptions wo = new WriteOptions().setDisableWAL(true);
         ReadOptions ro = new ReadOptions()) {
      t0 = System.nanoTime();
      for (int v = 0; v < VERSIONS; v++) {
        for (int i = 0; i < KEYS; i += 100) { // 100 versions per write batch, as a group commit would
          try (WriteBatch b = new WriteBatch()) {
            for (int j = i; j < i + 100; j++) {
              b.put(versionKey(key(j), new Timestamp(1_000 + v, 0)), VALUE);
            }
            db.write(wo, b);
          }
        }
      }
      double rocksWrite = (System.nanoTime() - t0) / 1e9;

      Random rnd = new Random(1);
      Timestamp at = new Timestamp(5_000, 0);
      double[] heapReads = new double[3];
      double[] rocksReads = new double[3];
      for (int round = 0; round < 3; round++) {
        t0 = System.nanoTime();
        for (int n = 0; n < READS; n++) {
          byte[] k = key(rnd.nextInt(KEYS));
          if (heap.get(k, at, reader).value() == null) {
            throw new AssertionError("missing");
          }
        }
        heapReads[round] = READS / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        try (RocksIterator it = db.newIterator(ro)) {
          for (int n = 0; n < READS; n++) {
            byte[] k = key(rnd.nextInt(KEYS));
            if (rocksGet(it, k, at) == null) {
              throw new AssertionError("missing");
            }
          }
        }
        rocksReads[round] = READS / ((System.nanoTime() - t0) / 1e9);
      }
      Arrays.sort(heapReads);
      Arrays.sort(rocksReads);
      assertThat(rocksGet(db.newIterator(ro), key(7), new Timestamp(1_000, 0))).isEqualTo(VALUE);
      System.out.printf("RocksVersionsBench: %,d keys x %d versions of %d B; writes: heap %.0f/s, RocksDB (no WAL,"
          + " batches of 100) %.0f/s; point reads at a timestamp (median of 3 x %,d, one thread): heap %.0f/s,"
          + " RocksDB seek %.0f/s (heap/RocksDB %.1fx)%n", KEYS, VERSIONS, VALUE.length,
          KEYS * VERSIONS / heapWrite, KEYS * VERSIONS / rocksWrite, READS, heapReads[1], rocksReads[1],
          heapReads[1] / rocksReads[1]);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The newest version of {@code key} at or below {@code at}: one seek to key + descending ts. */
  private static byte[] rocksGet(RocksIterator it, byte[] key, Timestamp at) {
    it.seek(versionKey(key, at));
    if (!it.isValid()) {
      return null;
    }
    byte[] found = it.key();
    if (found.length != key.length + Timestamp.ENCODED_LENGTH
        || !Arrays.equals(found, 0, key.length, key, 0, key.length)) {
      return null;
    }
    return it.value();
  }

  /** {@code key} (fixed length here) followed by the bitwise-inverted timestamp: newer sorts first. */
  private static byte[] versionKey(byte[] key, Timestamp ts) {
    return ByteBuffer.allocate(key.length + Timestamp.ENCODED_LENGTH).put(key)
        .putLong(~ts.wallTime()).putInt(~ts.logical()).array();
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(10).put((byte) 0x20).put((byte) 1).putLong(i).array();
  }
}
