package org.troupedb.range.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pekko's persistence TCK ({@code pekko-persistence-tck}) against the embedded journal and
 * snapshot store: replay order and bounds, deletes up to a sequence number, the highest sequence
 * number after deletes, rejection of what cannot be serialized, snapshot selection and deletes.
 */
class EmbeddedJournalTckTest {

  @TempDir
  Path dir;

  @Test
  void journalPassesPekkoTck() {
    Config config = EmbeddedStorageConfig.embedded(dir);
    ScalaSuites.Outcome out = ScalaSuites.run(new JavaJournalSpec(config) {
      @Override
      public CapabilityFlag supportsRejectingNonSerializableObjects() {
        return CapabilityFlag.on();
      }

      @Override
      public CapabilityFlag supportsSerialization() {
        return CapabilityFlag.on();
      }
    });
    assertThat(out.failed()).isEmpty();
    assertThat(out.succeeded()).hasSizeGreaterThanOrEqualTo(16); // all of the TCK 1.2.1 journal spec
    System.out.println("journal TCK: " + out.succeeded().size() + " passed; not run: " + out.skipped());
  }

  @Test
  void snapshotStorePassesPekkoTck() {
    Config config = EmbeddedStorageConfig.embedded(dir);
    ScalaSuites.Outcome out = ScalaSuites.run(new JavaSnapshotStoreSpec(config) {
      @Override
      public CapabilityFlag supportsSerialization() {
        return CapabilityFlag.on();
      }
    });
    assertThat(out.failed()).isEmpty();
    assertThat(out.succeeded()).hasSizeGreaterThanOrEqualTo(12); // all of the TCK 1.2.1 snapshot spec
    System.out.println("snapshot TCK: " + out.succeeded().size() + " passed; not run: " + out.skipped());
  }
}
