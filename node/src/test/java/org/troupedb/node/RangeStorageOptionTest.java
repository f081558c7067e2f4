package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --range-storage heap|disk} and where the node puts the disk store. */
class RangeStorageOptionTest {

  private static Main.StartSingleNode parse(String... args) {
    Main.StartSingleNode s = new Main.StartSingleNode();
    new CommandLine(s).parseArgs(args);
    return s;
  }

  @Test
  void heapAndDiskAreAcceptedAnythingElseIsRefused() {
    parse("--range-storage", "heap").config();
    parse("--range-storage", "DISK").config();
    assertThatThrownBy(() -> parse("--range-storage", "ssd").config())
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--range-storage must be heap or disk");
  }

  @Test
  void theDiskStoreLivesUnderTheStoreUnlessADirectoryIsNamed() {
    Path store = Path.of("some-store");
    assertThat(TroupeNode.rangeStorageConfig(store, ConfigFactory.load()).getString("troupedb.kv.range-storage-dir"))
        .isEqualTo(store.resolve("range-data").toAbsolutePath().toString());
    var named = ConfigFactory.parseString("troupedb.kv.range-storage-dir = /elsewhere").withFallback(ConfigFactory.load());
    assertThat(TroupeNode.rangeStorageConfig(store, named).getString("troupedb.kv.range-storage-dir"))
        .isEqualTo("/elsewhere");
    var bad = ConfigFactory.parseString("troupedb.kv.range-storage = tape").withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> TroupeNode.rangeStorageConfig(store, bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap or disk");
  }
}
