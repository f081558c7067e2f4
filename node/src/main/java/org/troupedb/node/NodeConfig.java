package org.troupedb.node;

import java.nio.file.Path;
import java.time.Duration;
import org.troupedb.pgwire.PgServerConfig;

/**
 * Everything a node needs to start.
 *
 * @param listen the PostgreSQL wire protocol address
 * @param http the HTTP address (health, readiness, Prometheus metrics)
 * @param cluster the Pekko remoting address this node's cluster member binds (port 0: any free)
 * @param store the data directory (journal, snapshots)
 * @param maxClockOffset the HLC max offset between nodes
 * @param certsDir a directory with {@code node.crt}/{@code node.key} (see {@link Certs}) to serve
 *     TLS to clients that ask for it, or null for no TLS
 * @param requireTls refuse clients that do not use TLS (needs {@code certsDir})
 * @param insecure trust every role without a password, from anywhere (development only); by
 *     default only root from loopback is trusted and every other login needs a password
 * @param passwordMethod how passwords are checked: SCRAM-SHA-256 (default) or cleartext
 * @param journal the journal and snapshot store (embedded RocksDB by default, H2, or Cassandra)
 * @param membership how the node becomes a cluster member: alone, or by joining others after
 *     {@code troupe init}
 * @param maxConnections pgwire's max_connections ({@code --max-connections}); null: the {@code
 *     troupedb.pgwire.max-connections} setting, else PostgreSQL's default (100)
 */
public record NodeConfig(HostPort listen, HostPort http, HostPort cluster, Path store, Duration maxClockOffset,
    Path certsDir, boolean requireTls, boolean insecure, PgServerConfig.PasswordMethod passwordMethod,
    JournalSettings journal, Membership membership, Integer maxConnections) {

  /**
   * How a node becomes a cluster member.
   *
   * @param single a one-member cluster that joins itself at start ({@code start-single-node})
   * @param join the cluster addresses of nodes to join ({@code --join}); a multi-node member never
   *     forms a cluster by itself: it waits until one node is initialized ({@code troupe init})
   *     and then joins it
   * @param stableAfter how long membership must be stable before the split-brain resolver downs
   *     unreachable members; null: the {@code troupedb.cluster.stable-after} setting
   */
  public record Membership(boolean single, java.util.List<HostPort> join, Duration stableAfter) {
    public static final Membership SINGLE = new Membership(true, java.util.List.of(), null);

    public Membership {
      join = java.util.List.copyOf(join);
      if (single && !join.isEmpty()) {
        throw new IllegalArgumentException("a single node joins no other node");
      }
      if (stableAfter != null && (stableAfter.isNegative() || stableAfter.isZero())) {
        throw new IllegalArgumentException("stable-after must be positive, not " + stableAfter);
      }
    }

    /** A member of a multi-node cluster joining {@code join}. */
    public static Membership joining(java.util.List<HostPort> join, Duration stableAfter) {
      return new Membership(false, join, stableAfter);
    }
  }

  public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 26257);
  public static final HostPort DEFAULT_HTTP = new HostPort("127.0.0.1", 8080);
  public static final Duration DEFAULT_MAX_OFFSET = Duration.ofMillis(500);

  public NodeConfig {
    java.util.Objects.requireNonNull(passwordMethod, "passwordMethod");
    java.util.Objects.requireNonNull(journal, "journal");
    java.util.Objects.requireNonNull(membership, "membership");
    if (requireTls && certsDir == null) {
      throw new IllegalArgumentException("requiring TLS needs a certificates directory");
    }
  }

  /** A single node on the embedded (RocksDB) journal. */
  public NodeConfig(HostPort listen, HostPort http, HostPort cluster, Path store, Duration maxClockOffset,
      Path certsDir, boolean requireTls, boolean insecure, PgServerConfig.PasswordMethod passwordMethod) {
    this(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, insecure, passwordMethod,
        JournalSettings.ROCKSDB, Membership.SINGLE, null);
  }

  /** Password authentication by SCRAM-SHA-256, root trusted from loopback. */
  public NodeConfig(HostPort listen, HostPort http, HostPort cluster, Path store, Duration maxClockOffset,
      Path certsDir, boolean requireTls) {
    this(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, false,
        PgServerConfig.PasswordMethod.SCRAM_SHA_256);
  }

  /** Without TLS. */
  public NodeConfig(HostPort listen, HostPort http, HostPort cluster, Path store, Duration maxClockOffset) {
    this(listen, http, cluster, store, maxClockOffset, null, false);
  }

  /** The same node serving TLS from {@code dir}, optionally refusing plaintext clients. */
  public NodeConfig withTls(Path dir, boolean required) {
    return new NodeConfig(listen, http, cluster, store, maxClockOffset, dir, required, insecure, passwordMethod,
        journal, membership, maxConnections);
  }

  /** The same node with another client authentication policy. */
  public NodeConfig withAuth(boolean trustEveryone, PgServerConfig.PasswordMethod method) {
    return new NodeConfig(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, trustEveryone, method,
        journal, membership, maxConnections);
  }

  /** The same node with another way of becoming a cluster member. */
  public NodeConfig withMembership(Membership m) {
    return new NodeConfig(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, insecure,
        passwordMethod, journal, m, maxConnections);
  }

  /** The same node on another journal. */
  public NodeConfig withJournal(JournalSettings other) {
    return new NodeConfig(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, insecure,
        passwordMethod, other, membership, maxConnections);
  }

  /** The same node with another max_connections (null: the setting, else 100). */
  public NodeConfig withMaxConnections(Integer n) {
    return new NodeConfig(listen, http, cluster, store, maxClockOffset, certsDir, requireTls, insecure,
        passwordMethod, journal, membership, n);
  }

  /** The pgwire authentication policy this configuration asks for. */
  PgServerConfig.Auth pgAuth() {
    return insecure ? PgServerConfig.Auth.TRUST : PgServerConfig.Auth.PASSWORD;
  }

  /** A single node on loopback with the given ports (0 = any free port) and store. */
  public static NodeConfig singleNode(int pgPort, int httpPort, Path store) {
    return new NodeConfig(
        new HostPort("127.0.0.1", pgPort), new HostPort("127.0.0.1", httpPort),
        new HostPort("127.0.0.1", 0), store, DEFAULT_MAX_OFFSET);
  }
}
