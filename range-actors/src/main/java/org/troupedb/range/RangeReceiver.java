package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.range.RangeActor.AbortTransfer;
import org.troupedb.range.RangeActor.ChunkAckReply;
import org.troupedb.range.RangeActor.ChunkReceived;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.FailedReply;
import org.troupedb.range.RangeActor.ReceiveChunk;
import org.troupedb.range.RangeActor.TransferAborted;
import org.troupedb.range.RangeActor.TransferCompleted;

/**
 * The new range's side of a split's transfer ({@link SplitTransfer}): persists each chunk in
 * order, one journal write per chunk (so each stays as small as the chunk), acknowledges it once
 * durable, and becomes the range — with a descriptor, serving — in the same journal write as the
 * last chunk. Until then it has no descriptor, so it answers every request with a mismatch, as a
 * range that does not exist yet. Its recovery replays the chunks ({@link RangeReceipt}).
 *
 * <p>NB: confined to the actor's thread.
 */
final class RangeReceiver {
  private final RangeEnv env;
  private final TimestampCache tsCache;

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
    int expected = mine ? r.nextSeq() : 0;
    if (c.seq() != expected) {
      return env.effect.reply(c.replyTo(), new ChunkAckReply(c.transferId(), expected, false, env.clock.now()));
    }
    List<Event> events = new ArrayList<>(2);
    events.add(new ChunkReceived(c.transferId(), c.seq(), c.data(), c.continues(), c.txnRecords()));
    if (c.last()) {
      if (c.readFloor() != null) {
        // As InitRange: the splitting range served reads of these keys up to its clock; ours may be behind.
        env.observe(c.readFloor());
        tsCache.forwardLowWater(c.readFloor());
      }
      events.add(new TransferCompleted(c.transferId(), c.desc()));
    }
    return env.effect.persist(events)
        .thenReply(c.replyTo(), st -> new ChunkAckReply(c.transferId(), c.seq() + 1, c.last(), env.clock.now()));
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
    env.ctx.getLog().info("range {}: transfer {} aborted by the splitting range; dropping what arrived of it",
        c.desc().rangeId(), c.transferId());
    return env.effect.persist(new TransferAborted(c.transferId())).thenReply(c.replyTo(), st -> env.ack());
  }
}
