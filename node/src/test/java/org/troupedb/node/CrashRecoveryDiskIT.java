package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** {@link CrashRecoveryIT} with range data in the disk store ({@code --range-storage disk}). */
class CrashRecoveryDiskIT extends CrashRecoveryIT {
  @Override
  String[] nodeArgs() {
    return new String[] {"--range-storage", "disk"};
  }

  @Override
  void assertRangeStorage(Path store) {
    assertThat(store.resolve("range-data").resolve("CURRENT")).exists();
  }
}
