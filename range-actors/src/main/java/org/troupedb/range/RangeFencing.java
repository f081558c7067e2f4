package org.troupedb.range;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.FenceChecked;
import org.troupedb.range.RangeActor.FenceTick;
import org.troupedb.range.RangeActor.IncarnationStarted;

/**
 * A range actor's part that keeps two incarnations of one range from both writing its journal
 * ({@link IncarnationFence} is the rule; docs/operations.md "Fencing"): the fence event a new
 * incarnation persists before it serves anything, the fence carried in snapshots, and the periodic
 * check that stops a stale incarnation once a newer one has written. Runs on the actor's thread.
 */
final class RangeFencing {
  private final RangeEnv env;
  private final RangeSharedState shared;
  private final TimerScheduler<Command> timers;
  private final IncarnationFence fence = new IncarnationFence();
  private final RangeEventAdapter eventAdapter = new RangeEventAdapter(fence);
  private final FenceCheck check;

  RangeFencing(RangeEnv env, RangeSharedState shared, TimerScheduler<Command> timers, String persistenceId,
      Duration checkInterval) {
    this.env = env;
    this.shared = shared;
    this.timers = timers;
    this.check = new FenceCheck(env.ctx, persistenceId, checkInterval);
  }

  /** Whether this incarnation has taken its epoch (its fence may still be in flight). */
  boolean started() {
    return fence.started();
  }

  RangeEventAdapter eventAdapter() {
    return eventAdapter;
  }

  /** An event of this incarnation was applied (what the periodic check compares with). */
  void applied() {
    if (fence.started()) {
      check.wrote();
    }
  }

  /**
   * Persists this incarnation's fence; once durable, the range serves from outside (local reads),
   * since a read before it could miss a write of an older incarnation that lands before the fence
   * and is replayed.
   */
  ReplyEffect<Event, RangeState> start() {
    if (fence.started()) {
      return env.effect.noReply();
    }
    fence.start(ThreadLocalRandom.current().nextLong());
    return env.effect.persist(new IncarnationStarted(fence.epoch(), fence.incarnation()))
        .thenRun(st -> {
          shared.recovered(st);
          if (check.enabled()) {
            timers.startTimerWithFixedDelay(FenceTick.INSTANCE, check.interval());
          }
        })
        .thenNoReply().thenUnstashAll();
  }

  ReplyEffect<Event, RangeState> onTick(long ownSeqNr) {
    check.tick(ownSeqNr);
    return env.effect.noReply();
  }

  /** Stops this incarnation if a newer one has written the journal beyond {@code ownSeqNr}. */
  ReplyEffect<Event, RangeState> onChecked(FenceChecked c, long ownSeqNr, long rangeId, Runnable unlist) {
    if (!check.fenced(c.highestSeqNr(), ownSeqNr)) {
      return env.effect.noReply();
    }
    env.ctx.getLog().warn("range {} (epoch {}) stops: a newer incarnation has written its journal (up to"
        + " sequence number {}, this one is at {})", rangeId, fence.epoch(), c.highestSeqNr(), ownSeqNr);
    unlist.run();
    return env.effect.stop().thenNoReply();
  }

  /** The snapshot of {@code state} with this incarnation's fence. */
  Object toSnapshot(RangeState state) {
    return new FencedSnapshot(fence.epoch(), fence.incarnation(), state.toSnapshot());
  }

  /** The marker snapshot of a durable disk range ({@link RangeStoreSync}) with this incarnation's fence. */
  MarkerSnapshot toMarker(RangeStoreSync sync, RangeState state) {
    return sync.marker(state, fence.epoch(), fence.incarnation());
  }

  /** Restores the fence of a marker snapshot. */
  void fromMarker(MarkerSnapshot m) {
    fence.restore(m.epoch(), m.incarnation());
  }

  /** The range's snapshot inside {@code stored}, restoring its fence (none before fencing: (0, 0)). */
  RangeState.Snapshot fromSnapshot(Object stored) {
    if (stored instanceof FencedSnapshot f) {
      fence.restore(f.epoch(), f.incarnation());
      return f.state();
    }
    return (RangeState.Snapshot) stored;
  }

  /** Logs how many events of stale incarnations the replay skipped, if any. */
  void logSkipped(long rangeId) {
    if (eventAdapter.skipped() > 0) {
      env.ctx.getLog().warn("range {}: the replay skipped {} events of stale incarnations (fenced)", rangeId,
          eventAdapter.skipped());
    }
  }
}
