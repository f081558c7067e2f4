package org.troupedb.range.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Persistence configuration of the single-node mode on the embedded journal: {@link EmbeddedJournal}
 * and {@link EmbeddedSnapshotStore} in one RocksDB store under {@code <store>/journal-rocksdb}. Its
 * settings ({@code sync}, {@code max-batch}) are the {@code troupe-journal} block of reference.conf.
 *
 * <p>A store directory that holds the H2 journal of an earlier build ({@code journal.mv.db}) and no
 * embedded journal is refused, not started empty: its ranges live in the H2 file, and a node that
 * ignored it would serve an empty database. Such a store keeps running on {@code --journal h2}.
 */
public final class EmbeddedStorageConfig {
  private EmbeddedStorageConfig() {}

  /** The embedded journal's directory inside a node's store directory. */
  public static Path journalDir(Path storeDir) {
    return storeDir.resolve("journal-rocksdb");
  }

  /** The H2 journal file an earlier build left in a store directory. */
  static Path h2File(Path storeDir) {
    return storeDir.resolve("journal.mv.db");
  }

  /**
   * The config selecting the embedded journal and snapshot store in {@code storeDir}. Use as
   * {@code embedded(dir).withFallback(ConfigFactory.load())}.
   *
   * @throws IllegalStateException if the directory holds an H2 journal and no embedded one
   */
  public static Config embedded(Path storeDir) {
    Path dir = journalDir(storeDir);
    if (Files.exists(h2File(storeDir)) && !Files.exists(dir)) {
      throw new IllegalStateException("the store " + storeDir.toAbsolutePath() + " holds an H2 journal ("
          + h2File(storeDir).getFileName() + ") and no embedded journal: start this store with --journal h2,"
          + " or start a new store (the embedded journal does not read the H2 one)");
    }
    String d = dir.toAbsolutePath().toString();
    return ConfigFactory.parseString("""
        pekko.persistence.journal.plugin = "troupe-journal"
        pekko.persistence.snapshot-store.plugin = "troupe-snapshot-store"
        """)
        .withValue("troupe-journal.dir", ConfigValueFactory.fromAnyRef(d))
        .withValue("troupe-snapshot-store.dir", ConfigValueFactory.fromAnyRef(d));
  }
}
