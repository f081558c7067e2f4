package org.troupedb.txn;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Keys;
import org.troupedb.range.Kv;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/**
 * The read requests of one transaction: point reads and range-by-range scans at the read
 * timestamp. What each returned is recorded with the {@link SpanRefresher} (a limited scan only up
 * to its last row); an intent in the way goes to the {@link ConflictWaiter}; a committed value
 * inside the uncertainty window moves the reads above it (CockroachDB's uncertainty restart,
 * without a restart while the earlier reads still hold there).
 *
 * <p>Why here: under the transaction's read entry points, which order a read after its own
 * writes and turn it into a locking read; above the refresher and the waiter, which it feeds.
 *
 * <p>Threads: nothing mutable of its own; it runs on the caller's thread and the reply threads
 * the current operation continues on.
 */
final class TxnReader {
  private final RangeClient client;
  private final UUID txnId;
  /**
   * The upper end of the uncertainty window, fixed at begin (null: none): a committed value in
   * (readTs, limit] may have been written before this transaction began, on a clock up to the
   * max offset ahead of ours, so reads must move above it.
   */
  private final Timestamp uncertaintyLimit;
  private final SpanRefresher refresher;
  private final ConflictWaiter waiter;
  private final Supplier<Txn.ReadLock> readLock;
  private final Consumer<Timestamp> raiseWriteTs;

  /**
   * @param readLock     the transaction's current read-lock mode (a locking read reads locks as conflicts)
   * @param raiseWriteTs moves the transaction's write timestamp up (after the reads moved above an uncertain value)
   */
  TxnReader(RangeClient client, UUID txnId, Timestamp uncertaintyLimit, SpanRefresher refresher,
      ConflictWaiter waiter, Supplier<Txn.ReadLock> readLock, Consumer<Timestamp> raiseWriteTs) {
    this.client = client;
    this.txnId = txnId;
    this.uncertaintyLimit = uncertaintyLimit;
    this.refresher = refresher;
    this.waiter = waiter;
    this.readLock = readLock;
    this.raiseWriteTs = raiseWriteTs;
  }

  /** The value of {@code key} at the read timestamp (null: none). */
  CompletionStage<byte[]> get(byte[] key) {
    return getAttempt(key, 0);
  }

  /** Up to {@code limit} rows ({@code <= 0}: all) in {@code [start, end)}, range by range. */
  CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
    return scanFrom(start, end, limit, new java.util.ArrayList<>(), 0);
  }

  private CompletionStage<byte[]> getAttempt(byte[] key, int attempt) {
    Txn.ReadLock lock = readLock.get();
    return client.send(key,
        r -> new RangeActor.Get(key, txnId, refresher.readTs(), lock != Txn.ReadLock.NONE, uncertainty(), r))
        .thenCompose(routed -> {
      RangeActor.Reply reply = routed.reply();
      if (reply instanceof RangeActor.ValueReply v) {
        refresher.record(key, Keys.next(key));
        return CompletableFuture.completedFuture(v.value());
      }
      if (reply instanceof RangeActor.ConflictReply c) {
        return waiter.afterConflict(c.intents(), attempt, () -> getAttempt(key, attempt + 1),
            () -> CompletableFuture.completedFuture(null));
      }
      if (reply instanceof RangeActor.UncertainReply u) {
        return afterUncertain(u.valueTs(), attempt, () -> getAttempt(key, attempt + 1));
      }
      throw RangeReplies.unexpected(reply);
    });
  }

  /** Scans range by range from {@code cur}: each request is clipped to the range holding {@code cur}. */
  private CompletionStage<List<KeyValue>> scanFrom(byte[] cur, byte[] end, int limit, List<KeyValue> acc,
      int attempt) {
    if (end != null && Keys.compare(cur, end) >= 0) {
      return CompletableFuture.completedFuture(acc);
    }
    Txn.ReadLock lock = readLock.get();
    AtomicReference<byte[]> segEndRef = new AtomicReference<>();
    return client.send(cur, r -> {
      RangeDescriptor d = client.lookup(cur);
      byte[] segEnd = minEnd(end, d.endKey());
      segEndRef.set(segEnd);
      return new RangeActor.Scan(cur, segEnd, txnId, refresher.readTs(), limit <= 0 ? 0 : limit - acc.size(),
          lock != Txn.ReadLock.NONE, lock.skipLocked(), uncertainty(), r);
    }).thenCompose(routed -> {
      RangeActor.Reply reply = routed.reply();
      if (reply instanceof RangeActor.ConflictReply c) {
        return waiter.afterConflict(c.intents(), attempt, () -> scanFrom(cur, end, limit, acc, attempt + 1));
      }
      if (reply instanceof RangeActor.UncertainReply u) {
        return afterUncertain(u.valueTs(), attempt, () -> scanFrom(cur, end, limit, acc, attempt + 1));
      }
      if (!(reply instanceof RangeActor.RowsReply rows)) {
        throw RangeReplies.unexpected(reply);
      }
      if (!rows.skipped().isEmpty() && attempt < ConflictWaiter.MAX_CONFLICT_ATTEMPTS) {
        // SKIP LOCKED left rows out: skip only those of live holders; a finished or abandoned
        // holder's intents are resolved and the segment read again.
        return waiter.clearsAny(rows.skipped()).thenCompose(cleared -> cleared
            ? scanFrom(cur, end, limit, acc, attempt + 1) : acceptRows(rows, cur, end, limit, acc, segEndRef.get()));
      }
      return acceptRows(rows, cur, end, limit, acc, segEndRef.get());
    });
  }

  private CompletionStage<List<KeyValue>> acceptRows(RangeActor.RowsReply rows, byte[] cur, byte[] end, int limit,
      List<KeyValue> acc, byte[] segEnd) {
    for (Kv kv : rows.rows()) {
      acc.add(new KeyValue(kv.key(), kv.value()));
    }
    if (limit > 0 && acc.size() >= limit) {
      refresher.record(cur, Keys.next(acc.get(acc.size() - 1).key()));
      return CompletableFuture.completedFuture(acc);
    }
    if (rows.resumeKey() != null) { // the range cut the reply short: continue in the same range
      refresher.record(cur, rows.resumeKey());
      return scanFrom(rows.resumeKey(), end, limit, acc, 0);
    }
    refresher.record(cur, segEnd);
    if (segEnd == null || (end != null && Keys.compare(segEnd, end) >= 0)) {
      return CompletableFuture.completedFuture(acc);
    }
    return scanFrom(segEnd, end, limit, acc, 0);
  }

  /** The uncertainty limit to send with a read, or null once the reads have moved past it. */
  private Timestamp uncertainty() {
    return uncertaintyLimit != null && uncertaintyLimit.compareTo(refresher.readTs()) > 0 ? uncertaintyLimit : null;
  }

  /**
   * A read met a committed value at {@code valueTs} inside the uncertainty window: move the reads
   * up to it (refreshing the earlier ones there, so nothing restarts when they still hold) and
   * read again; if the earlier reads changed, the transaction restarts (40001
   * ReadWithinUncertaintyIntervalError). Implicit statements retry that internally.
   */
  private <T> CompletionStage<T> afterUncertain(Timestamp valueTs, int attempt, Supplier<CompletionStage<T>> retry) {
    if (attempt >= ConflictWaiter.MAX_CONFLICT_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.UNCERTAINTY, "values keep appearing in the window");
    }
    Timestamp from = refresher.readTs();
    return refresher.refresh(valueTs).thenCompose(ok -> {
      if (!ok) {
        throw new TxnRetryException(TxnRetryException.Reason.UNCERTAINTY, "read at " + from
            + " found a value at " + valueTs + " (within the max clock offset) and earlier reads changed");
      }
      raiseWriteTs.accept(refresher.readTs());
      return retry.get();
    });
  }

  private static byte[] minEnd(byte[] a, byte[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Keys.compare(a, b) <= 0 ? a : b;
  }
}
