package org.troupedb.range;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Persistence configuration of the single-node mode: pekko-persistence-jdbc journal and
 * snapshot store on an embedded H2 file database under a directory.
 *
 * <p>NB: {@code WRITE_DELAY=0} is what makes an acknowledged persist survive {@code kill -9}
 * (with H2's default write delay, hundreds of acknowledged events were lost on a halt).
 * pekko-persistence-jdbc does not create its tables: {@link #h2} runs the H2 DDL shipped in its
 * jar (made idempotent) before returning.
 *
 * <p>NB: each H2 commit writes a new MVStore chunk holding every page it changed. Two settings keep
 * that small and rare: event payloads up to {@link #INPLACE_LOB_BYTES} are stored in the row
 * (H2's default of 256 bytes sent nearly every event through its LOB maps, three more B-trees
 * re-written per commit), and one batch insert at a time ({@code jdbc-journal.parallelism = 1}:
 * H2 serialises the commits anyway, so the events that arrive meanwhile go into the next batch
 * instead of waiting for their own commit). TPC-C W=1: 1,246 → 2,028 tpmC.
 */
public final class StorageConfig {
  private StorageConfig() {}

  /** Event and snapshot payloads up to this size live in the journal's rows rather than H2's LOB store. */
  static final int INPLACE_LOB_BYTES = 65_536;

  static final String DUPLICATE_ORDERING_INDEX = "event_journal_ordering_idx";

  /** The JDBC URL of the journal database in {@code storeDir}. */
  public static String h2Url(Path storeDir) {
    return "jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("journal")
        + ";WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=" + INPLACE_LOB_BYTES;
  }

  /**
   * Creates {@code storeDir} and the journal schema if needed, and returns the config selecting
   * the jdbc journal and snapshot store on it. Use as {@code h2(dir).withFallback(ConfigFactory.load())}.
   */
  public static Config h2(Path storeDir) {
    String url = h2Url(storeDir);
    createSchema(storeDir, url);
    // One shared database (one connection pool) for the journal, snapshots and queries.
    return ConfigFactory.parseString("""
        pekko.persistence.journal.plugin = "jdbc-journal"
        pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
        jdbc-journal.use-shared-db = "troupe"
        jdbc-snapshot-store.use-shared-db = "troupe"
        jdbc-read-journal.use-shared-db = "troupe"
        jdbc-durable-state-store.use-shared-db = "troupe"
        jdbc-journal.parallelism = 1
        pekko-persistence-jdbc.shared-databases.troupe {
          profile = "slick.jdbc.H2Profile$"
          db {
            url = ${url}
            user = "sa"
            password = ""
            driver = "org.h2.Driver"
            numThreads = 4
            maxConnections = 4
            minConnections = 1
            connectionTimeout = 30000
          }
        }
        """).resolveWith(ConfigFactory.parseMap(java.util.Map.of("url", url)));
  }

  private static void createSchema(Path storeDir, String url) {
    try {
      Files.createDirectories(storeDir);
      String ddl;
      try (InputStream in = StorageConfig.class.getClassLoader().getResourceAsStream("schema/h2/h2-create-schema.sql")) {
        if (in == null) {
          throw new IllegalStateException("schema/h2/h2-create-schema.sql not found in pekko-persistence-jdbc");
        }
        ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      ddl = ddl.replace("CREATE UNIQUE INDEX \"", "CREATE UNIQUE INDEX IF NOT EXISTS \"");
      try (Connection conn = DriverManager.getConnection(url, "sa", "");
          Statement st = conn.createStatement()) {
        for (String sql : ddl.split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
        // The shipped schema's unique index on "ordering" repeats the index of that column's UNIQUE
        // constraint: one more B-tree re-written by every commit, read by no query.
        st.execute("DROP INDEX IF EXISTS PUBLIC.\"" + DUPLICATE_ORDERING_INDEX + "\"");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the journal schema at " + url, e);
    }
  }
}
