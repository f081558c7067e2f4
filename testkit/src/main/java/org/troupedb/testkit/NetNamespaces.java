package org.troupedb.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network of Linux network namespaces for partition tests (needs root and iproute2's
 * {@code ip}; no iptables): one namespace per host, joined by a bridge that lives in a hub
 * namespace of its own, plus one point-to-point link per host from the test's own namespace so
 * the test can talk to every host even while that host is cut off from the others.
 *
 * <pre>
 *   hub namespace:  bridge0 ── h0 ─── f0 [host 0: 10.S.0.10]  c0 ─── tpSc0 [10.S.1.1, the test's side]
 *                      ├─ h1 ─── f1 [host 1: 10.S.0.11]  c1 ─── tpSc1 [10.S.2.1]
 *                      └─ …
 *   isolate(i): hub's h&lt;i&gt; down (host i reaches no other host, the others not it); heal(i): up.
 * </pre>
 *
 * <p>Every address is private to this machine: the fabric 10.S.0.0/24 exists only inside the
 * namespaces, and each client link is a /30 between the test's namespace and one host (no
 * gateway, no route beyond). S is random and checked unused. Processes are started inside a host
 * through {@link #exec}. {@link #close()} kills what still runs in the namespaces and deletes
 * them (which deletes their links); a JVM shutdown hook does the same if the test never closes.
 */
public final class NetNamespaces implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetNamespaces.class);

  private final int subnet;
  private final int hosts;
  private final String hub;
  private final CleanupOnExit deletion = new CleanupOnExit("netns-delete", this::deleteQuietly);

  private NetNamespaces(int subnet, int hosts) {
    this.subnet = subnet;
    this.hosts = hosts;
    this.hub = "tp" + subnet + "hub";
  }

  /** Creates {@code hosts} (1–9) hosts on one bridge; fails with the command's output if not root. */
  public static NetNamespaces create(int hosts) throws IOException, InterruptedException {
    if (hosts < 1 || hosts > 9) {
      throw new IllegalArgumentException("1 to 9 hosts, not " + hosts);
    }
    String routes = run("ip", "-4", "route", "show", "table", "all") + run("ip", "netns", "list");
    int subnet = -1;
    for (int tries = 0; tries < 50 && subnet < 0; tries++) {
      int s = ThreadLocalRandom.current().nextInt(100, 250);
      if (!routes.contains("10." + s + ".") && !routes.contains("tp" + s)) {
        subnet = s;
      }
    }
    if (subnet < 0) {
      throw new IllegalStateException("no unused 10.S.0.0/16 subnet found");
    }
    NetNamespaces net = new NetNamespaces(subnet, hosts);
    net.deletion.arm();
    try {
      net.build();
    } catch (IOException | RuntimeException | InterruptedException e) {
      net.close();
      throw e;
    }
    LOG.info("network namespaces {} and hosts 0..{} on 10.{}.0.0/24 (client links 10.{}.i+1.0/30)", net.hub,
        hosts - 1, subnet, subnet);
    return net;
  }

  private void build() throws IOException, InterruptedException {
    run("ip", "netns", "add", hub);
    run("ip", "-n", hub, "link", "set", "lo", "up");
    run("ip", "-n", hub, "link", "add", "bridge0", "type", "bridge");
    run("ip", "-n", hub, "link", "set", "bridge0", "up");
    for (int i = 0; i < hosts; i++) {
      String ns = namespace(i);
      run("ip", "netns", "add", ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "-n", hub, "link", "add", "h" + i, "type", "veth", "peer", "name", "f" + i, "netns", ns);
      run("ip", "-n", hub, "link", "set", "h" + i, "master", "bridge0", "up");
      run("ip", "-n", ns, "addr", "add", fabricAddress(i) + "/24", "dev", "f" + i);
      run("ip", "-n", ns, "link", "set", "f" + i, "up");
      String rootSide = "tp" + subnet + "c" + i;
      run("ip", "link", "add", rootSide, "type", "veth", "peer", "name", "c" + i, "netns", ns);
      run("ip", "addr", "add", "10." + subnet + "." + (i + 1) + ".1/30", "dev", rootSide);
      run("ip", "link", "set", rootSide, "up");
      run("ip", "-n", ns, "addr", "add", clientAddress(i) + "/30", "dev", "c" + i);
      run("ip", "-n", ns, "link", "set", "c" + i, "up");
    }
  }

  /** Host {@code i}'s address on the shared fabric (what other hosts reach it at). */
  public String fabricAddress(int i) {
    return "10." + subnet + ".0." + (10 + check(i));
  }

  /** Host {@code i}'s address on its own link to the test (reachable from the test's JVM only). */
  public String clientAddress(int i) {
    return "10." + subnet + "." + (check(i) + 1) + ".2";
  }

  /** The command prefix that runs a program inside host {@code i}: {@code ip netns exec NS}. */
  public List<String> exec(int i) {
    return List.of("ip", "netns", "exec", namespace(check(i)));
  }

  /** Cuts host {@code i} off the fabric (its link to the test stays up). */
  public void isolate(int i) throws IOException, InterruptedException {
    run("ip", "-n", hub, "link", "set", "h" + check(i), "down");
    LOG.info("host {} ({}) isolated", i, fabricAddress(i));
  }

  /** Puts host {@code i} back on the fabric. */
  public void heal(int i) throws IOException, InterruptedException {
    run("ip", "-n", hub, "link", "set", "h" + check(i), "up");
    LOG.info("host {} ({}) healed", i, fabricAddress(i));
  }

  /** Kills whatever still runs inside the namespaces, then deletes them. Idempotent. */
  @Override
  public void close() {
    deletion.runNow();
  }

  private void deleteQuietly() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      all.add(namespace(i));
    }
    all.add(hub);
    for (String ns : all) {
      try {
        for (String pid : run("ip", "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
              LOG.warn("killing pid {} ({}) still running in {}", p.pid(), p.info().command().orElse("?"), ns);
              p.destroyForcibly();
            });
          }
        }
      } catch (Exception e) {
        // the namespace does not exist (creation failed half-way)
      }
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        LOG.debug("could not delete {}: {}", ns, e.getMessage());
      }
    }
  }

  private String namespace(int i) {
    return "tp" + subnet + "n" + i;
  }

  private int check(int i) {
    if (i < 0 || i >= hosts) {
      throw new IllegalArgumentException("no host " + i + " (0.." + (hosts - 1) + ")");
    }
    return i;
  }

  /** Runs a command (bounded, 30 s); returns its output, or throws with it on a non-zero exit. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 30 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ", needs root"
          + " and iproute2): " + out.strip());
    }
    return out;
  }
}
