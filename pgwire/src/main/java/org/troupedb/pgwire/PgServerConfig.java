package org.troupedb.pgwire;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PgServer} listens and whom it admits.
 *
 * @param host the address to bind (e.g. "127.0.0.1")
 * @param port the TCP port; 0 picks a free one (see {@link PgServer#start()})
 * @param auth the client authentication policy
 * @param workerThreads Netty event-loop threads for connection I/O; 0 = one per core. Statements
 *     never run on these threads, and sessions write their answers themselves (see {@link
 *     PgDirectSocket}), so these threads only read; Netty's own default, two per core, measured
 *     slower (more context switches per query).
 * @param maxMessageBytes the largest Query, Parse, Bind, CopyData or FunctionCall message accepted
 *     (others are bounded as in PostgreSQL, see {@link PgFrameDecoder#limit}); a longer one is a
 *     protocol error (08P01, connection closed), detected from its length before it is buffered
 * @param tls TLS for clients that ask for it (and whether it is required), or null: SSLRequest is
 *     answered 'N'
 * @param passwordMethod how users authenticate with a password under {@link Auth#PASSWORD}
 * @param sessionReadIdle how long a busy connection's session thread keeps reading the socket
 *     itself after its last message before the event loop reads it again (see {@link
 *     PgSessionReader}); zero: the event loop always reads. Only on the epoll transport without TLS.
 * @param limits how many sessions and sockets are admitted (max_connections), and so how many
 *     session threads there can be
 */
public record PgServerConfig(String host, int port, Auth auth, int workerThreads, int maxMessageBytes, PgTls tls,
    PasswordMethod passwordMethod, Duration sessionReadIdle, PgLimits limits) {

  /**
   * 64 MiB: the longest Query, Parse, Bind, CopyData or FunctionCall message accepted (other
   * messages are bounded far lower, see {@link PgFrameDecoder#limit}). PostgreSQL allows up to
   * MaxAllocSize (1 GiB), but a node that buffers a whole message per connection cannot afford
   * that for every client; clients split COPY data into small CopyData messages anyway.
   */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

  /**
   * Long enough to span a client's think time between statements of a transaction or a batch
   * (a busy client's next statement arrives within a millisecond), short enough that idle
   * connections soon stop holding a thread.
   */
  public static final Duration DEFAULT_SESSION_READ_IDLE = Duration.ofMillis(200);

  /** Client authentication policies. */
  public enum Auth {
    /**
     * Like a pg_hba.conf "trust" line for user root from loopback addresses only: any other user
     * or a non-loopback client is refused with 28000.
     */
    TRUST_ROOT_FROM_LOOPBACK,
    /**
     * The node's default: root is trusted from loopback addresses (no password, like a pg_hba.conf
     * "local trust" line); every other connection authenticates with its role's password by
     * {@link PgServerConfig#passwordMethod()}. Wrong password, unknown role or a role without a
     * password: FATAL 28P01.
     */
    PASSWORD,
    /**
     * Insecure: every role that may log in is trusted from anywhere, without a password (pg_hba.conf
     * "trust"). For development only.
     */
    TRUST
  }

  /** Password authentication methods. */
  public enum PasswordMethod {
    /** SCRAM-SHA-256 (AuthenticationSASL): the password never crosses the wire. */
    SCRAM_SHA_256,
    /** Cleartext (AuthenticationCleartextPassword): only over TLS, or on a trusted network. */
    PASSWORD
  }

  /** With the default {@link PgLimits}. */
  public PgServerConfig(String host, int port, Auth auth, int workerThreads, int maxMessageBytes, PgTls tls,
      PasswordMethod passwordMethod, Duration sessionReadIdle) {
    this(host, port, auth, workerThreads, maxMessageBytes, tls, passwordMethod, sessionReadIdle, PgLimits.DEFAULT);
  }

  /** Without a password method (SCRAM-SHA-256). */
  public PgServerConfig(String host, int port, Auth auth, int workerThreads, int maxMessageBytes, PgTls tls) {
    this(host, port, auth, workerThreads, maxMessageBytes, tls, PasswordMethod.SCRAM_SHA_256,
        DEFAULT_SESSION_READ_IDLE);
  }

  /** Without TLS. */
  public PgServerConfig(String host, int port, Auth auth, int workerThreads, int maxMessageBytes) {
    this(host, port, auth, workerThreads, maxMessageBytes, null);
  }

  public PgServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(passwordMethod, "passwordMethod");
    Objects.requireNonNull(sessionReadIdle, "sessionReadIdle");
    Objects.requireNonNull(limits, "limits");
    if (sessionReadIdle.isNegative() || sessionReadIdle.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sessionReadIdle out of range: " + sessionReadIdle);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (workerThreads < 0) {
      throw new IllegalArgumentException("workerThreads < 0: " + workerThreads);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes < 1024: " + maxMessageBytes);
    }
  }

  /** 127.0.0.1 on a free port, trust for root from loopback, default threads and limits. */
  public static PgServerConfig loopback() {
    return new PgServerConfig("127.0.0.1", 0, Auth.TRUST_ROOT_FROM_LOOPBACK, 0, DEFAULT_MAX_MESSAGE_BYTES);
  }

  public PgServerConfig withPort(int newPort) {
    return new PgServerConfig(host, newPort, auth, workerThreads, maxMessageBytes, tls, passwordMethod,
        sessionReadIdle, limits);
  }

  public PgServerConfig withTls(PgTls newTls) {
    return new PgServerConfig(host, port, auth, workerThreads, maxMessageBytes, newTls, passwordMethod,
        sessionReadIdle, limits);
  }

  public PgServerConfig withSessionReadIdle(Duration idle) {
    return new PgServerConfig(host, port, auth, workerThreads, maxMessageBytes, tls, passwordMethod, idle, limits);
  }

  public PgServerConfig withLimits(PgLimits newLimits) {
    return new PgServerConfig(host, port, auth, workerThreads, maxMessageBytes, tls, passwordMethod,
        sessionReadIdle, newLimits);
  }

  public PgServerConfig withAuth(Auth newAuth, PasswordMethod newMethod) {
    return new PgServerConfig(host, port, newAuth, workerThreads, maxMessageBytes, tls, newMethod,
        sessionReadIdle, limits);
  }
}
