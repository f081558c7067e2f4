package org.troupedb.range;

/** {@link MvccGcTest}'s cases against a durable disk store's overlay ({@link DiskEntries}, marker snapshots). */
class DurableDiskMvccGcTest extends MvccGcTest {
  @Override
  MvccStore newStore(long gcTtlNanos) {
    return DiskStoresForTests.newDurableStore(gcTtlNanos);
  }
}
