package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.WriteOp;

/**
 * Write buffering and the one-phase commit (CockroachDB's 1PC fast path): an implicit
 * (single-statement) transaction keeps its writes here until its commit or its next read. If at
 * commit they are the whole transaction and all fall in one range, they commit in ONE persist
 * there: no record, no intents, no resolution. Writes spread over ranges go the two-phase way
 * ({@link Owner#commitTwoPhase}). NB: an Insert conflict then surfaces from the commit, as
 * {@link KeyExistsException}.
 *
 * <p>Why here: above the refresher (a one-phase write pushed above the reads commits only if the
 * reads still hold at the pushed timestamp) and the conflict waiter (an intent in the way is
 * waited out like any other); below the commit, which chooses it only when nothing was sent yet.
 *
 * <p>Threads: the buffer belongs to the transaction's current operation (one at a time, see
 * {@link Txn}); it is not shared.
 */
final class WriteBuffer {
  /** One-phase attempts (each after a range moved or the write was pushed) before giving up with 40001. */
  private static final int MAX_ATTEMPTS = 5;

  /** What the one-phase commit needs of its transaction. */
  interface Owner {
    /** The transaction as ranges see it now (timestamps, anchor, sequence numbers). */
    TxnMeta meta();

    /** The write timestamp moves up to at least {@code ts}. */
    void raiseWriteTs(Timestamp ts);

    /** The one-phase write committed at {@code ts}. */
    void committedAt(Timestamp ts);

    /** Flushes the buffer as intents and commits with a record (the writes span ranges). */
    CompletionStage<Void> commitTwoPhase();
  }

  private final RangeClient client;
  private final SpanRefresher refresher;
  private final ConflictWaiter waiter;
  private final Owner owner;

  // Owned by the current operation.
  private final List<WriteOp> buffer = new ArrayList<>();

  WriteBuffer(RangeClient client, SpanRefresher refresher, ConflictWaiter waiter, Owner owner) {
    this.client = client;
    this.refresher = refresher;
    this.waiter = waiter;
    this.owner = owner;
  }

  boolean isEmpty() {
    return buffer.isEmpty();
  }

  void add(List<WriteOp> ops) {
    buffer.addAll(ops);
  }

  /** The buffered writes, in order, leaving the buffer empty (to be sent as intents). */
  List<WriteOp> drain() {
    List<WriteOp> ops = new ArrayList<>(buffer);
    buffer.clear();
    return ops;
  }

  void clear() {
    buffer.clear();
  }

  /** The buffered writes are the whole transaction: if they fall in one range, commit them in one persist. */
  CompletionStage<Void> commitOnePhase() {
    return onePhase(0);
  }

  private CompletionStage<Void> onePhase(int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "one-phase commit did not settle");
    }
    List<WriteOp> ops = buffer;
    Map<RangeDescriptor, List<WriteOp>> groups = client.group(ops, WriteOp::key);
    if (groups == null) {
      return client.refresh().thenCompose(v -> onePhase(attempt + 1));
    }
    if (groups.size() > 1) {
      return owner.commitTwoPhase();
    }
    RangeDescriptor d = groups.keySet().iterator().next();
    TxnMeta meta = owner.meta();
    boolean mayPush = refresher.isEmpty();
    var sent = RangeReplies.commitPoint(
        client.askRange(d.rangeId(), r -> new RangeActor.Write(meta, ops, true, mayPush, r)));
    return sent.thenCompose(reply -> {
      if (reply instanceof RangeActor.WrittenReply w) {
        owner.committedAt(w.writeTs());
        buffer.clear();
        return CompletableFuture.completedFuture(null);
      }
      if (reply instanceof RangeActor.MismatchReply m) {
        return client.afterMismatch(d, m, ops.stream().map(WriteOp::key).toList(), attempt)
            .thenCompose(v -> onePhase(attempt + 1));
      }
      if (reply instanceof RangeActor.PushedReply p) {
        return refresher.refresh(p.writeTs()).thenCompose(ok -> {
          if (!ok) {
            throw new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "reads changed");
          }
          owner.raiseWriteTs(p.writeTs());
          return onePhase(attempt + 1);
        });
      }
      if (reply instanceof RangeActor.ConflictReply c) {
        return waiter.afterConflict(c.intents(), attempt, () -> onePhase(attempt + 1));
      }
      if (reply instanceof RangeActor.KeyExistsReply k) {
        throw RangeReplies.keyExists(k);
      }
      throw RangeReplies.unexpected(reply);
    });
  }
}
