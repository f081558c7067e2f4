package org.troupedb.range.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB store of the embedded journal, shared by the journal and the snapshot store of
 * the ActorSystems that name the same directory (RocksDB allows one opener per directory), and
 * closed when the last of them releases it. Writes of events go through its
 * {@link GroupCommitWriter}; reads go straight to RocksDB.
 */
final class JournalDb {
  static {
    RocksDB.loadLibrary();
  }

  /** The store format this build writes and reads (key {@link JournalKeys#FORMAT}). */
  static final long FORMAT_VERSION = 1;

  private static final Map<Path, JournalDb> OPEN = new HashMap<>();

  private final Path dir;
  private final Options options;
  final RocksDB db;
  final GroupCommitWriter writer;
  final WriteOptions directWrites;
  private int refs;
  /** Reads and direct writes hold it shared; closing takes it exclusively (RocksDB must not close under them). */
  private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
  private boolean closed;

  /** Something done with the open store. */
  interface Use<T> {
    T run(RocksDB db) throws Exception;
  }

  private JournalDb(Path dir, boolean sync, int maxBatch, JournalStats stats) throws RocksDBException {
    this.dir = dir;
    this.options = new Options().setCreateIfMissing(true).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2).setMaxBackgroundJobs(2);
    RocksDB opened;
    try {
      opened = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      options.close();
      throw e;
    }
    this.db = opened;
    this.directWrites = new WriteOptions().setSync(sync);
    try {
      checkFormat();
    } catch (RocksDBException | RuntimeException e) {
      db.close();
      options.close();
      throw e;
    }
    this.writer = new GroupCommitWriter(db, sync, maxBatch, stats, "journal-writer-" + dir.getFileName());
  }

  /** Opens (or shares) the store in {@code dir}; every acquire needs one {@link #release}. */
  static synchronized JournalDb acquire(Path dir, boolean sync, int maxBatch, JournalStats stats)
      throws RocksDBException, java.io.IOException {
    Path key = dir.toAbsolutePath().normalize();
    JournalDb db = OPEN.get(key);
    if (db == null) {
      Files.createDirectories(key);
      db = new JournalDb(key, sync, maxBatch, stats);
      OPEN.put(key, db);
    }
    db.refs++;
    return db;
  }

  /** Drops one reference; the last one writes what is queued and closes the store. */
  void release() {
    synchronized (JournalDb.class) {
      if (--refs > 0) {
        return;
      }
      OPEN.remove(dir);
    }
    writer.close();
    inUse.writeLock().lock();
    try {
      closed = true;
      directWrites.close();
      db.close();
      options.close();
    } finally {
      inUse.writeLock().unlock();
    }
  }

  /** Runs {@code use} on the store, which stays open meanwhile; fails if it is closed. */
  <T> T use(Use<T> use) throws Exception {
    inUse.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the journal store at " + dir + " is closed");
      }
      return use.run(db);
    } finally {
      inUse.readLock().unlock();
    }
  }

  /** The highest sequence number written for {@code persistenceId} (0: none), deletes notwithstanding. */
  long highestSeqNr(String persistenceId) throws Exception {
    byte[] v = use(d -> d.get(JournalKeys.highest(persistenceId)));
    return v == null ? 0 : JournalKeys.bytesLong(v);
  }

  /** Queues a write for the next group commit. */
  CompletableFuture<Void> write(GroupCommitWriter.Op op, int events) {
    return writer.submit(op, events);
  }

  private void checkFormat() throws RocksDBException {
    byte[] v = db.get(JournalKeys.FORMAT);
    if (v == null) {
      try (RocksIterator it = db.newIterator()) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new IllegalStateException("the journal store at " + dir + " holds data but no format version");
        }
      }
      db.put(directWrites, JournalKeys.FORMAT, JournalKeys.longBytes(FORMAT_VERSION));
    } else if (JournalKeys.bytesLong(v) != FORMAT_VERSION) {
      throw new IllegalStateException("the journal store at " + dir + " has format " + JournalKeys.bytesLong(v)
          + "; this build reads format " + FORMAT_VERSION);
    }
  }
}
