package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;

/** {@link KillTest} with range data in the disk store ({@code troupedb.kv.range-storage = disk}). */
class KillDiskTest extends KillTest {
  @Override
  String rangeStorage() {
    return "disk";
  }

  @AfterEach
  void theDiskStoreWasUsed() {
    assertThat(dir.resolve("range-data").resolve("CURRENT")).exists();
  }
}
