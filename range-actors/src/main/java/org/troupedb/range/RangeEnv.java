package org.troupedb.range;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.hlc.ClockOffsetException;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.AckReply;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.FailedReply;
import org.troupedb.range.RangeActor.MismatchReply;
import org.troupedb.range.RangeActor.Reply;

/**
 * What one range actor's command handlers share: its actor context, clock, settings, sharding
 * and effect factories, and the replies every handler gives the same way (mismatch, clock
 * offset, acknowledgement). Confined to the actor's thread, like the handlers themselves.
 */
final class RangeEnv {
  final ActorContext<Command> ctx;
  final HybridClock clock;
  final RangeSettings settings;
  /** Null in single-actor tests (no cluster): no splits, no meta range. */
  final ClusterSharding sharding;
  final EffectFactories<Event, RangeState> effect;
  /** The node's write-path counters (a fresh, unshared set in single-actor tests). */
  final RangeStats stats;

  RangeEnv(ActorContext<Command> ctx, HybridClock clock, RangeSettings settings, ClusterSharding sharding,
      EffectFactories<Event, RangeState> effect) {
    this.ctx = ctx;
    this.clock = clock;
    this.settings = settings;
    this.sharding = sharding;
    this.effect = effect;
    this.stats = RangeStats.get(ctx.getSystem());
  }

  ReplyEffect<Event, RangeState> mismatch(RangeState s, ActorRef<Reply> replyTo) {
    return effect.reply(replyTo, mismatchReply(s));
  }

  /** This range's descriptor and right sibling, so that the router can fix its cache. */
  MismatchReply mismatchReply(RangeState s) {
    return new MismatchReply(s.desc, s.rightSibling, clock.now());
  }

  ReplyEffect<Event, RangeState> offset(ActorRef<Reply> replyTo) {
    return effect.reply(replyTo, offsetReply());
  }

  FailedReply offsetReply() {
    return new FailedReply("clock offset too large", clock.now());
  }

  AckReply ack() {
    return new AckReply(clock.now());
  }

  /** Merges a timestamp carried by a request into the range's clock; false if it is too far ahead. */
  boolean observe(Timestamp ts) {
    try {
      clock.update(ts);
      return true;
    } catch (ClockOffsetException e) {
      return false;
    }
  }
}
