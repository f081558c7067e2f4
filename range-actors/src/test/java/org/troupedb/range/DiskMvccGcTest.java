package org.troupedb.range;

/** {@link MvccGcTest}'s cases against the disk store ({@link DiskEntries} in RocksDB). */
class DiskMvccGcTest extends MvccGcTest {
  @Override
  MvccStore newStore(long gcTtlNanos) {
    return DiskStoresForTests.newStore(gcTtlNanos);
  }
}
