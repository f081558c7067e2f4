package org.troupedb.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.troupedb.range.Keys;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's administrative HTTP routes on every node of a multi-node cluster:
 * {@code POST /cluster/init} (initialize a new cluster with this node, once; 409 when it already
 * is), {@code GET /cluster/status[?wake=1]} (members, their liveness, and which node hosts each
 * range — its leaseholder, since sharding ownership is a range's lease; JSON; {@code wake=1}
 * starts the ranges that run nowhere first), and
 * {@code POST /cluster/decommission?node=HOST:PORT} (a member leaves; refused while every node
 * journals its ranges to its own disk, since its ranges would restart elsewhere without their
 * journal).
 */
final class ClusterAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterAdmin.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ClusterMembership membership;
  private final CompletableFuture<Void> ready;
  /** The router used to read the range directory, once the KV layer runs (else null). */
  private final Supplier<RangeClient> ranges;
  private final boolean journalShared;

  ClusterAdmin(ActorSystem<?> system, ClusterMembership membership, CompletableFuture<Void> ready,
      Supplier<RangeClient> ranges, boolean journalShared) {
    this.system = system;
    this.membership = membership;
    this.ready = ready;
    this.ranges = ranges;
    this.journalShared = journalShared;
  }

  void register(HttpEndpoint http) {
    http.route("/cluster/init", ex -> {
      if (!post(ex)) {
        return;
      }
      ClusterMembership.InitOutcome outcome = membership.init();
      if (!outcome.initialized()) {
        HttpEndpoint.respond(ex, 409, "text/plain", outcome.message() + "\n");
        return;
      }
      try { // answer once this node serves SQL, so the bootstrap has run when init returns
        ready.get(2, TimeUnit.MINUTES);
        HttpEndpoint.respond(ex, 200, "text/plain", outcome.message() + "\n");
      } catch (Exception e) {
        HttpEndpoint.respond(ex, 504, "text/plain", outcome.message()
            + ", but this node did not become ready within 2 minutes: " + e + "\n");
      }
    });
    http.route("/cluster/status", ex -> {
      try {
        HttpEndpoint.respond(ex, 200, "application/json", JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(status(wake(ex))) + "\n");
      } catch (Exception e) {
        LOG.warn("cluster status failed", e);
        HttpEndpoint.respond(ex, 503, "text/plain", "cluster status unavailable: " + e + "\n");
      }
    });
    http.route("/cluster/decommission", ex -> {
      if (!post(ex)) {
        return;
      }
      String query = ex.getRequestURI().getQuery();
      String node = query != null && query.startsWith("node=") ? query.substring(5) : null;
      if (node == null || node.isEmpty()) {
        HttpEndpoint.respond(ex, 400, "text/plain", "usage: POST /cluster/decommission?node=HOST:PORT\n");
        return;
      }
      Answer a = decommission(node);
      HttpEndpoint.respond(ex, a.status(), "text/plain", a.text() + "\n");
    });
  }

  private static boolean post(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      HttpEndpoint.respond(ex, 405, "text/plain", "use POST\n");
      return false;
    }
    return true;
  }

  /** An HTTP status and its text. */
  private record Answer(int status, String text) {}

  private Answer decommission(String node) {
    Cluster cluster = Cluster.get(system);
    HostPort hp;
    try {
      hp = HostPort.parse(node);
    } catch (IllegalArgumentException e) {
      return new Answer(400, e.getMessage());
    }
    Address target = ClusterMembership.address(cluster.selfMember().address(), hp);
    boolean member = false;
    for (Member m : cluster.state().getMembers()) {
      member |= m.address().equals(target);
    }
    if (!member) {
      return new Answer(404, target + " is not a cluster member");
    }
    if (!journalShared) {
      return new Answer(409, "decommission refused: each node journals its ranges to its own disk"
          + " (--unsafe-local-journals), so"
          + " the ranges of " + hp + " would restart on other nodes without their data; decommissioning"
          + " needs the shared journal (--journal cassandra)");
    }
    // Leave: the member turns Leaving; its coordinated shutdown hands every shard off (each range stops
    // once its queued writes are durable and starts elsewhere, recovered from the shared journal and
    // fenced), then it becomes Exiting, is removed, and its process exits (MemberRemoval).
    cluster.manager().tell(Leave.create(target));
    return new Answer(200, target + " is leaving the cluster; its ranges move to the other nodes");
  }

  /** {@code ?wake=1}: start every range that is not running before answering. */
  private static boolean wake(HttpExchange ex) {
    String query = ex.getRequestURI().getQuery();
    return query != null && java.util.Arrays.asList(query.split("&")).contains("wake=1");
  }

  /**
   * Members, liveness and the node hosting each range. {@code wake}: first send every range that
   * runs nowhere one read of its first key, so sharding starts it (on a survivor after a node was
   * lost), and report where it runs then.
   */
  ObjectNode status(boolean wake) throws Exception {
    Cluster cluster = Cluster.get(system);
    var state = cluster.state();
    java.util.Set<Address> unreachable = new java.util.HashSet<>();
    state.getUnreachable().forEach(m -> unreachable.add(m.address()));
    ObjectNode out = JSON.createObjectNode();
    out.put("self", hostPort(cluster.selfMember().address()));
    out.put("initialized", membership.storeInitialized());
    out.put("leader", state.getLeader() == null ? null : hostPort(state.getLeader()));

    Map<Address, List<RangeDescriptor>> byNode = new HashMap<>();
    List<RangeDescriptor> unplaced = new ArrayList<>();
    RangeClient client = ranges.get();
    String rangesError = null;
    if (client == null) {
      rangesError = "this node's KV layer is not running yet";
    } else {
      client.refresh().toCompletableFuture().get(QUERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Map<String, Address> shardHome = shardHomes();
      HashCodeMessageExtractor<RangeActor.Command> shards = new HashCodeMessageExtractor<>(
          system.settings().config().getInt("pekko.cluster.sharding.number-of-shards"));
      if (wake) {
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (RangeDescriptor d : client.cachedDescriptors()) {
          if (!shardHome.containsKey(shards.shardId(d.entityId()))) {
            reads.add(client.askRange(d.rangeId(), r -> new RangeActor.Get(d.startKey(), java.util.UUID.randomUUID(),
                client.clock().now(), false, r)).toCompletableFuture());
          }
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
            .get(QUERY_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        shardHome = shardHomes();
      }
      for (RangeDescriptor d : client.cachedDescriptors()) {
        Address home = shardHome.get(shards.shardId(d.entityId()));
        if (home == null) {
          unplaced.add(d);
        } else {
          byNode.computeIfAbsent(home, a -> new ArrayList<>()).add(d);
        }
      }
    }

    ArrayNode nodes = out.putArray("nodes");
    List<Member> members = new ArrayList<>();
    state.getMembers().forEach(members::add);
    members.sort((a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0);
    for (Member m : members) {
      ObjectNode n = nodes.addObject();
      n.put("address", hostPort(m.address()));
      n.put("status", m.status().toString());
      n.put("reachable", !unreachable.contains(m.address()));
      List<RangeDescriptor> here = byNode.getOrDefault(m.address(), List.of());
      n.put("leaseholders", here.size());
      ArrayNode rs = n.putArray("ranges");
      here.stream().sorted((a, b) -> Keys.compare(a.startKey(), b.startKey())).forEach(d -> rs.add(range(d)));
    }
    if (rangesError != null) {
      out.put("rangesError", rangesError);
    }
    ArrayNode idle = out.putArray("rangesNotRunning");
    unplaced.forEach(d -> idle.add(range(d)));
    return out;
  }

  private static ObjectNode range(RangeDescriptor d) {
    ObjectNode r = JSON.createObjectNode();
    r.put("rangeId", d.rangeId());
    r.put("start", Keys.toString(d.startKey()));
    r.put("end", d.endKey() == null ? null : Keys.toString(d.endKey()));
    return r;
  }

  /** Shard id → the node whose region hosts it (sharding's cluster-wide statistics). */
  private Map<String, Address> shardHomes() throws Exception {
    ShardRegion.ClusterShardingStats stats = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.ClusterShardingStats>ask(ClusterSharding.get(system).shardState(),
            r -> new GetClusterShardingStats(RangeActor.ENTITY_TYPE_KEY, QUERY_TIMEOUT, r),
            QUERY_TIMEOUT.plusSeconds(1), system.scheduler())
        .toCompletableFuture().get(QUERY_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
    Map<String, Address> homes = new TreeMap<>();
    stats.getRegions().forEach((address, region) -> region.getStats().keySet().forEach(s -> homes.put(s, address)));
    return homes;
  }

  private static String hostPort(Address a) {
    return a.host().isDefined() ? a.host().get() + ":" + a.port().get() : a.toString();
  }
}
