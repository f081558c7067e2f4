package org.troupedb.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.troupedb.pgwire.PgServerConfig;
import org.troupedb.range.RangeStorage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code troupe} command line: {@code troupe start-single-node [options]}, or for a cluster
 * {@code troupe start --join …}, {@code troupe init} and {@code troupe node status|decommission}.
 */
@Command(name = "troupe", mixinStandardHelpOptions = true, version = "TroupeDB 0.1.0",
    description = "TroupeDB, a distributed SQL database that speaks the PostgreSQL protocol.",
    subcommands = {Main.StartSingleNode.class, ClusterCommands.Start.class, ClusterCommands.Init.class,
        ClusterCommands.NodeCmd.class, Main.Cert.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: start-single-node, start, init, node)");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** The options every node takes, with or without other nodes; {@link #run} serves until stopped. */
  abstract static class NodeOptions implements Callable<Integer> {
    @Option(names = "--listen-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:26257",
        description = "PostgreSQL protocol address (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--http-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
        description = "HTTP address for /health, /ready and /metrics (default: ${DEFAULT-VALUE}).")
    String http;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "troupe-data",
        description = "Data directory (default: ./${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--max-offset", paramLabel = "MILLIS", defaultValue = "500",
        description = "Maximum clock offset between nodes in ms (default: ${DEFAULT-VALUE}).")
    long maxOffsetMillis;

    @Option(names = "--certs-dir", paramLabel = "DIR",
        description = "Serve TLS to clients that ask for it, with node.crt and node.key from DIR (create them"
            + " with: troupe cert create-ca / create-node).")
    Path certsDir;

    @Option(names = "--require-tls",
        description = "Refuse clients that do not use TLS (needs --certs-dir).")
    boolean requireTls;

    @Option(names = "--insecure",
        description = "Trust every role without a password, from any address (development only). By default"
            + " only root connecting from a loopback address is trusted; every other login needs a password.")
    boolean insecure;

    @Option(names = "--password-auth", paramLabel = "METHOD", defaultValue = "scram",
        description = "How passwords are checked: scram (SCRAM-SHA-256, default) or password (cleartext; use"
            + " with TLS). md5 is refused: passwords are stored only as SCRAM-SHA-256 verifiers.")
    String passwordAuth;

    @Option(names = "--journal", paramLabel = "rocksdb|h2|cassandra", defaultValue = "rocksdb",
        description = "Journal and snapshot store: rocksdb (embedded, under --store, group commit across"
            + " ranges; default), h2 (embedded H2, for stores written before rocksdb was the default) or"
            + " cassandra (at --cassandra; replication factor min(3, addresses given), QUORUM reads and writes).")
    String journal;

    @Option(names = "--cassandra", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "Cassandra CQL addresses for --journal cassandra (e.g. 127.0.0.1:9042; start local"
            + " ones with ops/cassandra start).")
    String cassandra;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "Most concurrent client sessions, as PostgreSQL's max_connections (default: 100, or"
            + " troupedb.pgwire.max-connections); 3 of them are kept for superusers.")
    Integer maxConnections;

    @Option(names = "--gc-ttl", paramLabel = "DURATION",
        description = "MVCC garbage collection window (e.g. 4h, 90m; 0 keeps every version): older versions"
            + " hidden by a newer one, and older deletions, are removed; AS OF SYSTEM TIME cannot reach further"
            + " back (default: 4h, or troupedb.kv.gc-ttl).")
    String gcTtl;

    @Option(names = "--range-storage", paramLabel = "heap|disk",
        description = "Where ranges keep their MVCC data: heap (default) or disk (one RocksDB under --store;"
            + " a restart replays only the journal's tail, except with --journal cassandra, where it is"
            + " rebuilt from full snapshots; docs/storage.md). Or troupedb.kv.range-storage.")
    String rangeStorage;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    static final String GC_TTL = "troupedb.kv.gc-ttl";
    static final String RANGE_STORAGE = "troupedb.kv.range-storage";

    /** {@code --gc-ttl} checked as a HOCON duration (a bare number is milliseconds there, so it is refused). */
    String gcTtlSetting(String text) {
      String t = text.strip();
      try {
        if (!t.equals("0") && t.chars().allMatch(Character::isDigit)) {
          throw new IllegalArgumentException("needs a unit");
        }
        java.time.Duration d = com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("d", t)).getDuration("d");
        if (d.isNegative()) {
          throw new IllegalArgumentException("negative");
        }
        return t;
      } catch (RuntimeException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--gc-ttl must be a duration such as 4h, 90m or 0, not " + text);
      }
    }

    /** The cluster address this node binds. */
    abstract String clusterAddr();

    /** How this node becomes a cluster member. */
    abstract NodeConfig.Membership membership();

    NodeConfig config() {
      if (requireTls && certsDir == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--require-tls needs --certs-dir");
      }
      if (gcTtl != null) {
        gcTtlSetting(gcTtl); // refused here, before anything starts
      }
      if (rangeStorage != null) {
        try {
          RangeStorage.parse(rangeStorage);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--range-storage must be heap or disk, not "
              + rangeStorage);
        }
      }
      JournalSettings journalSettings;
      try {
        journalSettings = JournalSettings.parse(journal, cassandra);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PgServerConfig.PasswordMethod method = switch (passwordAuth) {
        case "scram", "scram-sha-256" -> PgServerConfig.PasswordMethod.SCRAM_SHA_256;
        case "password" -> PgServerConfig.PasswordMethod.PASSWORD;
        case "md5" -> throw new CommandLine.ParameterException(spec.commandLine(),
            "--password-auth=md5 is not supported: passwords are stored only as SCRAM-SHA-256 verifiers,"
                + " from which no MD5 hash can be derived; use scram or password");
        default -> throw new CommandLine.ParameterException(spec.commandLine(),
            "--password-auth must be scram, password or md5, not " + passwordAuth);
      };
      return new NodeConfig(HostPort.parse(listen), HostPort.parse(http), HostPort.parse(clusterAddr()),
          store, Duration.ofMillis(maxOffsetMillis), certsDir, requireTls, insecure, method, journalSettings,
          membership(), maxConnections);
    }

    @Override
    public Integer call() throws Exception {
      if (gcTtl != null) {
        System.setProperty(GC_TTL, gcTtlSetting(gcTtl));
        com.typesafe.config.ConfigFactory.invalidateCaches();
      }
      if (rangeStorage != null) {
        System.setProperty(RANGE_STORAGE, rangeStorage.strip());
        com.typesafe.config.ConfigFactory.invalidateCaches();
      }
      TroupeNode node = TroupeNode.start(config());
      CountDownLatch stopped = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopping.set(true);
        node.close();
        stopped.countDown();
      }, "troupe-shutdown"));
      if (!node.whenReady().isDone()) {
        System.err.printf("TroupeDB node started (http://%s:%d). It serves SQL once it is a member of an"
            + " initialized cluster: run `troupe init --host %s:%d` once, on one node.%n",
            node.httpAddress().getHostString(), node.httpAddress().getPort(),
            node.httpAddress().getHostString(), node.httpAddress().getPort());
      }
      node.whenRemoved().thenAcceptAsync(reason -> {
        if (!stopping.get()) {
          if (MemberRemoval.decommissioned(reason)) {
            System.err.println("TroupeDB node was decommissioned: it stopped serving, hands its ranges off to the"
                + " other nodes and exits.");
          } else {
            System.err.println("TroupeDB node was removed from the cluster (downed): it stopped serving and exits"
                + " with code " + MemberRemoval.EXIT_CODE + "; restart it to rejoin.");
            exit.set(MemberRemoval.EXIT_CODE);
          }
          node.close(); // waits for the coordinated shutdown (the hand-off) to finish
          stopped.countDown();
        }
      }, r -> new Thread(r, "troupe-removed").start());
      node.whenReady().whenComplete((v, e) -> {
        if (e == null) {
          System.err.printf("TroupeDB is ready. Connect with: psql -h %s -p %d -U root defaultdb%n",
              node.pgAddress().getHostString(), node.pgAddress().getPort());
        } else if (!stopping.get()) {
          System.err.println("TroupeDB node failed to start serving: " + e);
          exit.set(1);
          node.close();
          stopped.countDown();
        }
      });
      stopped.await();
      return exit.get();
    }
  }

  /**
   * Starts a one-member cluster with the embedded journal (or Cassandra with {@code --journal
   * cassandra}), and serves until SIGTERM/SIGINT.
   */
  @Command(name = "start-single-node", mixinStandardHelpOptions = true,
      description = "Start a single node (a one-member cluster with an embedded journal, or Cassandra with"
          + " --journal cassandra) and serve until stopped.")
  static final class StartSingleNode extends NodeOptions {
    @Option(names = "--cluster-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
        description = "Cluster (Pekko Artery) address; port 0 picks a free port (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Override
    String clusterAddr() {
      return cluster;
    }

    @Override
    NodeConfig.Membership membership() {
      return NodeConfig.Membership.SINGLE;
    }
  }

  /** {@code troupe cert create-ca | create-node}: the certificates a node serves TLS with. */
  @Command(name = "cert", mixinStandardHelpOptions = true,
      description = "Create a self-signed CA and node certificates for TLS.",
      subcommands = {Cert.CreateCa.class, Cert.CreateNode.class})
  static final class Cert implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: create-ca, create-node)");
    }

    @Command(name = "create-ca", mixinStandardHelpOptions = true,
        description = "Create ca.crt and ca.key (a self-signed certificate authority) in the certificates directory.")
    static final class CreateCa implements Callable<Integer> {
      @Option(names = "--certs-dir", paramLabel = "DIR", required = true, description = "Certificates directory.")
      Path dir;

      @Option(names = "--lifetime-days", paramLabel = "DAYS", defaultValue = "3650",
          description = "Validity (default: ${DEFAULT-VALUE} days).")
      long days;

      @Override
      public Integer call() throws Exception {
        Certs.createCa(dir, Duration.ofDays(days));
        System.err.printf("created %s and %s (keep ca.key private)%n", dir.resolve(Certs.CA_CERT),
            dir.resolve(Certs.CA_KEY));
        return 0;
      }
    }

    @Command(name = "create-node", mixinStandardHelpOptions = true,
        description = "Create node.crt and node.key, signed by the CA in the certificates directory.")
    static final class CreateNode implements Callable<Integer> {
      @Option(names = "--certs-dir", paramLabel = "DIR", required = true, description = "Certificates directory.")
      Path dir;

      @Option(names = "--host", paramLabel = "NAME|ADDRESS", required = true,
          description = "A host name or IP address clients use to reach the node (repeat for several).")
      java.util.List<String> hosts;

      @Option(names = "--lifetime-days", paramLabel = "DAYS", defaultValue = "1825",
          description = "Validity (default: ${DEFAULT-VALUE} days).")
      long days;

      @Override
      public Integer call() throws Exception {
        Certs.createNode(dir, hosts, Duration.ofDays(days));
        System.err.printf("created %s and %s for %s%n", dir.resolve(Certs.NODE_CERT), dir.resolve(Certs.NODE_KEY),
            String.join(", ", hosts));
        return 0;
      }
    }
  }
}
