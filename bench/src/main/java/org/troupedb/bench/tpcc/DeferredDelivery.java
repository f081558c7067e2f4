package org.troupedb.bench.tpcc;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The deferred execution of Delivery (clause 2.7.2): terminals {@link #submit} a request (the
 * warehouse, the carrier and the time it was queued) and go on; worker threads, each with its own
 * connection, run the business transaction ({@link DeliveryTxn#execute}, retrying serialization
 * failures like a terminal) and append one line per completed request to the result file
 * (clause 2.7.2.3):
 *
 * <pre>
 *   queued=2026-11-24T03:50:01.123Z warehouse=1 carrier=7 completed=2026-11-24T03:50:01.140Z skipped=0
 * </pre>
 *
 * <p>Requests queued inside the measured window feed {@link RunStats#deferredCompleted} (queue to
 * completion latency, for the 90%-within-80-s check of clause 5.2.5.4).
 */
final class DeferredDelivery {

  /** One queued request; {@code txn == null} tells a worker to stop. */
  private record Request(DeliveryTxn txn, Instant queuedAt, long queuedNanos) {}

  private static final Request STOP = new Request(null, null, 0);

  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();
  private final Terminal.Window window;
  private final RunStats stats;
  private final BufferedWriter results;
  private boolean closed; // guarded by results

  /**
   * Starts {@code workers} threads. Their retries go on past the end of the run for up to
   * {@code drain}, the time {@link #finish} waits for the queue to empty.
   */
  DeferredDelivery(Db db, int isolation, Scale scale, IntFunction<TpccRandom> randoms, Terminal.Window window,
      Duration drain, RunStats stats, Path resultFile, int workers) throws IOException {
    this.window = window;
    this.stats = stats;
    this.results = Files.newBufferedWriter(resultFile, StandardCharsets.UTF_8);
    Terminal.Window workerWindow = new Terminal.Window(window.measureFromNanos(),
        window.endNanos() + drain.toNanos());
    for (int i = 0; i < workers; i++) {
      Terminal session = new Terminal(db, isolation, scale, null, randoms.apply(i), false, workerWindow,
          stats, null);
      Thread th = new Thread(() -> work(session), "tpcc-delivery-" + i);
      th.setDaemon(true);
      this.workers.add(th);
      th.start();
    }
  }

  /** Queues a request; returns at once (the "Delivery has been queued" screen). */
  void submit(DeliveryTxn txn) {
    long now = System.nanoTime();
    if (now >= window.measureFromNanos() && now <= window.endNanos()) {
      stats.deferredQueued();
    }
    queue.add(new Request(txn, Instant.now(), now));
  }

  /**
   * Lets the workers finish what is queued, waiting at most {@code timeout}, then closes the
   * result file; returns how many requests were still queued or running when it gave up.
   */
  int finish(Duration timeout) throws InterruptedException {
    for (int i = 0; i < workers.size(); i++) {
      queue.add(STOP);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int unfinished = 0;
    for (Thread th : workers) {
      th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (th.isAlive()) {
        th.interrupt();
        unfinished++;
      }
    }
    unfinished += (int) queue.stream().filter(r -> r.txn() != null).count();
    queue.clear();
    synchronized (results) {
      try {
        closed = true;
        results.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return unfinished;
  }

  private void work(Terminal session) {
    try {
      for (Request r = queue.take(); r.txn() != null; r = queue.take()) {
        TpccTxn.Result result = session.attempt(r.txn());
        if (result == null) {
          continue; // counted as a Delivery error by the session
        }
        long done = System.nanoTime();
        if (r.queuedNanos() >= window.measureFromNanos() && r.queuedNanos() <= window.endNanos()) {
          stats.deferredCompleted((done - r.queuedNanos()) / 1000, result.skippedDeliveries());
        }
        write(r, Instant.now(), result.skippedDeliveries());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      session.closeQuietly();
    }
  }

  private void write(Request r, Instant completed, int skipped) {
    String line = "queued=" + r.queuedAt() + " warehouse=" + r.txn().warehouse() + " carrier="
        + r.txn().carrier() + " completed=" + completed + " skipped=" + skipped;
    synchronized (results) {
      if (closed) {
        return; // completed after finish() gave up on it
      }
      try {
        results.write(line);
        results.newLine();
        results.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
