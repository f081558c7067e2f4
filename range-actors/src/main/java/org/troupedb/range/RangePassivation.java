package org.troupedb.range;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.troupedb.range.RangeActor.Command;

/**
 * Idle passivation of one range (Cluster Sharding's passivation, driven by the range itself):
 *
 * <pre>
 *   IdleCheck (timer) ─ idle ≥ passivate-idle-after and nothing in flight? ─▶ Passivate(self) to the shard
 *   ─▶ the shard stops routing to it and sends Stop ─▶ Effect().stop() ─▶ PostStop: leaves LocalRanges
 *   next request ─▶ the shard starts it again ─▶ recovery (snapshot + journal tail)
 * </pre>
 *
 * Sharding's own idle timeout cannot see a range's traffic: local reads never reach the mailbox
 * and local writes skip the shard ({@link LocalRanges}), so the range counts its own activity
 * ({@link #touch}, from the command handler and from local readers). A range with anything only
 * its memory holds (queued writes, a split in progress, waiters, PENDING transaction records
 * whose heartbeats live in memory, an unrecorded split) stays. The meta range never stops.
 */
final class RangePassivation {
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<Command> self;
  private final long idleNanos;
  private final RangeStats stats;
  /** Last command or local read (System.nanoTime); written by the actor and by local readers. */
  private volatile long lastActive = System.nanoTime();
  private boolean requested;

  RangePassivation(ActorRef<ClusterSharding.ShardCommand> shard, ActorRef<Command> self, long idleNanos,
      RangeStats stats) {
    this.shard = shard;
    this.self = self;
    this.idleNanos = idleNanos;
    this.stats = stats;
  }

  /** Whether this range may passivate at all (a shard to ask, a timeout set, not the meta range). */
  boolean enabled(long rangeId) {
    return shard != null && idleNanos > 0 && rangeId != RangeDescriptor.META_RANGE_ID;
  }

  void touch() {
    lastActive = System.nanoTime();
  }

  /** On an IdleCheck: asks the shard to stop this range if it has been idle long enough and holds nothing in flight. */
  void check(RangeState s, boolean busy) {
    if (requested || busy || System.nanoTime() - lastActive < idleNanos || s.metaPending != null
        || hasPendingRecord(s)) {
      return;
    }
    requested = true;
    stats.passivations.increment();
    shard.tell(new ClusterSharding.Passivate<>(self));
  }

  private static boolean hasPendingRecord(RangeState s) {
    for (TxnRecord r : s.txnRecords.values()) {
      if (r.status() == TxnStatus.PENDING) {
        return true;
      }
    }
    return false;
  }
}
