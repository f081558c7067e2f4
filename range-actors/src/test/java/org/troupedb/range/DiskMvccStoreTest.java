package org.troupedb.range;

/** {@link MvccStoreTest}'s cases against the disk store ({@link DiskEntries} in RocksDB). */
class DiskMvccStoreTest extends MvccStoreTest {
  @Override
  MvccStore newStore(long gcTtlNanos) {
    return DiskStoresForTests.newStore(gcTtlNanos);
  }
}
