package org.troupedb.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The multi-node commands, after CockroachDB's: {@code troupe start --join …} runs a node that
 * joins a cluster, {@code troupe init} initializes a new cluster once through one node's HTTP
 * endpoint, and {@code troupe node status|decommission} ask any node about, or change, the
 * membership.
 */
final class ClusterCommands {
  private ClusterCommands() {}

  /** Starts a member of a multi-node cluster and serves until SIGTERM/SIGINT. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Start a node of a multi-node cluster and serve until stopped.",
          "The node joins the nodes named by --join once one of them is a member of an initialized cluster;"
              + " a new cluster is initialized once, on one node, with `troupe init`."})
  static final class Start extends Main.NodeOptions {
    @Option(names = "--join", paramLabel = "HOST:PORT", required = true, split = ",",
        description = "Cluster addresses (--cluster-addr) of nodes to join; list the same nodes, in the same order,"
            + " on every node. May include this node.")
    List<String> join;

    @Option(names = "--cluster-addr", paramLabel = "HOST:PORT", required = true,
        description = "Cluster (Pekko Artery) address other nodes reach this one at; the port must be fixed.")
    String cluster;

    @Option(names = "--stable-after", paramLabel = "DURATION",
        description = "Down unreachable nodes once membership has been stable this long (e.g. 5s, 1500ms;"
            + " default: the troupedb.cluster.stable-after setting, 5s).")
    String stableAfter;

    @Option(names = "--unsafe-local-journals",
        description = "Run on per-node H2 journals instead of a shared Cassandra journal: development and tests"
            + " only, since a node that stops or is downed takes its ranges' data with it.")
    boolean unsafeLocalJournals;

    @Override
    String clusterAddr() {
      return cluster;
    }

    @Override
    NodeConfig.Membership membership() {
      // config() has parsed the journal options by now, so this parse cannot fail.
      if (JournalSettings.parse(journal, cassandra).kind() != JournalSettings.Kind.CASSANDRA && !unsafeLocalJournals) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "a multi-node cluster needs the shared journal: --journal cassandra --cassandra HOST:PORT"
                + " (start one with ops/cassandra start); --unsafe-local-journals runs on per-node embedded"
                + " journals for development only (a node that stops takes its ranges' data with it)");
      }
      if (HostPort.parse(cluster).port() == 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--cluster-addr needs a fixed port: other nodes --join it");
      }
      List<HostPort> seeds = new ArrayList<>();
      for (String j : join) {
        try {
          seeds.add(HostPort.parse(j.trim()));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--join: " + e.getMessage());
        }
      }
      Duration stable = null;
      if (stableAfter != null) {
        try {
          stable = com.typesafe.config.ConfigFactory.parseString("d = " + stableAfter).getDuration("d");
        } catch (RuntimeException e) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--stable-after must be a duration such as 5s or 1500ms, not " + stableAfter);
        }
        if (stable.isZero() || stable.isNegative()) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--stable-after must be positive");
        }
      }
      return NodeConfig.Membership.joining(seeds, stable);
    }
  }

  /** Options naming the node a client command talks to. */
  abstract static class HttpClientCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
        description = "HTTP address (--http-addr) of a node (default: ${DEFAULT-VALUE}).")
    String host;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Sends {@code method path} to the node; prints the body; exit code 0 on 2xx, else 1. */
    int call(String method, String path) throws InterruptedException {
      HostPort hp;
      try {
        hp = HostPort.parse(host);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--host: " + e.getMessage());
      }
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hp + path))
          .timeout(Duration.ofMinutes(3)).method(method, HttpRequest.BodyPublishers.noBody()).build();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        boolean ok = response.statusCode() / 100 == 2;
        (ok ? System.out : System.err).print(response.body());
        return ok ? 0 : 1;
      } catch (IOException e) {
        System.err.printf("troupe: cannot reach the node at %s: %s%n", hp, e);
        return 1;
      }
    }
  }

  /** Initializes a new cluster through one node: that node forms it, the others join it. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Initialize a new cluster, once, through one of its nodes (started with `troupe start`).",
          "A second init, on any node of the cluster, is refused."})
  static final class Init extends HttpClientCommand {
    @Override
    public Integer call() throws Exception {
      return call("POST", "/cluster/init");
    }
  }

  /** {@code troupe node status | decommission}. */
  @Command(name = "node", mixinStandardHelpOptions = true, description = "Cluster membership.",
      subcommands = {NodeCmd.Status.class, NodeCmd.Decommission.class})
  static final class NodeCmd implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: status, decommission)");
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "The cluster's nodes, their liveness, and the ranges each hosts (its leaseholders), as JSON.")
    static final class Status extends HttpClientCommand {
      @Override
      public Integer call() throws Exception {
        return call("GET", "/cluster/status");
      }
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true,
        description = {"Move every range off a node, then let it leave the cluster and exit (Pekko Leave).",
            "Prints the node's progress (its ranges) until it has left; ask another node (--host) than the one"
                + " leaving. Refused on per-node journals (--unsafe-local-journals)."})
    static final class Decommission extends HttpClientCommand {
      @CommandLine.Parameters(paramLabel = "NODE", description = "The node's cluster address, HOST:PORT.")
      String node;

      @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "300",
          description = "Wait at most this long for the node to leave (default: ${DEFAULT-VALUE}; 0: do not wait).")
      int waitSeconds;

      @Override
      public Integer call() throws Exception {
        int asked = call("POST", "/cluster/decommission?node=" + java.net.URLEncoder.encode(node,
            java.nio.charset.StandardCharsets.UTF_8));
        if (asked != 0 || waitSeconds <= 0) {
          return asked;
        }
        return new DecommissionProgress(HostPort.parse(host), node, System.out)
            .await(Duration.ofSeconds(waitSeconds)) ? 0 : 1;
      }
    }
  }
}
