package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.troupedb.range.Keys;

/**
 * Write pipelining (after CockroachDB's txnPipeliner): a statement's intent writes are sent and
 * the statement returns without waiting for them; this tracks the writes still in flight, by key,
 * so that what must see them waits for exactly them:
 *
 * <ul>
 *   <li>a read of a key (or a span) waits for the in-flight writes of keys it covers — read your
 *       own writes, without waiting for writes elsewhere;
 *   <li>a write of a key waits for the in-flight writes of the same key — the range applies a
 *       transaction's writes to one key in the order the statements made them;
 *   <li>commit, rollback and ROLLBACK TO wait for all of them — the commit is never acknowledged
 *       before every intent it covers is durable (the outcome of each write is checked there).
 * </ul>
 *
 * <p>A write that fails (a push aborted the transaction, a conflict that did not clear) is
 * remembered: the transaction's next operation, or its commit, fails with that error.
 *
 * <p>NB: the caller's thread adds writes while replies complete them on others: every field is
 * guarded by {@code this}.
 */
final class WritePipeline {
  private record InFlight(List<byte[]> keys, CompletableFuture<Void> done) {}

  // Guarded by this.
  private final List<InFlight> inFlight = new ArrayList<>();
  private Throwable failure;

  /** Tracks {@code done}, the write of {@code keys}, until it completes. */
  void track(List<byte[]> keys, CompletableFuture<Void> done) {
    InFlight f = new InFlight(keys, done);
    synchronized (this) {
      inFlight.add(f);
    }
    done.whenComplete((v, err) -> {
      synchronized (this) {
        inFlight.remove(f);
        if (err != null && failure == null) {
          failure = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        }
      }
    });
  }

  /** The error of a write that failed after its statement returned; null if none did. */
  synchronized Throwable failure() {
    return failure;
  }

  /** Whether any write is still in flight. */
  synchronized boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** Completes when the in-flight writes of any of {@code keys} have (failed writes fail it). */
  CompletableFuture<Void> awaitKeys(List<byte[]> keys) {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    synchronized (this) {
      if (inFlight.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      TreeSet<byte[]> probe = new TreeSet<>(Keys.COMPARATOR);
      probe.addAll(keys);
      for (InFlight f : inFlight) {
        if (overlaps(f.keys(), probe)) {
          waits.add(f.done());
        }
      }
    }
    return all(waits);
  }

  /** Completes when the in-flight writes of keys in {@code [start, end)} (null end: unbounded) have. */
  CompletableFuture<Void> awaitSpan(byte[] start, byte[] end) {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    synchronized (this) {
      for (InFlight f : inFlight) {
        for (byte[] k : f.keys()) {
          if (Keys.compare(k, start) >= 0 && (end == null || Keys.compare(k, end) < 0)) {
            waits.add(f.done());
            break;
          }
        }
      }
    }
    return all(waits);
  }

  /** Completes when every write in flight now has. */
  CompletableFuture<Void> awaitAll() {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    synchronized (this) {
      for (InFlight f : inFlight) {
        waits.add(f.done());
      }
    }
    return all(waits);
  }

  private static CompletableFuture<Void> all(List<CompletableFuture<Void>> waits) {
    if (waits.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return waits.size() == 1 ? waits.get(0) : CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
  }

  private static boolean overlaps(List<byte[]> keys, TreeSet<byte[]> probe) {
    for (byte[] k : keys) {
      if (probe.contains(k)) {
        return true;
      }
    }
    return false;
  }
}
