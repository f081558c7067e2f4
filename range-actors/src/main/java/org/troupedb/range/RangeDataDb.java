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
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The node's one RocksDB of range data ({@code troupedb.kv.range-storage = disk}), shared by its
 * ranges, each in its own key prefix ({@link DiskRecords}; {@link DiskEntries} is one range's view).
 * A block cache of {@code troupedb.kv.disk-cache-size} bytes keeps the working set in memory.
 *
 * <p>Two modes ({@link #open}): <b>durable</b> (a single node's journal: the store survives restarts;
 * each range writes its applied journal sequence number and small state with the data of the
 * events it applies, {@link RangeStoreSync}; the WAL is on but not synced, since the journal is,
 * and {@link #syncWal} runs before every marker snapshot), or <b>rebuilt</b> (a Cassandra journal:
 * a range clears its prefix when it starts and rebuilds it from full snapshots and replay, so
 * writes skip the WAL and the store is emptied when it opens).
 *
 * <p>Besides the ranges' data ({@link DiskRecords}) the store holds one <i>applied-state</i> record
 * per range under {@link #appliedKey}: the prefix {@code FF x 8} (no range id reaches it) and the
 * range's store id.
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
  private final WriteOptions writes;
  private final boolean durable;
  private final ReadOptions reads = new ReadOptions();
  private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
  private boolean closed; // under inUse

  private RangeDataDb(Path dir, long cacheBytes, boolean durable) throws RocksDBException {
    this.durable = durable;
    this.writes = new WriteOptions().setDisableWAL(!durable).setSync(false);
    this.cache = new LRUCache(cacheBytes);
    this.options = new Options().setCreateIfMissing(true).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2).setMaxBackgroundJobs(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
            .setFilterPolicy(new BloomFilter(10, false)).setCacheIndexAndFilterBlocks(false));
    this.db = RocksDB.open(options, dir.toString());
  }

  /** Opens the store in {@code dir}, emptied (the rebuilt mode, see the class comment). */
  public static RangeDataDb open(Path dir, long cacheBytes) {
    return open(dir, cacheBytes, false);
  }

  /**
   * Opens the store in {@code dir}: {@code durable}, as it was left (with the WAL on); otherwise
   * emptied, the WAL off (see the class comment).
   */
  public static RangeDataDb open(Path dir, long cacheBytes, boolean durable) {
    try {
      Files.createDirectories(dir);
      if (!durable) {
        try (Options o = new Options()) {
          RocksDB.destroyDB(dir.toString(), o);
        }
      }
      Files.createDirectories(dir);
      return new RangeDataDb(dir, cacheBytes, durable);
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

  /**
   * A new iterator over the store with {@code overlay}'s writes on top (null or empty: the store
   * alone), holding the store open until {@link #release}d (on the same thread). NB: the overlay
   * must not change while the iterator is in use.
   */
  RocksIterator openIterator(WriteBatchWithIndex overlay) {
    RocksIterator base = openIterator();
    if (overlay == null || overlay.count() == 0) {
      return base;
    }
    try {
      return overlay.newIteratorWithBase(base); // owns base from now on
    } catch (RuntimeException e) {
      release(base);
      throw e;
    }
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

  /** Writes {@code batch} (the overlay of a durable range) to the store. */
  void write(WriteBatchWithIndex batch) {
    use((d, r) -> {
      d.write(writes, batch);
      return null;
    });
  }

  /** The value of record {@code key}, or null. */
  byte[] get(byte[] key) {
    return use((d, r) -> d.get(r, key));
  }

  /** The value of record {@code key} with {@code overlay}'s writes on top (null: the store alone), or null. */
  byte[] get(WriteBatchWithIndex overlay, byte[] key) {
    if (overlay == null || overlay.count() == 0) {
      return get(key);
    }
    return use((d, r) -> overlay.getFromBatchAndDB(d, r, key));
  }

  /** Whether the store survives restarts (see the class comment). */
  boolean durable() {
    return durable;
  }

  /**
   * Durable mode: makes everything written so far survive a machine crash (the WAL synced), before
   * a marker snapshot lets the journal delete the events it applied.
   */
  void syncWal() {
    if (durable) {
      use((d, r) -> {
        d.flushWal(true);
        return null;
      });
    }
  }

  /** The key of store {@code storeId}'s applied-state record (see the class comment). */
  static byte[] appliedKey(long storeId) {
    byte[] k = new byte[2 * DiskRecords.STORE_ID_BYTES];
    System.arraycopy(DiskRecords.prefixOf(-1L), 0, k, 0, DiskRecords.STORE_ID_BYTES);
    System.arraycopy(DiskRecords.prefixOf(storeId), 0, k, DiskRecords.STORE_ID_BYTES, DiskRecords.STORE_ID_BYTES);
    return k;
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

  /**
   * Deletes record {@code key} and then (null {@code from}: nothing more) every record in {@code
   * [from, to)}, as one batch.
   */
  void clear(byte[] key, byte[] from, byte[] to) {
    try (WriteBatch b = new WriteBatch()) {
      b.delete(key);
      if (from != null) {
        b.deleteRange(from, to);
      }
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
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
