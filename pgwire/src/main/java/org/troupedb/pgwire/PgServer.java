package org.troupedb.pgwire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlState;

/**
 * A PostgreSQL protocol v3 server in front of a {@link SqlEngine}: {@link #start()} binds and
 * returns the address, {@link #close()} stops accepting, ends every connection with 57P01 and
 * frees the threads.
 *
 * <p>Threads: Netty event loops accept, read and write; each connection's statements run in order
 * on a shared session pool, whose thread also reads and writes the socket itself while the
 * connection is busy ({@link PgDirectSocket}, {@link PgSessionReader}). A connection uses at most
 * one pool thread at a time, and at most {@link PgLimits#maxSockets()} sockets are open (more get
 * FATAL 53300 from {@link TooManyClientsHandler}), so the pool is bounded by that many threads and
 * its queue stays empty in practice. NB: a statement may block waiting for another session's
 * transaction; since every open socket can have a thread, the session that would release it is
 * never queued behind (a bound below the socket count could deadlock that way).
 */
public final class PgServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgServer.class);
  /** PostgreSQL's default authentication_timeout. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final PgServerConfig config;
  private final SqlEngine engine;
  private final CancelRegistry cancelRegistry = new CancelRegistry();
  private final SessionLimits limits;
  /** How long a connection may take to log in (authentication_timeout). */
  private final Duration startupTimeout;
  /** Open sockets, bounded by {@link PgLimits#maxSockets()} (counted on accept and close). */
  private final AtomicInteger sockets = new AtomicInteger();
  private ChannelGroup connections;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService sessionPool;
  private Channel serverChannel;

  public PgServer(PgServerConfig config, SqlEngine engine) {
    this(config, engine, STARTUP_TIMEOUT);
  }

  /** @param startupTimeout PostgreSQL's authentication_timeout (tests shorten it) */
  PgServer(PgServerConfig config, SqlEngine engine, Duration startupTimeout) {
    this.config = Objects.requireNonNull(config, "config");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.limits = SessionLimits.of(config.limits());
    this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
  }

  /** Linux's native epoll transport when its library loads here, else the JDK's NIO selector. */
  private static EventLoopGroup eventLoops(boolean epoll, int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
  }

  /**
   * Binds {@code config.host():config.port()} and starts accepting connections.
   *
   * @return the bound address (its port is the real one when the config asked for port 0)
   * @throws IllegalStateException if already started
   * @throws UncheckedIOException if the address cannot be bound (e.g. the port is taken)
   * @throws InterruptedException if interrupted while binding
   */
  public synchronized InetSocketAddress start() throws InterruptedException {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    boolean epoll = Epoll.isAvailable();
    bossGroup = eventLoops(epoll, 1, "pgwire-accept");
    int ioThreads = config.workerThreads() > 0 ? config.workerThreads() : Runtime.getRuntime().availableProcessors();
    workerGroup = eventLoops(epoll, ioThreads, "pgwire-io");
    // The accept loop is idle between connections: it also looks for clients gone mid-statement.
    bossGroup.next().scheduleWithFixedDelay(limits.watch()::check, ClientWatch.PERIOD_MILLIS,
        ClientWatch.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    int sessionThreads = config.limits().maxSockets();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(sessionThreads, sessionThreads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("pgwire-session", true));
    pool.allowCoreThreadTimeOut(true); // threads start on demand and end after a minute idle
    sessionPool = pool;
    connections = new DefaultChannelGroup("pgwire", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        // Netty never closes a connection by itself; PgDirectSocket sees every close.
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.AUTO_CLOSE, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            boolean admitted = sockets.incrementAndGet() <= config.limits().maxSockets();
            ch.closeFuture().addListener(f -> sockets.decrementAndGet());
            ch.pipeline().addLast("framing", new PgFrameDecoder(config.maxMessageBytes()));
            if (admitted) {
              ch.pipeline().addLast("connection",
                  new PgConnectionHandler(engine, config, cancelRegistry, sessionPool, startupTimeout, limits));
            } else {
              LOG.debug("refusing {}: {} sockets open", ch.remoteAddress(), config.limits().maxSockets());
              ch.pipeline().addLast("refuse", new TooManyClientsHandler(cancelRegistry, startupTimeout));
            }
          }
        });
    ChannelFuture bound;
    try {
      bound = bootstrap.bind(config.host(), config.port()).await();
    } catch (InterruptedException e) {
      shutdownThreads();
      throw e;
    }
    if (!bound.isSuccess()) {
      shutdownThreads();
      String where = config.host() + ":" + config.port();
      if (bound.cause() instanceof IOException io) {
        throw new UncheckedIOException("cannot listen on " + where, io);
      }
      throw new IllegalStateException("cannot listen on " + where, bound.cause());
    }
    serverChannel = bound.channel();
    InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
    LOG.info("pgwire listening on {} ({})", address, epoll ? "epoll" : "nio");
    return address;
  }

  /** The bound address, or null before {@link #start()}. */
  public synchronized InetSocketAddress address() {
    return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
  }

  /** Same as {@link #close()}. */
  public void stop() {
    close();
  }

  /**
   * Stops accepting, cancels running statements, sends 57P01 FATAL to every connection, closes
   * them and frees the threads. Idempotent. NB: blocks (up to a few seconds); never call it on a
   * Netty event loop.
   */
  @Override
  public synchronized void close() {
    if (serverChannel == null) {
      return;
    }
    serverChannel.close().syncUninterruptibly();
    serverChannel = null;
    cancelRegistry.cancelAll(); // running statements end with 57014 instead of holding up shutdown
    for (Channel ch : connections) {
      PgDirectSocket socket = ch.pipeline().get(PgDirectSocket.class);
      if (socket != null) {
        socket.stopDirect(); // the FATAL goes after whatever the session has sent
      }
      ByteBuf msg = ch.alloc().buffer();
      PgBackendMessages.errorResponse(msg, "FATAL", SqlState.ADMIN_SHUTDOWN,
          "terminating connection due to administrator command", null, null);
      ch.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
    }
    connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownThreads();
    LOG.info("pgwire stopped");
  }

  private void shutdownThreads() {
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    sessionPool.shutdown();
    try {
      if (!sessionPool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("session threads still busy after 5s; interrupting");
        sessionPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sessionPool.shutdownNow();
    }
  }

  /** Live sessions (for tests and metrics). */
  int sessionCount() {
    return cancelRegistry.size();
  }

  /** Session slots taken (logged-in sessions counted against max_connections). */
  int slotsUsed() {
    return limits.slots().used();
  }

  /** Bytes written by sessions and still queued in Netty, over all connections (tests). */
  long outputQueued() {
    long total = 0;
    for (Channel ch : connections) {
      io.netty.channel.ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
      total += out == null ? 0 : out.totalPendingWriteBytes();
    }
    return total;
  }

  /** Sockets open (admitted or being refused). */
  int socketsOpen() {
    return sockets.get();
  }

  /** The most session threads the pool may start. */
  int maxSessionThreads() {
    return ((ThreadPoolExecutor) sessionPool).getMaximumPoolSize();
  }
}
