package org.troupedb.range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link RangeDataDb} in a temporary directory shared by the tests of the disk store, each
 * store in a prefix of its own (as the ranges of a node share one); closed when the JVM exits.
 */
final class DiskStoresForTests {
  private DiskStoresForTests() {}

  private static final RangeDataDb DB;
  /** A durable store (marker snapshots): changes stay in each store's overlay, read through it. */
  private static final RangeDataDb DURABLE;
  private static final AtomicLong NEXT_ID = new AtomicLong(1);

  static {
    try {
      DB = RangeDataDb.open(Files.createTempDirectory("range-data-test"), 32L << 20);
      DURABLE = RangeDataDb.open(Files.createTempDirectory("range-data-durable-test"), 32L << 20, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new, empty disk-backed store. */
  static MvccStore newStore(long gcTtlNanos) {
    return new MvccStore(gcTtlNanos, new DiskEntries(DB, NEXT_ID.getAndIncrement()));
  }

  /**
   * A new, empty store on a durable disk store: every change stays in its overlay (nothing commits
   * it), so reads go through the overlay on top of the store.
   */
  static MvccStore newDurableStore(long gcTtlNanos) {
    return new MvccStore(gcTtlNanos, new DiskEntries(DURABLE, NEXT_ID.getAndIncrement(), null));
  }

  /** The entries of a new, empty disk-backed store. */
  static DiskEntries newEntries() {
    return new DiskEntries(DB, NEXT_ID.getAndIncrement());
  }
}
