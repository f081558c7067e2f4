package org.troupedb.range;

/** {@link MvccStoreTest}'s cases against a durable disk store's overlay ({@link DiskEntries}, marker snapshots). */
class DurableDiskMvccStoreTest extends MvccStoreTest {
  @Override
  MvccStore newStore(long gcTtlNanos) {
    return DiskStoresForTests.newDurableStore(gcTtlNanos);
  }
}
