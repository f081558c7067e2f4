package org.troupedb.txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Intent;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.TxnStatus;

/**
 * Deals with other transactions' intents met by a read or write: pushes each owner at its
 * anchor range (which aborts an absent or abandoned owner), then resolves the met intents of
 * owners that turned out COMMITTED or ABORTED. Also resolves a finished transaction's own
 * intents, batched per range.
 *
 * <p>Why here and not in the range: the owner's record lives on another range, and ranges never
 * wait on each other; the coordinator that met the intent drives the push.
 *
 * <p>NB: not final, so that {@code ConflictWaiterTest} can stand in for the ranges.
 */
class IntentResolver {
  private final RangeClient client;

  IntentResolver(RangeClient client) {
    this.client = client;
  }

  /**
   * Tries to clear {@code intents} out of the way, aborting live owners of lower priority than
   * {@code pusherPriority} (0: none). Completes with the intents whose owner is still PENDING
   * (empty: every one was resolved and the caller may retry its request).
   */
  CompletionStage<List<Intent>> clear(List<Intent> intents, int pusherPriority) {
    Map<UUID, List<Intent>> byTxn = new LinkedHashMap<>();
    for (Intent in : intents) {
      byTxn.computeIfAbsent(in.txn().id(), k -> new ArrayList<>()).add(in);
    }
    List<CompletableFuture<List<Intent>>> parts = new ArrayList<>();
    for (List<Intent> group : byTxn.values()) {
      TxnMeta pushee = group.get(0).txn();
      parts.add(client.send(pushee.anchorKey(), r -> new RangeActor.PushTxn(pushee, pusherPriority, r)).thenCompose(routed -> {
        if (!(routed.reply() instanceof RangeActor.TxnStatusReply st) || st.status() == TxnStatus.PENDING) {
          return CompletableFuture.completedFuture(group);
        }
        List<byte[]> keys = new ArrayList<>(group.size());
        for (Intent in : group) {
          keys.add(in.key());
        }
        return resolve(pushee.id(), keys, st.status() == TxnStatus.COMMITTED, st.commitTs())
            .thenApply(v -> List.<Intent>of());
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Intent> pending = new ArrayList<>();
      for (CompletableFuture<List<Intent>> p : parts) {
        pending.addAll(p.join());
      }
      return pending;
    });
  }

  /**
   * Waits (bounded by {@code wait}) until {@code in}'s owner no longer holds it: completes true
   * when woken, false on timeout.
   */
  CompletionStage<Boolean> waitFor(Intent in, java.time.Duration wait) {
    RangeDescriptor d = client.lookup(in.key());
    if (d == null) {
      return CompletableFuture.completedFuture(true);
    }
    return client.askRange(d.rangeId(), r -> new RangeActor.WaitForTxn(in.txn().id(), in.key(), r), wait)
        .handle((reply, err) -> err == null);
  }

  /** Commits (at {@code commitTs}) or aborts {@code txnId}'s intents at {@code keys}, one request per range. */
  CompletionStage<Void> resolve(UUID txnId, List<byte[]> keys, boolean commit, Timestamp commitTs) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return client.sendBatch(keys, k -> k, (group, r) -> new RangeActor.ResolveIntents(txnId, commit, commitTs, group, r))
        .thenAccept(replies -> {
          for (RangeClient.Routed routed : replies) {
            if (!(routed.reply() instanceof RangeActor.AckReply)) {
              throw new IllegalStateException("resolving intents failed: " + routed.reply());
            }
          }
        });
  }
}
