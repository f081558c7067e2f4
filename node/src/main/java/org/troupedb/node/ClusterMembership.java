package org.troupedb.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node started with {@code --join} becomes a cluster member, after CockroachDB's
 * {@code start --join} and {@code init}: no node forms a cluster by itself; one node is
 * initialized once ({@link #init}) and joins itself, and every other node keeps asking the
 * {@code --join} addresses until one of them is a member, then joins through it.
 *
 * <pre>
 *   fresh store:   JoinSeedNodes(--join minus self) ── InitJoinNack from uninitialized nodes,
 *                                                      retried ──▶ InitJoinAck ──▶ Up
 *   init:          store has no marker and not a member ─▶ write marker ─▶ Join(self) ─▶ Up
 *   restart:       store has the marker ─▶ JoinSeedNodes(--join, self included): Pekko's seed
 *                  process (the first seed forms the cluster if no other seed answers)
 * </pre>
 *
 * The marker file ({@value #MARKER} in the store) records that this node's store belongs to an
 * initialized cluster; it is written by {@link #init} and when the node first becomes Up. A
 * second {@code init} is refused, on any node that is a member or whose store has the marker.
 *
 * <p>NB: Pekko answers InitJoin only from members, so a node that is between its InitJoinAck
 * and its Welcome still looks uninitialized; initializing it then would form a second cluster.
 * {@code troupe init} is meant to be run once, against one node, as in CockroachDB.
 */
final class ClusterMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  static final String MARKER = "cluster-initialized";

  /** The answer to an init request. */
  record InitOutcome(boolean initialized, String message) {}

  private final ActorSystem<?> system;
  private final Path marker;
  private final List<HostPort> join;
  private final CompletableFuture<Void> up = new CompletableFuture<>();
  /** Whether this process initialized the cluster (so it bootstraps the KV layout). */
  private volatile boolean initializedHere;

  ClusterMembership(ActorSystem<?> system, Path store, List<HostPort> join) {
    this.system = system;
    this.marker = store.resolve(MARKER);
    this.join = List.copyOf(join);
  }

  /** Completes when this node is an Up member (never fails; callers bound their own wait). */
  CompletableFuture<Void> up() {
    return up;
  }

  /**
   * Whether this process initialized the cluster: then it, and no other node, bootstraps the KV
   * layout (meta range, first data range).
   */
  boolean initializedHere() {
    return initializedHere;
  }

  /** Whether this node's store belongs to an initialized cluster. */
  boolean storeInitialized() {
    return Files.exists(marker);
  }

  /** Starts joining (see the class comment); returns at once. */
  void start() {
    Cluster cluster = Cluster.get(system);
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, m -> {
        writeMarker("joined");
        LOG.info("this node is an Up cluster member: {}", cluster.selfMember().address());
        up.complete(null);
        return Behaviors.stopped();
      }).build();
    }), "troupe-await-up", Props.empty());

    Address self = cluster.selfMember().address();
    List<Address> seeds = new ArrayList<>();
    boolean initialized = storeInitialized();
    for (HostPort hp : join) {
      Address a = address(self, hp);
      if (!a.equals(self)) {
        seeds.add(a);
      } else if (initialized) {
        seeds.add(a); // restarting: Pekko's seed process may let this node form the cluster again
      }
    }
    if (initialized && !seeds.contains(self)) {
      seeds.add(self);
    }
    if (seeds.isEmpty()) {
      LOG.info("no other node to join: waiting for `troupe init` on this node ({})", self);
      return;
    }
    LOG.info("joining {} ({}); a fresh cluster waits for `troupe init` on one node", seeds,
        initialized ? "store already initialized" : "new store");
    cluster.manager().tell(new JoinSeedNodes(seeds));
  }

  /**
   * Initializes a new cluster with this node as its first member, once: refused when this node is
   * already a member (or joining one) or its store belongs to an initialized cluster.
   */
  synchronized InitOutcome init() {
    Cluster cluster = Cluster.get(system);
    MemberStatus status = cluster.selfMember().status();
    if (storeInitialized() || !status.equals(MemberStatus.removed())) {
      return new InitOutcome(false, "cluster has already been initialized (this node "
          + (status.equals(MemberStatus.removed()) ? "has an initialized store" : "is a member: " + status)
          + "); init runs once per cluster");
    }
    writeMarker("initialized by troupe init");
    initializedHere = true;
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    LOG.info("cluster initialized: {} is its first member", cluster.selfMember().address());
    return new InitOutcome(true, "cluster initialized; first member " + cluster.selfMember().address());
  }

  private void writeMarker(String how) {
    if (storeInitialized()) {
      return;
    }
    try {
      Files.writeString(marker, how + " at " + Instant.now() + " as " + Cluster.get(system).selfMember().address()
          + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot record the cluster's initialization in " + marker, e);
    }
  }

  /** The cluster address of the node at {@code hp} (same system name and protocol as this one). */
  static Address address(Address self, HostPort hp) {
    return new Address(self.protocol(), self.system(), hp.host(), hp.port());
  }
}
