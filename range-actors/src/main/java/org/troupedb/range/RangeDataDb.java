package org.troupedb.range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's one RocksDB of range data ({@code troupedb.kv.range-storage = disk}), shared by its
 * ranges, each in its own key prefix ({@link DiskRecords}; {@link DiskEntries} is one range's view).
 * A block cache of {@code troupedb.kv.disk-cache-size} bytes keeps the working set in memory.
 *
 * <p>In this increment the journal (and its snapshots) stays what a range recovers from: a range
 * clears its prefix when it starts and rebuilds it by replay, so writes skip RocksDB's WAL and the
 * store is emptied when it opens (whatever an earlier process left is rebuilt the same way).
 *
 * <p>NB: reads and writes come from range actors and local readers on any thread; they hold
 * {@link #inUse} shared, and {@link #close} takes it exclusively, so that nothing touches the
 * native store after it is closed (that would crash the JVM, not throw).
 */
public final class RangeDataDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final LRUCache cache;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions writes = new WriteOptions().setDisableWAL(true);
  private final ReadOptions reads = new ReadOptions();
  private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
  private boolean closed; // under inUse

  private RangeDataDb(Path dir, long cacheBytes) throws RocksDBException {
    this.cache = new LRUCache(cacheBytes);
    this.options = new Options().setCreateIfMissing(true).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2).setMaxBackgroundJobs(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
            .setFilterPolicy(new BloomFilter(10, false)).setCacheIndexAndFilterBlocks(false));
    this.db = RocksDB.open(options, dir.toString());
  }

  /** Opens the store in {@code dir}, emptied (see the class comment). */
  public static RangeDataDb open(Path dir, long cacheBytes) {
    try {
      Files.createDirectories(dir);
      try (Options o = new Options()) {
        RocksDB.destroyDB(dir.toString(), o);
      }
      Files.createDirectories(dir);
      return new RangeDataDb(dir, cacheBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the range store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Something done with the open store. */
  interface Use<T> {
    T run(RocksDB db, ReadOptions reads) throws RocksDBException;
  }

  /** Runs {@code use} while the store is open. */
  <T> T use(Use<T> use) {
    inUse.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the range store is closed");
      }
      return use.run(db, reads);
    } catch (RocksDBException e) {
      throw new IllegalStateException("range store: " + e.getMessage(), e);
    } finally {
      inUse.readLock().unlock();
    }
  }

  /** A new iterator, holding the store open until {@link #release}d (on the same thread). */
  RocksIterator openIterator() {
    inUse.readLock().lock();
    if (closed) {
      inUse.readLock().unlock();
      throw new IllegalStateException("the range store is closed");
    }
    return db.newIterator(reads);
  }

  /** Closes an iterator of {@link #openIterator}. */
  void release(RocksIterator it) {
    try {
      it.close();
    } finally {
      inUse.readLock().unlock();
    }
  }

  void write(WriteBatch batch) {
    use((d, r) -> {
      d.write(writes, batch);
      return null;
    });
  }

  /** The value of record {@code key}, or null. */
  byte[] get(byte[] key) {
    return use((d, r) -> d.get(r, key));
  }

  /** Flushes the memtables and compacts everything (benchmarks: the steady state). */
  void compact() {
    use((d, r) -> {
      try (org.rocksdb.FlushOptions f = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
        d.flush(f);
      }
      d.compactRange();
      return null;
    });
  }

  /** Deletes every record in {@code [from, to)}. */
  void deleteRange(byte[] from, byte[] to) {
    use((d, r) -> {
      d.deleteRange(writes, from, to);
      return null;
    });
  }

  @Override
  public void close() {
    inUse.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      writes.close();
      reads.close();
      db.close();
      options.close();
      cache.close();
    } finally {
      inUse.writeLock().unlock();
    }
  }
}
