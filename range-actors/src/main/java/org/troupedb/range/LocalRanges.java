package org.troupedb.range;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;

/**
 * The range actors running on this node, by range id. For them a router skips Cluster Sharding:
 * reads are answered on the caller's thread ({@link RangeActor#readLocally}) and other requests
 * go straight to the actor instead of through the shard region and the shard (two actor hops
 * fewer). A range registers itself when its recovery completes and leaves when it stops; a
 * request that races with the stop becomes a dead letter, which {@link DeadRangeLetters} answers
 * with a mismatch so that the router re-routes it through sharding.
 */
public final class LocalRanges implements Extension {

  private static final ExtensionId<LocalRanges> ID = new ExtensionId<>() {
    @Override
    public LocalRanges createExtension(ActorSystem<?> system) {
      system.systemActorOf(DeadRangeLetters.create(), "troupe-dead-range-letters", Props.empty());
      return new LocalRanges();
    }
  };

  private final ConcurrentHashMap<Long, RangeActor> running = new ConcurrentHashMap<>();

  /** What this node's running ranges hold in memory (see {@link MvccStore}): their count, keys, versions, bytes. */
  public record Totals(int ranges, long keys, long versions, long bytes) {}

  public static LocalRanges get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** The range {@code rangeId} if it runs on this node, else null. */
  RangeActor lookup(long rangeId) {
    return running.get(rangeId);
  }

  /** Sums the running ranges' stores (each read under its range's state lock). */
  public Totals totals() {
    int ranges = 0;
    long keys = 0;
    long versions = 0;
    long bytes = 0;
    for (RangeActor r : running.values()) {
      MvccStore.Size s = r.storeSize();
      if (s != null) {
        ranges++;
        keys += s.keys();
        versions += s.versions();
        bytes += s.bytes();
      }
    }
    return new Totals(ranges, keys, versions, bytes);
  }

  void started(long rangeId, RangeActor range) {
    running.put(rangeId, range);
  }

  void stopped(long rangeId, RangeActor range) {
    running.remove(rangeId, range);
  }

  /** Forgets the range whose actor is {@code deadActor} (a letter to it was dead: it no longer runs). */
  void forgetDead(org.apache.pekko.actor.ActorRef deadActor) {
    running.values().removeIf(r -> org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(r.self()).equals(deadActor));
  }
}
