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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TroupeDB node in a child JVM, started from the packaged layout ({@code target/troupe-node.jar}),
 * so tests can {@code kill -9} it. Readiness is the "ready" line the node prints on stderr.
 */
final class NodeProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "troupe-node.jar");

  private final Process process;
  private final int pgPort;
  /** The HTTP port ({@code /metrics}), or -1 when the caller chose it. */
  private final int httpPort;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** Completes when the node prints that it started (a cluster member serves HTTP then). */
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  private final Thread reader;

  private NodeProcess(Process process, int pgPort) {
    this(process, pgPort, -1);
  }

  private NodeProcess(Process process, int pgPort, int httpPort) {
    this.process = process;
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
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    return new NodeProcess(pb.start(), pgPort, httpPort);
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
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> join = joinPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", JAR.toString(), "start",
        "--join", String.join(",", join), "--cluster-addr", "127.0.0.1:" + clusterPort,
        "--listen-addr", "127.0.0.1:" + pgPort, "--http-addr", "127.0.0.1:" + httpPort,
        "--store", store.toString(), "--stable-after", "3s"));
    cmd.addAll(List.of(journalArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    return new NodeProcess(pb.start(), pgPort, httpPort);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/defaultdb?user=root";
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
