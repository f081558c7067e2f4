package org.troupedb.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/**
 * Resolves finished transactions' intents on other ranges in batches: at most one
 * {@link RangeActor.ResolveIntentsBatch} per range is in flight; resolutions meant for a range
 * while its batch is out wait for the reply and then go together in the next one (one mailbox
 * command for many commits). No timer: a resolution for an idle range goes at once, so the
 * batching adds no delay when there is nothing to batch with — the way a range's group commit
 * gathers what arrives during a persist.
 *
 * <pre>
 *   TxnFinisher: committed ─▶ resolve(txn, remote keys) ─▶ grouped by cached range ─▶ lane of that range
 *      lane idle ─▶ send now (one ResolveIntentsBatch)          lane busy ─▶ queue
 *      reply ─▶ complete the batch's entries ─▶ queue non-empty? send it as the next batch : lane idle
 * </pre>
 *
 * <p>Why this is safe: a resolution carries the outcome the record already holds (COMMITTED at
 * its timestamp, or ABORTED) and is idempotent; batching only changes how many go in a command,
 * and a batch lost with the node leaves intents that readers resolve through the record, as a
 * lost ResolveIntents did. A batch that meets a split is re-grouped per key by
 * {@link RangeClient#sendBatch}. Off ({@code troupedb.kv.resolve-batching}): one ResolveIntents
 * per transaction and range ({@link IntentResolver#resolve}).
 *
 * <p>NB: {@link #resolve} is called from any thread and replies complete on reply threads; the
 * lanes are guarded by {@code this}.
 */
final class ResolutionBatcher {
  /** At most this many transactions' resolutions in one command; the rest wait for the next. */
  static final int MAX_BATCH = 128;
  /**
   * A resolution of more keys than this goes on its own (the direct path): batching pays for many
   * small commits, and a bulk load's resolution is one large command per range anyway, which the
   * per-key items here would only copy.
   */
  static final int MAX_KEYS = 1024;

  /** One transaction's resolution of its keys on one range. */
  private record Entry(UUID txnId, boolean commit, Timestamp commitTs, List<byte[]> keys,
      CompletableFuture<Void> done) {}

  /** One key of an entry (what {@link RangeClient#sendBatch} groups, so a split re-groups by key). */
  private record Item(Entry entry, byte[] key) {}

  /** A range's queue: whether a batch is in flight, and what waits for its reply. Guarded by the batcher. */
  private static final class Lane {
    boolean inFlight;
    List<Entry> queued = new ArrayList<>();
  }

  private final RangeClient client;
  private final IntentResolver direct;

  /** Guarded by this: the lanes with a batch in flight, by range id. */
  private final Map<Long, Lane> lanes = new HashMap<>();

  ResolutionBatcher(RangeClient client, IntentResolver direct) {
    this.client = client;
    this.direct = direct;
  }

  /** Commits (at {@code commitTs}) or aborts {@code txnId}'s intents at {@code keys}; completes once all are resolved. */
  CompletionStage<Void> resolve(UUID txnId, List<byte[]> keys, boolean commit, Timestamp commitTs) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<RangeDescriptor, List<byte[]>> byRange = keys.size() > MAX_KEYS ? null : client.group(keys, k -> k);
    if (byRange == null) { // large, or a key without a cached range (the direct path looks it up)
      return direct.resolve(txnId, keys, commit, commitTs);
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>(byRange.size());
    for (Map.Entry<RangeDescriptor, List<byte[]>> g : byRange.entrySet()) {
      Entry e = new Entry(txnId, commit, commitTs, g.getValue(), new CompletableFuture<>());
      parts.add(e.done());
      submit(g.getKey().rangeId(), e);
    }
    return parts.size() == 1 ? parts.get(0) : CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
  }

  private void submit(long rangeId, Entry e) {
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(rangeId, id -> new Lane());
      if (lane.inFlight) {
        lane.queued.add(e);
        return;
      }
      lane.inFlight = true;
    }
    send(rangeId, List.of(e));
  }

  private void send(long rangeId, List<Entry> batch) {
    List<Item> items = new ArrayList<>();
    for (Entry e : batch) {
      for (byte[] k : e.keys()) {
        items.add(new Item(e, k));
      }
    }
    CompletionStage<List<RangeClient.Routed>> sent;
    try {
      sent = client.sendBatch(items, Item::key, (group, r) -> new RangeActor.ResolveIntentsBatch(resolutions(group), r));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e); // the lane must not stay busy
    }
    sent.whenComplete((replies, err) -> {
          Throwable failure = err;
          if (failure == null) {
            for (RangeClient.Routed routed : replies) {
              if (!(routed.reply() instanceof RangeActor.AckReply)) {
                failure = new IllegalStateException("resolving intents failed: " + routed.reply());
              }
            }
          }
          for (Entry e : batch) {
            if (failure == null) {
              e.done().complete(null);
            } else {
              e.done().completeExceptionally(failure);
            }
          }
          sendNext(rangeId);
        });
  }

  /** The batch of {@code rangeId} is answered: sends what queued meanwhile, or leaves the lane idle. */
  private void sendNext(long rangeId) {
    List<Entry> next;
    synchronized (this) {
      Lane lane = lanes.get(rangeId);
      if (lane.queued.isEmpty()) {
        lanes.remove(rangeId);
        return;
      }
      if (lane.queued.size() <= MAX_BATCH) {
        next = lane.queued;
        lane.queued = new ArrayList<>();
      } else {
        next = new ArrayList<>(lane.queued.subList(0, MAX_BATCH));
        lane.queued = new ArrayList<>(lane.queued.subList(MAX_BATCH, lane.queued.size()));
      }
    }
    send(rangeId, next);
  }

  /** The items of one range's group as one resolution per transaction, keys in the items' order. */
  private static List<RangeActor.Resolution> resolutions(List<Item> group) {
    Map<Entry, List<byte[]>> byEntry = new LinkedHashMap<>();
    for (Item it : group) {
      byEntry.computeIfAbsent(it.entry(), x -> new ArrayList<>()).add(it.key());
    }
    List<RangeActor.Resolution> out = new ArrayList<>(byEntry.size());
    for (Map.Entry<Entry, List<byte[]>> e : byEntry.entrySet()) {
      Entry en = e.getKey();
      out.add(new RangeActor.Resolution(en.txnId(), en.commit(), en.commitTs(), e.getValue()));
    }
    return out;
  }
}
