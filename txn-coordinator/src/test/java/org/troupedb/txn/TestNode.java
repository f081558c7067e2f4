package org.troupedb.txn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.StorageConfig;

/**
 * Test fixture: a single-node TroupeDB KV layer on an H2 journal in {@code storeDir}, built
 * exactly the way the node module does (cluster provider on 127.0.0.1 with a free port, self
 * join, split-brain resolver, then {@link KvNode#start}). Close terminates the ActorSystem.
 */
public final class TestNode implements AutoCloseable {
  public final ActorSystem<Void> system;
  public final HybridClock clock;
  public final TxnService service;

  private TestNode(ActorSystem<Void> system, HybridClock clock, TxnService service) {
    this.system = system;
    this.clock = clock;
    this.service = service;
  }

  public static TestNode start(Path storeDir) throws Exception {
    return start(storeDir, HybridClock.system(Duration.ofMillis(500)), ConfigFactory.empty());
  }

  public static TestNode start(Path storeDir, HybridClock clock, Config overrides) throws Exception {
    Config cluster = ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.coordinated-shutdown.exit-jvm = off
        pekko.coordinated-shutdown.run-by-actor-system-terminate = on
        pekko.loglevel = WARNING
        """);
    Config cfg = overrides.withFallback(StorageConfig.h2(storeDir)).withFallback(cluster)
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> sys = ActorSystem.create(Behaviors.empty(), "troupe", cfg);
    try {
      Cluster c = Cluster.get(sys);
      c.manager().tell(Join.create(c.selfMember().address()));
      TxnService svc = KvNode.start(sys, clock).toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new TestNode(sys, clock, svc);
    } catch (Exception e) {
      sys.terminate();
      throw e;
    }
  }

  @Override
  public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
