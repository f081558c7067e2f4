package org.troupedb.range;

import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.GarbageCollected;

/**
 * MVCC garbage collection of one range, as CockroachDB's GC queue does it:
 *
 * <pre>
 *   every gc-interval: threshold = now - gc-ttl; garbage at or below it? ─▶ persist
 *   GarbageCollected(threshold) ─▶ (applied, and on every replay) MvccStore.gc(threshold)
 * </pre>
 *
 * The threshold travels in the event, so recovery (from the journal, or from a snapshot that
 * carries the threshold) rebuilds exactly the collected state. Reads below the range's GC floor
 * ({@link #floor}) are refused rather than answered from a history that may be gone. Confined to
 * the actor's thread, except {@link #floor}, which local readers call under the state lock.
 */
final class RangeGc {
  private final RangeEnv env;
  private final RangeStats stats;
  private final long ttlNanos;

  RangeGc(RangeEnv env, RangeStats stats) {
    this.env = env;
    this.stats = stats;
    this.ttlNanos = env.settings.gcTtl().toNanos();
  }

  /** Whether this range collects garbage (a window and an interval are configured). */
  boolean enabled() {
    return ttlNanos > 0 && !env.settings.gcInterval().isZero();
  }

  /**
   * The lowest timestamp a read may use: the persisted GC threshold, or now - gc-ttl if higher
   * (versions behind a newer one are also trimmed on write once older than the window).
   * {@link Timestamp#ZERO} without a window.
   */
  Timestamp floor(RangeState s) {
    Timestamp t = s.store.gcThreshold();
    if (ttlNanos > 0) {
      long wall = env.clock.now().wallTime() - ttlNanos;
      if (wall > t.wallTime()) {
        t = new Timestamp(wall, 0);
      }
    }
    return t;
  }

  /** A GC round: persists the threshold when anything at or below it can be collected. */
  ReplyEffect<Event, RangeState> onTick(RangeState s) {
    if (s.desc == null || ttlNanos <= 0) {
      return env.effect.noReply();
    }
    long wall = env.clock.now().wallTime() - ttlNanos;
    if (wall <= 0) {
      return env.effect.noReply();
    }
    Timestamp threshold = new Timestamp(wall, 0);
    if (!s.store.hasGarbageAt(threshold)) {
      return env.effect.noReply();
    }
    long versions = s.store.versionCount();
    long keys = s.store.keyCount();
    return env.effect.persist(new GarbageCollected(threshold)).thenRun(st -> {
      stats.gcRuns.increment();
      stats.gcVersionsRemoved.add(versions - st.store.versionCount());
      stats.gcKeysRemoved.add(keys - st.store.keyCount());
    }).thenNoReply();
  }
}
