package org.troupedb.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster member does when the cluster removes it: downed by the majority's split-brain
 * resolver, or downing itself on the minority side of a partition (keep-majority). Pekko then
 * runs the member's coordinated shutdown; its ranges are started on the majority once the down
 * is stable ({@code down-removal-margin}, which the split-brain resolver sets to its
 * {@code stable-after}). This incarnation can never be a member again.
 *
 * <pre>
 *   downed ─▶ coordinated shutdown, phase before-service-unbind (its first):
 *               stop serving SQL (pgwire closed: running statements 57014, connections 57P01 FATAL;
 *               /ready 503) ─▶ {@link #removed} completes ─▶ the process exits with {@link #EXIT_CODE}
 *   later phases: sharding hands off and stops the node's ranges, the actor system terminates
 * </pre>
 *
 * A decommissioned member ({@code troupe node decommission}, Pekko's Leave) goes the same way,
 * with reason {@code ClusterLeavingReason}: it stops serving SQL, its ranges are handed off
 * (phase cluster-sharding-shutdown-region) and the process exits with code 0.
 *
 * <p>Serving stops in the first phase, before the ranges stop, so no client of this node is answered
 * from a range that the majority may already run elsewhere. A shutdown the node started itself
 * ({@code close()}, SIGTERM) is not a removal.
 */
final class MemberRemoval {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRemoval.class);
  /** The exit code of a node process whose member was removed from the cluster: restart it to rejoin. */
  static final int EXIT_CODE = 3;

  private final CompletableFuture<String> removed = new CompletableFuture<>();

  private MemberRemoval() {}

  /**
   * Watches {@code system}'s coordinated shutdown: unless {@code closing} is set (the node stops
   * by itself), runs {@code stopServing} in its first phase and then completes {@link #removed}.
   */
  static MemberRemoval watch(ActorSystem<?> system, AtomicBoolean closing, Runnable stopServing) {
    MemberRemoval watch = new MemberRemoval();
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    cs.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "troupe-stop-serving-when-removed",
        () -> watch.onShutdown(cs, closing, stopServing));
    return watch;
  }

  private CompletionStage<Done> onShutdown(CoordinatedShutdown cs, AtomicBoolean closing, Runnable stopServing) {
    if (closing.get()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    String reason = cs.getShutdownReason().map(r -> r.getClass().getSimpleName().replace("$", ""))
        .orElse("unknown");
    if (decommissioned(reason)) {
      LOG.info("this node is leaving the cluster (decommissioned): it stops serving SQL now, hands its ranges"
          + " off to the other nodes and exits");
    } else LOG.error("this node was removed from the cluster ({}: downed by the majority, or by itself on a minority"
        + " side of a partition): it stops serving SQL now and exits with code {}; restart it to rejoin as a new"
        + " member", reason, EXIT_CODE);
    CompletableFuture<Done> stopped = CompletableFuture.runAsync(stopServing,
        r -> new Thread(r, "troupe-stop-serving").start()).thenApply(v -> Done.getInstance());
    stopped.whenComplete((v, e) -> removed.complete(reason));
    return stopped;
  }

  /** Whether the shutdown {@code reason} (as {@link #removed} completes with it) is a decommission (Leave). */
  static boolean decommissioned(String reason) {
    return "ClusterLeavingReason".equals(reason);
  }

  /** Completes (with the shutdown reason) once this removed member has stopped serving. */
  CompletableFuture<String> removed() {
    return removed;
  }
}
