package org.troupedb.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TroupeDB node in a child JVM, started from the packaged layout ({@code target/troupe-node.jar}),
 * so tests can {@code kill -9} it. Readiness is the "ready" line the node prints on stderr.
 */
final class NodeProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "troupe-node.jar");

  private final Process process;
  /** The command that started the process (for {@link #restart}). */
  private final List<String> command;
  /** The host clients reach pgwire and HTTP at. */
  private final String host;
  private final int pgPort;
  /** The HTTP port ({@code /metrics}), or -1 when the caller chose it. */
  private final int httpPort;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** Completes when the node prints that it started (a cluster member serves HTTP then). */
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  private final Thread reader;

  private NodeProcess(List<String> command, String host, int pgPort, int httpPort) throws IOException {
    this(command, Map.of(), host, pgPort, httpPort);
  }

  private NodeProcess(List<String> command, Map<String, String> env, String host, int pgPort, int httpPort)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    this.process = pb.start();
    this.command = List.copyOf(command);
    this.host = host;
    this.pgPort = pgPort;
    this.httpPort = httpPort;
    reader = new Thread(this::pump, "node-stderr-" + pgPort);
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(Path store, int pgPort) throws IOException {
    return start(store, pgPort, new String[0]);
  }

  /** With more {@code start-single-node} options (e.g. {@code --journal cassandra --cassandra …}). */
  static NodeProcess start(Path store, int pgPort, String... moreArgs) throws IOException {
    return startWithJvm(List.of("-Xmx1g"), store, pgPort, moreArgs);
  }

  /** With these JVM options (heap size, {@code -D} settings) instead of {@code -Xmx1g}. */
  static NodeProcess startWithJvm(List<String> jvmOptions, Path store, int pgPort, String... moreArgs)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int httpPort = freePort();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", JAR.toString(), "start-single-node",
        "--listen-addr", "127.0.0.1:" + pgPort, "--http-addr", "127.0.0.1:" + httpPort,
        "--store", store.toString()));
    cmd.addAll(List.of(moreArgs));
    return new NodeProcess(cmd, "127.0.0.1", pgPort, httpPort);
  }

  /**
   * A single node started by the {@code ops/troupe} script at {@code script} (which execs the JVM,
   * so this process is the node's), with these environment variables added.
   */
  static NodeProcess startScript(Path script, Map<String, String> env, Path store, int pgPort)
      throws IOException {
    int httpPort = freePort();
    List<String> cmd = List.of(script.toString(), "start-single-node",
        "--listen-addr", "127.0.0.1:" + pgPort, "--http-addr", "127.0.0.1:" + httpPort,
        "--store", store.toString());
    return new NodeProcess(cmd, env, "127.0.0.1", pgPort, httpPort);
  }

  /** The node JVM's command line, as the OS reports it. */
  String commandLine() {
    return process.info().commandLine().orElse("");
  }

  /**
   * A member of a multi-node cluster ({@code troupe start --join}), serving pgwire, HTTP and
   * cluster traffic on the given loopback ports; it serves SQL once the cluster is initialized.
   */
  static NodeProcess startMember(Path store, int pgPort, int httpPort, int clusterPort, List<Integer> joinPorts)
      throws IOException {
    return startMember(store, pgPort, httpPort, clusterPort, joinPorts, "--unsafe-local-journals");
  }

  /**
   * A cluster member with its journal options ({@code --journal cassandra --cassandra …}, or
   * {@code --unsafe-local-journals}); its HTTP port is {@code httpPort}.
   */
  static NodeProcess startMember(Path store, int pgPort, int httpPort, int clusterPort, List<Integer> joinPorts,
      String... journalArgs) throws IOException {
    List<String> join = joinPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    return startMember(store, new Placement(List.of(), "127.0.0.1", "127.0.0.1", join), pgPort, httpPort,
        clusterPort, journalArgs);
  }

  /**
   * Where a cluster member runs.
   *
   * @param prefix what the JVM is started under (e.g. {@code ip netns exec NS}); empty: nothing
   * @param clusterHost the host of its {@code --cluster-addr}
   * @param clientHost the host of its pgwire and HTTP listeners (what the test connects to)
   * @param join the {@code --join} list, {@code host:port} each, the same on every member
   */
  record Placement(List<String> prefix, String clusterHost, String clientHost, List<String> join) {}

  /** A cluster member placed by {@code where}; see {@link #startMember(Path, int, int, int, List, String...)}. */
  static NodeProcess startMember(Path store, Placement where, int pgPort, int httpPort, int clusterPort,
      String... journalArgs) throws IOException {
    return startMember(List.of(), store, where, pgPort, httpPort, clusterPort, journalArgs);
  }

  /** A cluster member on loopback started with {@code jvmOptions} (e.g. {@code -Dtroupedb.kv.split-keys=200}). */
  static NodeProcess startMember(List<String> jvmOptions, Path store, int pgPort, int httpPort, int clusterPort,
      List<Integer> joinPorts, String... journalArgs) throws IOException {
    List<String> join = joinPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    return startMember(jvmOptions, store, new Placement(List.of(), "127.0.0.1", "127.0.0.1", join), pgPort, httpPort,
        clusterPort, journalArgs);
  }

  private static NodeProcess startMember(List<String> jvmOptions, Path store, Placement where, int pgPort,
      int httpPort, int clusterPort, String... journalArgs) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(where.prefix());
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-Xmx512m", "-jar", JAR.toAbsolutePath().toString(), "start",
        "--join", String.join(",", where.join()), "--cluster-addr", where.clusterHost() + ":" + clusterPort,
        "--listen-addr", where.clientHost() + ":" + pgPort, "--http-addr", where.clientHost() + ":" + httpPort,
        "--store", store.toString(), "--stable-after", "3s"));
    cmd.addAll(List.of(journalArgs));
    return new NodeProcess(cmd, where.clientHost(), pgPort, httpPort);
  }

  /** The same command again, as a new process (e.g. after this one exited or was killed). */
  NodeProcess restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("the node still runs (pid " + process.pid() + ")");
    }
    return new NodeProcess(command, host, pgPort, httpPort);
  }

  /** Whether the process has exited within {@code timeout} (its exit code then: {@link #exitCode}). */
  boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int exitCode() {
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Ports {@link #freePort} handed out in this JVM: never handed out twice. */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A loopback port free now and not handed out before in this JVM. NB: the OS may give a port
   * that was just closed again, so a test asking for a node's pgwire, HTTP and cluster ports one
   * after the other could get one twice (ClusterIT once did: a node's pgwire port was another's
   * cluster port).
   */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no loopback port that was not handed out before in 100 attempts");
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.contains("TroupeDB is ready")) {
          started.complete(null);
          ready.complete(null);
        }
        if (line.contains("TroupeDB node started")) {
          started.complete(null);
        }
      }
    } catch (IOException ignored) {
      // the process died; awaitReady reports its output
    }
    ready.completeExceptionally(new IllegalStateException("node exited before it was ready:\n" + output()));
    started.completeExceptionally(new IllegalStateException("node exited before it started:\n" + output()));
  }

  /** Waits (bounded) until the node serves HTTP (a cluster member before its cluster is initialized). */
  void awaitStarted() throws Exception {
    try {
      started.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node not started: " + e.getMessage() + "\n" + output(), e);
    }
  }

  /** Waits (bounded) until the node accepts SQL. */
  void awaitReady() throws Exception {
    try {
      ready.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node not ready: " + e.getMessage() + "\n" + output(), e);
    }
  }

  /** The HTTP port of a node from {@link #start} or {@link #startMember}. */
  int httpPort() {
    return httpPort;
  }

  /** The pgwire port (for clients other than pgjdbc). */
  int pgPort() {
    return pgPort;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + pgPort + "/defaultdb?user=root";
  }

  /** The host clients reach pgwire and HTTP at (127.0.0.1 unless placed elsewhere). */
  String host() {
    return host;
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** The first line of the node's output containing {@code text}, or null. */
  String firstLine(String text) {
    synchronized (output) {
      return output.stream().filter(l -> l.contains(text)).findFirst().orElse(null);
    }
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node did not die after SIGKILL");
    }
  }

  /** SIGTERM, then waits for a clean exit; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("node did not stop within 60 s of SIGTERM");
    }
    reader.join(10_000); // the rest of its output
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
