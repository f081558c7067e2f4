package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A removed member stops serving (once) and says so; a node stopping by itself is not a removal. */
class MemberRemovalTest {
  private static Config config() {
    return ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.coordinated-shutdown.exit-jvm", "off",
        "pekko.coordinated-shutdown.terminate-actor-system", "on",
        "pekko.loglevel", "WARNING")).withFallback(ConfigFactory.load());
  }

  private static ActorSystem<Void> upMember() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "removal", config());
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cluster.selfMember().status().equals(MemberStatus.up())) {
      assertThat(System.nanoTime()).as("the member is Up within 30 s").isLessThan(deadline);
      Thread.sleep(50); // polling the member's status, bounded by the deadline
    }
    return system;
  }

  @Test
  @Timeout(60)
  void aDownedMemberStopsServingThenReportsItsRemoval() throws Exception {
    ActorSystem<Void> system = upMember();
    AtomicInteger stops = new AtomicInteger();
    CompletableFuture<Boolean> stoppedBeforeTermination = new CompletableFuture<>();
    MemberRemoval removal = MemberRemoval.watch(system, new AtomicBoolean(), () -> {
      stops.incrementAndGet();
      stoppedBeforeTermination.complete(!system.whenTerminated().isCompleted());
    });
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(new Down(cluster.selfMember().address()));

    String reason = removal.removed().get(30, TimeUnit.SECONDS);
    assertThat(reason).contains("ClusterDowning");
    assertThat(stoppedBeforeTermination.get(1, TimeUnit.SECONDS)).as("serving stops before the system is gone")
        .isTrue();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(stops.get()).isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void aNodeThatClosesItselfIsNotRemoved() throws Exception {
    ActorSystem<Void> system = upMember();
    AtomicBoolean closing = new AtomicBoolean();
    AtomicInteger stops = new AtomicInteger();
    MemberRemoval removal = MemberRemoval.watch(system, closing, stops::incrementAndGet);
    closing.set(true);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(stops.get()).isZero();
    assertThat(removal.removed()).isNotDone();
  }
}
