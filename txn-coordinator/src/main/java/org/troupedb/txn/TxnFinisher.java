package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.TxnStatus;

/**
 * Ends a transaction that laid intents, at its record (phase two of 2PC, or an abort):
 *
 * <pre>
 *   EndTxn ──▶ anchor range: record COMMITTED / ABORTED, its own intents resolved in the same persist
 *      │         (for a commit, this persist is the commit point)
 *      └─ intents on other ranges? ──▶ resolve them (asynchronously; ──▶ record GC at the anchor
 *                                       batched per range: {@link ResolutionBatcher})   (batched: {@link TxnRecordGc})
 * </pre>
 *
 * <p>Why here: at the bottom of the commit and rollback paths, after every write has landed and
 * the reads were refreshed; it needs only the intents' keys and the resolver, no other part.
 * Stateless: the node's {@link TxnCoordinator} holds one for all its transactions.
 */
final class TxnFinisher {
  private final RangeClient client;
  private final IntentResolver resolver;
  private final TxnRecordGc recordGc;
  /** Resolves the remote intents in batches per range (troupedb.kv.resolve-batching); null: one request each. */
  private final ResolutionBatcher batcher;

  TxnFinisher(RangeClient client, IntentResolver resolver, TxnRecordGc recordGc, ResolutionBatcher batcher) {
    this.client = client;
    this.resolver = resolver;
    this.recordGc = recordGc;
    this.batcher = batcher;
  }

  /**
   * Ends {@code meta}'s transaction at its anchor range, committing at {@code commitTs} or
   * aborting; {@code keys} are its distinct intent keys. Completes after the commit point (the
   * anchor's reply), or, with {@code awaitResolution}, after every intent is resolved.
   *
   * @throws TxnRetryException (in the stage) if a commit found the record aborted by a pusher
   */
  CompletionStage<Void> finish(TxnMeta meta, List<byte[]> keys, boolean commit, Timestamp commitTs,
      boolean awaitResolution) {
    AtomicReference<List<byte[]>> remoteRef = new AtomicReference<>();
    byte[] anchor = meta.anchorKey();
    CompletionStage<RangeClient.Routed> sent = client.send(anchor, r -> {
      RangeDescriptor d = client.lookup(anchor);
      List<byte[]> local = new ArrayList<>();
      List<byte[]> remote = new ArrayList<>();
      for (byte[] k : keys) {
        (d.contains(k) ? local : remote).add(k);
      }
      remoteRef.set(remote);
      return new RangeActor.EndTxn(meta, commit, commitTs, local, !remote.isEmpty(), r);
    });
    return (commit ? RangeReplies.commitPoint(sent) : sent).thenCompose(routed -> {
      if (!(routed.reply() instanceof RangeActor.TxnStatusReply st)) {
        throw RangeReplies.unexpected(routed.reply());
      }
      boolean committed = st.status() == TxnStatus.COMMITTED;
      if (commit && !committed) {
        throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH, null);
      }
      List<byte[]> remote = remoteRef.get();
      if (remote.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletionStage<Void> resolved = batcher != null ? batcher.resolve(meta.id(), remote, committed, st.commitTs())
          : resolver.resolve(meta.id(), remote, committed, st.commitTs());
      CompletionStage<Void> resolution = resolved.thenCompose(v -> recordGc.gc(meta.id(), anchor));
      return awaitResolution ? resolution : CompletableFuture.completedFuture(null);
    });
  }
}
