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
    long now = nanos.getAsLong();
    int failed = 0;
    for (Map.Entry<CompletableFuture<?>, Long> e : pending.entrySet()) {
      if (e.getValue() <= now && e.getKey().completeExceptionally(new TimeoutException(
          "no answer from a range: " + why + " (the request may or may not have been carried out)"))) {
        failed++;
      }
    }
    return failed;
  }

  /**
   * Fails the tracked requests whenever a cluster member is downed or removed (a no-op on an
   * actor system that is not a cluster member).
   */
  void watchDowning(ActorSystem<?> system) {
    if (!"cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
      return;
    }
    Behavior<ClusterEvent.MemberEvent> watcher = Behaviors.setup(ctx -> {
      Cluster.get(system).subscriptions().tell(new Subscribe<>(ctx.getSelf(), ClusterEvent.MemberEvent.class));
      return Behaviors.receiveMessage(e -> {
        if (e instanceof ClusterEvent.MemberDowned || e instanceof ClusterEvent.MemberRemoved) {
          int failed = failAll("member " + e.member().address() + " is " + e.member().status());
          if (failed > 0) {
            log.info("{} requests in flight failed at once: member {} is {}", failed, e.member().address(),
                e.member().status());
          }
        }
        return Behaviors.same();
      });
    });
    system.systemActorOf(watcher, "range-client-downing-" + WATCHERS.incrementAndGet(), Props.empty());
  }
}
