package org.troupedb.range;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 journal's file from growing without bound.
 *
 * <pre>
 *   every interval: fill rate of the live chunks < target? ─▶ MVStore.compact(target, write-bytes)
 *                   (re-writes the live pages of the emptiest chunks; their space is then reused)
 * </pre>
 *
 * <p>NB: H2 stores one MVStore chunk per commit, and a chunk stays on disk while any page in it is
 * still live. H2's own background writer re-writes such mostly-dead chunks, but it runs only with
 * a write delay, and {@link StorageConfig} sets {@code WRITE_DELAY=0} so that an acknowledged
 * commit survives {@code kill -9}. Without this task a TPC-C run grew the file by about 30 MB/s
 * with under 10% of it live. Compaction copies only live pages and commits like any write; what a
 * commit acknowledged stays where it was until its copy is stored (by the round's own
 * {@code MVStore.commit()}, as H2's background writer would).
 */
public final class JournalCompactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalCompactor.class);

  /** {@code troupedb.kv.journal-compaction}: interval (0 = off), target-fill-rate (%), write-bytes. */
  public record Settings(Duration interval, int targetFillRate, long writeBytes) {
    public Settings {
      if (targetFillRate < 1 || targetFillRate > 99) {
        throw new IllegalArgumentException("target-fill-rate must be within 1..99: " + targetFillRate);
      }
      if (writeBytes < 1 || writeBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("write-bytes must be within 1..2^31-1: " + writeBytes);
      }
    }

    public static Settings from(Config c) {
      Config s = c.getConfig("troupedb.kv.journal-compaction");
      return new Settings(s.getDuration("interval"), s.getInt("target-fill-rate"), s.getBytes("write-bytes"));
    }

    boolean enabled() {
      return !interval.isZero();
    }
  }

  private final Connection conn;
  private final MVStore store;
  private final Settings settings;
  private final ScheduledExecutorService timer;
  private final AtomicLong compactions = new AtomicLong();

  private JournalCompactor(Connection conn, MVStore store, Settings settings) {
    this.conn = conn;
    this.store = store;
    this.settings = settings;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "journal-compactor");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts compacting the journal database in {@code storeDir} (see {@link StorageConfig#h2Url}),
   * or returns a compactor that does nothing when the interval is 0. It holds a connection, which
   * keeps the database open until {@link #close}.
   */
  public static JournalCompactor start(Path storeDir, Settings settings) throws SQLException {
    if (!settings.enabled()) {
      return new JournalCompactor(null, null, settings);
    }
    Connection conn = DriverManager.getConnection(StorageConfig.h2Url(storeDir), "sa", "");
    try {
      MVStore store = ((SessionLocal) conn.unwrap(JdbcConnection.class).getSession())
          .getDatabase().getStore().getMvStore();
      JournalCompactor c = new JournalCompactor(conn, store, settings);
      long ms = settings.interval().toMillis();
      c.timer.scheduleWithFixedDelay(c::compactOnce, ms, ms, TimeUnit.MILLISECONDS);
      return c;
    } catch (SQLException | RuntimeException e) {
      conn.close();
      throw e;
    }
  }

  /** One round: re-writes up to write-bytes of the emptiest chunks if the fill rate is below target. */
  void compactOnce() {
    try {
      if (!store.isClosed() && store.compact(settings.targetFillRate(), (int) settings.writeBytes())) {
        store.commit(); // stores the copied pages now rather than with the next write
        compactions.incrementAndGet();
      }
    } catch (RuntimeException e) {
      // A failed round loses nothing (the pages it copied are not yet referenced); the next tries again.
      LOG.warn("journal compaction failed; retrying in {}", settings.interval(), e);
    }
  }

  /** Rounds that re-wrote something. */
  public long compactions() {
    return compactions.get();
  }

  /** Percentage of the live chunks' bytes that are live pages (100 when off). */
  public int chunksFillRate() {
    return store == null ? 100 : store.getFileStore().getChunksFillRate();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("journal compaction still running after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        LOG.warn("closing the journal compactor's connection", e);
      }
    }
  }
}
