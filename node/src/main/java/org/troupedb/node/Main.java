package org.troupedb.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code troupe} command line: {@code troupe start-single-node [options]}. */
@Command(name = "troupe", mixinStandardHelpOptions = true, version = "TroupeDB 0.1.0",
    description = "TroupeDB, a distributed SQL database that speaks the PostgreSQL protocol.",
    subcommands = {Main.StartSingleNode.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: start-single-node)");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Starts a one-member cluster with the embedded journal, and serves until SIGTERM/SIGINT. */
  @Command(name = "start-single-node", mixinStandardHelpOptions = true,
      description = "Start a single node (a one-member cluster with an embedded journal) and serve until stopped.")
  static final class StartSingleNode implements Callable<Integer> {
    @Option(names = "--listen-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:26257",
        description = "PostgreSQL protocol address (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--http-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
        description = "HTTP address for /health, /ready and /metrics (default: ${DEFAULT-VALUE}).")
    String http;

    @Option(names = "--cluster-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
        description = "Cluster (Pekko Artery) address; port 0 picks a free port (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "troupe-data",
        description = "Data directory (default: ./${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--max-offset", paramLabel = "MILLIS", defaultValue = "500",
        description = "Maximum clock offset between nodes in ms (default: ${DEFAULT-VALUE}).")
    long maxOffsetMillis;

    @Override
    public Integer call() throws Exception {
      NodeConfig config = new NodeConfig(HostPort.parse(listen), HostPort.parse(http), HostPort.parse(cluster),
          store, Duration.ofMillis(maxOffsetMillis));
      TroupeNode node = TroupeNode.start(config);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        node.close();
        stopped.countDown();
      }, "troupe-shutdown"));
      System.err.printf("TroupeDB is ready. Connect with: psql -h %s -p %d -U root defaultdb%n",
          node.pgAddress().getHostString(), node.pgAddress().getPort());
      stopped.await();
      return 0;
    }
  }
}
