package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link PassivationIT} with range data in the disk store: a passivated range's next incarnation
 * clears its prefix and rebuilds it from its snapshot and journal, and so does a restart.
 */
class PassivationDiskIT extends PassivationIT {
  @Override
  String rangeStorage() {
    return "disk";
  }

  @AfterEach
  void theDiskStoreWasUsed() {
    assertThat(tmp.resolve("store").resolve("range-data").resolve("CURRENT")).exists();
  }
}
