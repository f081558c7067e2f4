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
 */
public final class KvNode {
  private static final java.time.Duration STARTUP_ASK = java.time.Duration.ofSeconds(90);

  private KvNode() {}

  public static CompletionStage<TxnService> start(ActorSystem<?> system, HybridClock clock) {
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
      // The first asks wait for journal recovery (and, on a fresh store, the journal's first
      // writes): longer than ask-timeout on a busy machine, so they get a startup bound of their own.
      return client.askRange(RangeDescriptor.META_RANGE_ID, RangeActor.BootstrapMeta::new, STARTUP_ASK).thenCompose(r -> {
        if (!(r instanceof RangeActor.DirectoryReply dir)) {
          throw new IllegalStateException("meta bootstrap failed: " + r);
        }
        RangeDescriptor first = dir.descriptors().stream()
            .filter(d -> d.rangeId() == RangeDescriptor.FIRST_DATA_RANGE_ID).findFirst().orElseThrow();
        // Idempotent: a range that exists (even if split since) just acknowledges.
        return client.askRange(first.rangeId(),
                rr -> new RangeActor.InitRange(new RangeDescriptor(first.rangeId(), first.startKey(), null, 0),
                    java.util.List.of(), java.util.List.of(), rr), STARTUP_ASK)
            .thenCompose(ack -> client.refresh());
      }).thenApply(x -> (TxnService) new TxnCoordinator(system, client));
    });
  }
}
