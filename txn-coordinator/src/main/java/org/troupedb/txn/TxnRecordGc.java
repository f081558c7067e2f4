package org.troupedb.txn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Scheduler;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import scala.concurrent.ExecutionContext;

/**
 * Drops the records of finished transactions in batches: a record whose remote intents are all
 * resolved waits here up to {@code delay}, and then one {@link RangeActor.GcTxnRecords} per anchor
 * range removes every record that gathered meanwhile (one mailbox command and one event list for
 * many commits, instead of a third end command per commit).
 *
 * <pre>
 *   TxnFinisher: remote intents resolved ─▶ gc(txn, anchor) ─▶ waiting list ─(delay, or maxBatch
 *   reached)─▶ RangeClient.sendBatch: grouped by anchor range ─▶ GcTxnRecords ─▶ each entry completes
 * </pre>
 *
 * <p>Why this is safe: a missing record reads as aborted ({@code PushTxn} writes ABORTED for it),
 * so a committed transaction's record must outlive every one of its intents; an entry is handed
 * in only after the last one was resolved (as the single {@link RangeActor.GcTxnRecord} was), and
 * the batching only makes the record live longer. A record whose entry is lost (the node stops
 * before the batch goes) stays final, as one whose GcTxnRecord was lost did: a leak, never a
 * wrong answer. {@code delay} 0: one GcTxnRecord per transaction, at once.
 *
 * <p>NB: {@link #gc} is called from any thread; the waiting list is guarded by {@code this}.
 */
final class TxnRecordGc {
  /** At most this many records per batch: a full list goes at once, without waiting for the delay. */
  static final int MAX_BATCH = 256;

  private record Entry(UUID txnId, byte[] anchorKey, CompletableFuture<Void> done) {}

  private final RangeClient client;
  private final Duration delay;
  private final Scheduler scheduler;
  private final ExecutionContext executor;

  /** Guarded by this: the entries of the next batch, and whether its send is scheduled. */
  private List<Entry> waiting = new ArrayList<>();
  private boolean scheduled;

  TxnRecordGc(RangeClient client, Duration delay, Scheduler scheduler, ExecutionContext executor) {
    this.client = client;
    this.delay = delay;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** Removes {@code txnId}'s final record at {@code anchorKey}; completes once it is gone. */
  CompletionStage<Void> gc(UUID txnId, byte[] anchorKey) {
    if (delay.isZero()) {
      return client.send(anchorKey, r -> new RangeActor.GcTxnRecord(txnId, anchorKey, r)).thenAccept(x -> { });
    }
    Entry e = new Entry(txnId, anchorKey, new CompletableFuture<>());
    List<Entry> full = null;
    boolean schedule = false;
    synchronized (this) {
      waiting.add(e);
      if (waiting.size() >= MAX_BATCH) {
        full = waiting;
        waiting = new ArrayList<>();
      } else if (!scheduled) {
        scheduled = true;
        schedule = true;
      }
    }
    if (full != null) {
      send(full);
    } else if (schedule) {
      scheduler.scheduleOnce(delay, this::sendWaiting, executor);
    }
    return e.done();
  }

  private void sendWaiting() {
    List<Entry> batch;
    synchronized (this) {
      batch = waiting;
      waiting = new ArrayList<>();
      scheduled = false;
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private void send(List<Entry> batch) {
    client.sendBatch(batch, Entry::anchorKey, (group, r) -> {
      List<UUID> ids = new ArrayList<>(group.size());
      List<byte[]> anchors = new ArrayList<>(group.size());
      for (Entry g : group) {
        ids.add(g.txnId());
        anchors.add(g.anchorKey());
      }
      return new RangeActor.GcTxnRecords(ids, anchors, r);
    }).whenComplete((routed, err) -> {
      for (Entry g : batch) {
        if (err == null) {
          g.done().complete(null);
        } else {
          g.done().completeExceptionally(err);
        }
      }
    });
  }
}
