package org.troupedb.range.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit across every writer of the store: one thread takes whatever writes are queued,
 * puts them all in one RocksDB {@link WriteBatch} and writes it once (one WAL append, and with
 * {@code sync} one fdatasync), then completes every one of them.
 *
 * <pre>
 *   range A ─┐                 ┌─ take all queued ─▶ WriteBatch ─▶ db.write(sync) ─▶ complete A, B, C
 *   range B ─┼─▶ queue ─▶ writer thread
 *   range C ─┘   (what arrives meanwhile waits for the next batch)
 * </pre>
 *
 * No write is completed before the batch holding it is durable; a batch that fails fails all of
 * its writes (their actors see a persist failure and stop). Writes are applied in the order they
 * were submitted, so a later write of the same key wins.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** One write: what it puts into the batch. */
  interface Op {
    void addTo(WriteBatch batch) throws Exception;
  }

  private record Pending(Op op, int events, CompletableFuture<Void> done) {}

  private final RocksDB db;
  private final WriteOptions options;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final JournalStats stats;
  private volatile boolean closed;

  GroupCommitWriter(RocksDB db, boolean sync, int maxBatch, JournalStats stats, String name) {
    this.db = db;
    this.options = new WriteOptions().setSync(sync);
    this.maxBatch = maxBatch;
    this.stats = stats;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a write of {@code events} events; completes once it is durable. */
  CompletableFuture<Void> submit(Op op, int events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("the journal is closed"));
      return done;
    }
    Pending p = new Pending(op, events, done);
    queue.add(p);
    if (closed && queue.remove(p)) { // raced with close(): nobody will write it
      done.completeExceptionally(new IllegalStateException("the journal is closed"));
    }
    return done;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.done().completeExceptionally(new IllegalStateException("the journal is closed"));
    }
  }

  private void write(List<Pending> batch) {
    long events = 0;
    try (WriteBatch wb = new WriteBatch()) {
      for (Pending p : batch) {
        p.op().addTo(wb);
        events += p.events();
      }
      db.write(options, wb);
    } catch (Exception e) {
      LOG.error("journal batch of {} writes failed", batch.size(), e);
      for (Pending p : batch) {
        p.done().completeExceptionally(e);
      }
      return;
    }
    stats.batchWritten(batch.size(), events);
    for (Pending p : batch) {
      p.done().complete(null);
    }
  }

  /** Writes what is queued, then stops the thread; later submits fail. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("journal writer still running after 30 s");
    }
    options.close();
  }
}
