package org.troupedb.range;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a router sent through Cluster Sharding that have no answer yet, so that they fail
 * at once when a member is downed: a request that went to a range on the downed node is lost and
 * would otherwise wait out the whole ask timeout ({@code troupedb.kv.ask-timeout}, 10 s), while
 * sharding restarts the range on a survivor in about a second once the node is down.
 *
 * <p>They fail the way a timeout does ({@link TimeoutException}), because that is what the
 * caller knows: the request may or may not have been carried out. Before a transaction's commit
 * point it therefore did not commit (58000, retry); at the commit point its outcome is unknown
 * (40003). NB: a request to a range on a live node that is in flight at that moment fails too, as
 * if it had timed out (rare, and only when a member is downed). Thread-safe.
 */
final class InFlightAsks {
  private static final Logger log = LoggerFactory.getLogger(InFlightAsks.class);
  private static final AtomicLong WATCHERS = new AtomicLong();

  private final LongSupplier nanos;
  /** Each unanswered request's future and when it was sent (nanos). */
  private final Map<CompletableFuture<?>, Long> pending = new ConcurrentHashMap<>();

  InFlightAsks(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** Tracks {@code answer} until it completes. */
  void sent(CompletableFuture<?> answer) {
    pending.put(answer, nanos.getAsLong());
    answer.whenComplete((r, e) -> pending.remove(answer));
  }

  int size() {
    return pending.size();
  }

  /** Fails every tracked request sent before now, as timed out because of {@code why}; returns how many. */
  int failAll(String why) {
    return failSentBefore(nanos.getAsLong(), why);
  }

  /** Fails every tracked request sent at or before {@code sentBy} (nanos), as timed out; returns how many. */
  int failSentBefore(long sentBy, String why) {
    int failed = 0;
    for (Map.Entry<CompletableFuture<?>, Long> e : pending.entrySet()) {
      if (e.getValue() <= sentBy && e.getKey().completeExceptionally(new TimeoutException(
          "no answer from a range: " + why + " (the request may or may not have been carried out)"))) {
        failed++;
      }
    }
    return failed;
  }

  /**
   * Fails the tracked requests whenever a cluster member is downed or removed after its down ({@link #lost}; a no-op on an
   * actor system that is not a cluster member), and once more {@link #REMOVAL_SETTLE} after a
   * removal: those sent up to half of it after the removal that are still unanswered then.
   *
   * <p>Why the second sweep: sharding learns that the removed member's shard region is gone a
   * moment after this node sees the removal (the region's death watch, the coordinator's
   * re-allocation). A request sent in between is forwarded to the dead region and lost; it used
   * to wait out the whole ask timeout, the late 58000 about 12 s after a downing
   * (ClusterFailoverIT, 2026-12-07: Gets to two of the killed node's ranges sent 0.25 s after
   * the removal were unanswered 10 s later, while later requests to them were served).
   */
  void watchDowning(ActorSystem<?> system) {
    if (!"cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
      return;
    }
    Behavior<Object> watcher = Behaviors.setup(ctx -> {
      Cluster.get(system).subscriptions().tell(new Subscribe<>(ctx.getSelf().narrow(), ClusterEvent.MemberEvent.class));
      return Behaviors.receiveMessage(msg -> {
        if (msg instanceof LateSweep late) {
          int failed = failSentBefore(late.sentBy(), late.why() + " (sent just after its removal)");
          if (failed > 0) {
            log.info("{} requests sent just after the removal of {} were unanswered {} later: failed", failed,
                late.why(), REMOVAL_SETTLE);
          }
        } else if (msg instanceof ClusterEvent.MemberEvent e && lost(e)) {
          String why = "member " + e.member().address() + " is " + e.member().status();
          int failed = failAll(why);
          if (failed > 0) {
            log.info("{} requests in flight failed at once: {}", failed, why);
          }
          if (e instanceof ClusterEvent.MemberRemoved) {
            long sentBy = nanos.getAsLong() + REMOVAL_SETTLE.toNanos() / 2;
            ctx.scheduleOnce(REMOVAL_SETTLE, ctx.getSelf(), new LateSweep(sentBy, why));
          }
        }
        return Behaviors.same();
      });
    });
    system.systemActorOf(watcher, "range-client-downing-" + WATCHERS.incrementAndGet(), Props.empty());
  }

  /**
   * Whether {@code e} says a member was lost: downed, or removed after being downed. NB: not a
   * member removed after leaving (a decommission: Leaving, Exiting, Removed): it handed every
   * shard off before it became Exiting, so each range it held stopped after answering what it
   * had taken and letters that came too late bounced back ({@link DeadRangeLetters}); a request
   * still unanswered then waits in sharding's buffer for the range's new home, and failing it
   * would fail a statement for nothing (ClusterRebalanceIT, 2026-12-08: 58000 at a decommission).
   */
  static boolean lost(ClusterEvent.MemberEvent e) {
    return e instanceof ClusterEvent.MemberDowned
        || e instanceof ClusterEvent.MemberRemoved r && MemberStatus.down().equals(r.previousStatus());
  }

  /** How long after a removal the requests sent in its first half are given before they are failed too. */
  static final java.time.Duration REMOVAL_SETTLE = java.time.Duration.ofSeconds(2);

  /** The second sweep after a removal: fail what was sent by {@code sentBy} and is still unanswered. */
  private record LateSweep(long sentBy, String why) {}
}
