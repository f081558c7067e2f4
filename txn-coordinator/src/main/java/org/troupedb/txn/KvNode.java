package org.troupedb.txn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/**
 * Starts the KV layer on a node whose ActorSystem is (or is becoming) a cluster member.
 *
 * <pre>
 *   Config cfg = StorageConfig.h2(storeDir).withFallback(ConfigFactory.load());
 *   ActorSystem&lt;Void&gt; sys = ActorSystem.create(Behaviors.empty(), "troupe", cfg);   // + cluster join
 *   TxnService svc = KvNode.start(sys, clock).toCompletableFuture().get();
 *   ...
 *   sys.terminate();
 * </pre>
 *
 * {@link #start} waits for this member to be Up, registers the range entities with Cluster
 * Sharding, creates the initial layout (meta range 1 = [0x00, 0x01), range 2 = [0x01, +inf)) on
 * first start (idempotent), loads the range directory and returns the transaction service.
 *
 * <p>In a multi-node cluster only the node that initialized the cluster bootstraps the layout
 * ({@code bootstrap = true}); every other node waits (bounded) until the meta range has a
 * directory. NB: a node that bootstrapped whenever it started could re-create the meta range or
 * range 2 from nothing wherever sharding placed them (e.g. on a node without their journal).
 */
public final class KvNode {
  private static final int BOOTSTRAP_ATTEMPTS = 6;

  private KvNode() {}

  /** Runs an idempotent request again when it times out, at most {@code attempts} times in all. */
  private static <T> CompletionStage<T> idempotent(java.util.function.Supplier<CompletionStage<T>> request,
      int attempts) {
    return request.get().handle((r, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(r);
      }
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      if (attempts > 1 && cause instanceof java.util.concurrent.TimeoutException) {
        return idempotent(request, attempts - 1);
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  /** How long a joining node waits for the initializing node to bootstrap the meta range. */
  private static final java.time.Duration DIRECTORY_WAIT = java.time.Duration.ofMinutes(2);

  /** Starts the KV layer, bootstrapping the layout if it is missing (a single node). */
  public static CompletionStage<TxnService> start(ActorSystem<?> system, HybridClock clock) {
    return start(system, clock, true);
  }

  /**
   * Starts the KV layer; {@code bootstrap}: create the initial layout if it is missing (the node
   * that initialized the cluster), else wait until another node has.
   */
  public static CompletionStage<TxnService> start(ActorSystem<?> system, HybridClock clock, boolean bootstrap) {
    CompletableFuture<Void> up = new CompletableFuture<>();
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, m -> {
        up.complete(null);
        return Behaviors.stopped();
      }).build();
    }), "troupe-kv-await-up-" + java.util.UUID.randomUUID(), Props.empty());
    // Fail clearly rather than hang if this member never joins (e.g. no Join was sent).
    up.orTimeout(2, java.util.concurrent.TimeUnit.MINUTES);
    return up.exceptionally(e -> {
      throw new IllegalStateException("cluster member did not become Up: did the node join itself?", e);
    }).thenCompose(v -> {
      RangeActor.init(system, clock);
      RangeClient client = new RangeClient(system, clock);
      if (!bootstrap) {
        long deadline = System.nanoTime() + DIRECTORY_WAIT.toNanos();
        return awaitDirectory(client, deadline).thenApply(x -> (TxnService) new TxnCoordinator(system, client));
      }
      // The first asks wait for the shard coordinator (a cluster singleton) to start, which can
      // outlast one ask timeout on a loaded machine; both requests are idempotent.
      return idempotent(() -> client.askRange(RangeDescriptor.META_RANGE_ID, RangeActor.BootstrapMeta::new),
          BOOTSTRAP_ATTEMPTS).thenCompose(r -> {
        if (!(r instanceof RangeActor.DirectoryReply dir)) {
          throw new IllegalStateException("meta bootstrap failed: " + r);
        }
        RangeDescriptor first = dir.descriptors().stream()
            .filter(d -> d.rangeId() == RangeDescriptor.FIRST_DATA_RANGE_ID).findFirst().orElseThrow();
        // Idempotent: a range that exists (even if split since) just acknowledges.
        return idempotent(() -> client.askRange(first.rangeId(),
                rr -> new RangeActor.InitRange(new RangeDescriptor(first.rangeId(), first.startKey(), null, 0),
                    java.util.List.of(), java.util.List.of(), rr)), BOOTSTRAP_ATTEMPTS)
            .thenCompose(ack -> client.refresh());
      }).thenApply(x -> (TxnService) new TxnCoordinator(system, client));
    });
  }

  /** Reloads the directory until it holds the meta range (its bootstrap done), or the deadline. */
  private static CompletionStage<Void> awaitDirectory(RangeClient client, long deadline) {
    return idempotent(client::refresh, BOOTSTRAP_ATTEMPTS).thenCompose(v -> {
      boolean bootstrapped = client.cachedDescriptors().stream()
          .anyMatch(d -> d.rangeId() == RangeDescriptor.META_RANGE_ID);
      if (bootstrapped) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (System.nanoTime() > deadline) {
        return CompletableFuture.<Void>failedFuture(new IllegalStateException("the meta range has no directory after "
            + DIRECTORY_WAIT.toSeconds() + " s: the cluster was not bootstrapped by the node that initialized it,"
            + " or the meta range restarted on a node without its journal"));
      }
      return CompletableFuture.runAsync(() -> { },
              CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS))
          .thenCompose(x -> awaitDirectory(client, deadline));
    });
  }
}
