package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.range.RangeActor.AbortTransfer;
import org.troupedb.range.RangeActor.ChunkAckReply;
import org.troupedb.range.RangeActor.ChunkReceived;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.FailedReply;
import org.troupedb.range.RangeActor.FlushChunks;
import org.troupedb.range.RangeActor.ReceiveChunk;
import org.troupedb.range.RangeActor.TransferAborted;
import org.troupedb.range.RangeActor.TransferCompleted;

/**
 * The new range's side of a split's transfer ({@link SplitTransfer}): takes the chunks in order,
 * persists those that arrived together in one journal write (a {@link FlushChunks} it sends
 * itself behind them: at most the sender's window of chunks, one event each), acknowledges each
 * once durable, and becomes the range — with a descriptor, serving — in the same journal write as
 * the last chunk. Until then it has no descriptor, so it answers every request with a mismatch,
 * as a range that does not exist yet. Its recovery replays the chunks ({@link RangeReceipt}).
 *
 * <p>NB: confined to the actor's thread; the queue is in memory only (a crash before the flush
 * loses it unacknowledged, and the sender sends it again).
 */
final class RangeReceiver {
  private final RangeEnv env;
  private final TimestampCache tsCache;
  /** Chunks taken in order and not yet persisted, all of one transfer. */
  private final List<ReceiveChunk> queued = new ArrayList<>();
  private boolean flushSent;

  RangeReceiver(RangeEnv env, TimestampCache tsCache) {
    this.env = env;
    this.tsCache = tsCache;
  }

  ReplyEffect<Event, RangeState> onChunk(RangeState s, ReceiveChunk c) {
    if (s.desc != null) {
      return env.effect.reply(c.replyTo(), s.desc.rangeId() == c.desc().rangeId()
          ? new ChunkAckReply(c.transferId(), c.seq() + 1, true, env.clock.now()) // a late duplicate
          : new FailedReply("range already initialized as " + s.desc, env.clock.now()));
    }
    RangeReceipt r = s.receipt;
    boolean mine = r != null && r.transferId() == c.transferId();
    if (mine && r.aborted()) {
      return env.effect.reply(c.replyTo(), new FailedReply("transfer " + c.transferId() + " was aborted",
          env.clock.now()));
    }
    if (!queued.isEmpty() && queued.get(0).transferId() != c.transferId()) {
      return env.effect.reply(c.replyTo(), new FailedReply("receiving another transfer", env.clock.now()));
    }
    int durable = mine ? r.nextSeq() : 0;
    int expected = queued.isEmpty() ? durable : queued.get(queued.size() - 1).seq() + 1;
    if (c.seq() != expected) {
      if (c.seq() >= durable && c.seq() < expected) {
        return env.effect.noReply(); // a copy of a queued chunk: that one's acknowledgement answers it
      }
      return env.effect.reply(c.replyTo(), new ChunkAckReply(c.transferId(), expected, false, env.clock.now()));
    }
    queued.add(c);
    if (!flushSent) {
      flushSent = true;
      env.ctx.getSelf().tell(FlushChunks.INSTANCE); // behind the chunks already in the mailbox
    }
    return env.effect.noReply();
  }

  ReplyEffect<Event, RangeState> onFlush() {
    flushSent = false;
    if (queued.isEmpty()) {
      return env.effect.noReply();
    }
    List<ReceiveChunk> batch = List.copyOf(queued);
    queued.clear();
    List<Event> events = new ArrayList<>(batch.size() + 1);
    for (ReceiveChunk c : batch) {
      events.add(new ChunkReceived(c.transferId(), c.seq(), c.data(), c.continues(), c.txnRecords()));
      if (c.last()) {
        if (c.readFloor() != null) {
          // As InitRange: the splitting range served reads of these keys up to its clock; ours may be behind.
          env.observe(c.readFloor());
          tsCache.forwardLowWater(c.readFloor());
        }
        events.add(new TransferCompleted(c.transferId(), c.desc()));
      }
    }
    return env.effect.persist(events).thenRun(st -> {
      for (ReceiveChunk c : batch) {
        c.replyTo().tell(new ChunkAckReply(c.transferId(), c.seq() + 1, c.last(), env.clock.now()));
      }
    }).thenNoReply();
  }

  ReplyEffect<Event, RangeState> onAbort(RangeState s, AbortTransfer c) {
    if (s.desc != null) {
      return env.effect.reply(c.replyTo(), s.desc.rangeId() == c.desc().rangeId()
          ? new ChunkAckReply(c.transferId(), 0, true, env.clock.now()) // complete after all
          : env.ack());
    }
    if (s.receipt != null && s.receipt.transferId() == c.transferId() && s.receipt.aborted()) {
      return env.effect.reply(c.replyTo(), env.ack());
    }
    queued.removeIf(q -> q.transferId() == c.transferId());
    env.ctx.getLog().info("range {}: transfer {} aborted by the splitting range; dropping what arrived of it",
        c.desc().rangeId(), c.transferId());
    return env.effect.persist(new TransferAborted(c.transferId())).thenReply(c.replyTo(), st -> env.ack());
  }
}
