package org.troupedb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throwaway Apache Cassandra 5.0 nodes for tests (one by default), started and stopped by the
 * repository's {@code ops/cassandra} script — the launcher users run, so tests exercise it too — on
 * consecutive random 127.0.0.x addresses (from 100 up, below 250) with free CQL and storage ports,
 * in a directory the caller owns.
 * {@link #close()} stops it; a JVM shutdown hook stops one that was never closed.
 *
 * <pre>
 *   start(dir): pick 127.0.0.x + free ports ──▶ ops/cassandra start --dir dir … (waits for CQL, bounded)
 *   close():    ops/cassandra stop --dir dir (SIGTERM, SIGKILL after 30 s)
 * </pre>
 *
 * <p>NB: Maven resolves cassandra-all (about 60 MB) the first time; later starts use the cached
 * classpath in {@code ops/cassandra-runtime/target}.
 */
public final class LocalCassandra implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCassandra.class);
  private static final long START_TIMEOUT_SECONDS = 150;

  private final Path script;
  private final Path dir;
  private final List<String> addresses;
  private final int cqlPort;
  private final CleanupOnExit stop;
  /** What {@code ops/cassandra start} runs under (e.g. {@code ip netns exec NS}); empty: nothing. */
  private final List<String> startPrefix;

  private LocalCassandra(Path script, Path dir, List<String> addresses, int cqlPort, List<String> startPrefix) {
    this.script = script;
    this.startPrefix = List.copyOf(startPrefix);
    this.dir = dir;
    this.addresses = List.copyOf(addresses);
    this.cqlPort = cqlPort;
    this.stop = new CleanupOnExit("local-cassandra-stop", this::stopQuietly);
  }

  /** Starts one node with its data and logs under {@code dir}; returns once it answers CQL. */
  public static LocalCassandra start(Path dir) throws IOException, InterruptedException {
    return start(dir, 1);
  }

  /** Starts {@code nodes} nodes (1–9) under {@code dir}; returns once every one answers CQL. */
  public static LocalCassandra start(Path dir, int nodes) throws IOException, InterruptedException {
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("1 to 9 Cassandra nodes, not " + nodes);
    }
    Path script = findScript();
    Files.createDirectories(dir);
    int first = ThreadLocalRandom.current().nextInt(100, 250 - nodes);
    List<String> addresses = java.util.stream.IntStream.range(first, first + nodes)
        .mapToObj(i -> "127.0.0." + i).toList();
    int[] ports = freePorts(addresses, 2);
    String address = addresses.get(0);
    return launch(new LocalCassandra(script, dir.toAbsolutePath(), addresses, ports[0], List.of()), ports[1]);
  }

  /**
   * Starts one node on {@code address} (e.g. a host of {@link NetNamespaces}, where every port is
   * free: CQL 9042, storage 7000), with {@code ops/cassandra start} run under {@code prefix} (e.g.
   * {@code ip netns exec NS}), so Cassandra lives where the prefix puts it.
   */
  public static LocalCassandra startIn(Path dir, String address, List<String> prefix)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    return launch(new LocalCassandra(findScript(), dir.toAbsolutePath(), List.of(address), 9042, prefix), 7000);
  }

  private static LocalCassandra launch(LocalCassandra c, int storagePort) throws IOException, InterruptedException {
    c.stop.arm();
    long t0 = System.nanoTime();
    try {
      c.run(START_TIMEOUT_SECONDS + 30, c.startPrefix, "start", "--dir", c.dir.toString(), "--address",
          c.addresses.get(0), "--cql-port", Integer.toString(c.cqlPort), "--storage-port", Integer.toString(storagePort),
          "--nodes", Integer.toString(c.addresses.size()), "--heap", "768M",
          "--timeout", Long.toString(START_TIMEOUT_SECONDS));
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
    LOG.info("Cassandra answers CQL at {} after {} ms (data and logs in {})", c.contactPoints(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), c.dir);
    return c;
  }

  /** Node 1's CQL address as {@code host:port}, as {@code --cassandra} takes it. */
  public String contactPoint() {
    return contactPoints().get(0);
  }

  /** Every node's CQL address as {@code host:port}, node 1 first. */
  public List<String> contactPoints() {
    return addresses.stream().map(a -> a + ":" + cqlPort).toList();
  }

  /** {@code kill -9} of node {@code i} (1-based): a lost Cassandra node. {@link #close()} still works. */
  public void kill9(int i) throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readString(dir.resolve("node" + i).resolve("cassandra.pid")).trim());
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node" + i + " is not running"));
    p.destroyForcibly();
    p.onExit().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Where the node's data, logs ({@code node1/logs/system.log}) and pid file live. */
  public Path dir() {
    return dir;
  }

  /** Stops the node (bounded). Idempotent. */
  @Override
  public void close() {
    stop.runNow();
  }

  private void stopQuietly() {
    try {
      run(60, List.of(), "stop", "--dir", dir.toString()); // by pid: works from outside a namespace too
    } catch (Exception e) {
      LOG.warn("could not stop Cassandra in {}", dir, e);
    }
  }

  /**
   * Runs {@code PREFIX… ops/cassandra ARGS…}, bounded; its output goes to {@code
   * dir/ops-cassandra.log}.
   */
  private void run(long timeoutSeconds, List<String> prefix, String... args) throws IOException, InterruptedException {
    Path log = dir.resolve("ops-cassandra.log");
    List<String> cmd = new java.util.ArrayList<>(prefix);
    cmd.addAll(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("ops/cassandra " + args[0] + " did not finish in " + timeoutSeconds + " s\n"
          + tail(log));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("ops/cassandra " + args[0] + " failed (exit " + p.exitValue() + "):\n"
          + tail(log));
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** {@code ops/cassandra} in this checkout: searched upwards from the working directory. */
  static Path findScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve("ops").resolve("cassandra");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    throw new IllegalStateException("ops/cassandra not found above " + Path.of("").toAbsolutePath());
  }

  /** {@code n} distinct ports free right now on the first address, and checked free on the others. */
  private static int[] freePorts(List<String> addresses, int n) {
    ServerSocket[] held = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        held[i] = new ServerSocket();
        held[i].bind(new InetSocketAddress(InetAddress.getByName(addresses.get(0)), 0), 1);
        ports[i] = held[i].getLocalPort();
        for (String other : addresses.subList(1, addresses.size())) {
          try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(other), ports[i]), 1);
          }
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + addresses + " (try again: the addresses are random)", e);
    } finally {
      for (ServerSocket s : held) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException ignored) {
            // best effort
          }
        }
      }
    }
  }
}
