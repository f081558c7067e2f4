package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSessionAccess;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrameDecoder.Malformed;
import org.troupedb.pgwire.PgFrameDecoder.PgFrame;
import org.troupedb.pgwire.PgFrameDecoder.StartupFrame;
import org.troupedb.pgwire.PgFrontendMessages.CancelRequest;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.ProtocolViolation;
import org.troupedb.pgwire.PgFrontendMessages.SslRequest;
import org.troupedb.sql.SqlEngine;

/**
 * The channel end of a connection: turns frames into {@link FrontendMessage}s on the event loop
 * and queues them, in order, for the connection's {@link PgConnection} on a {@link
 * SerialExecutor}. It never runs a statement. The messages of one read (a driver's Bind, Execute
 * and Sync arrive together) go to the worker as one task, so a statement costs one hand-off. When
 * too many messages or bytes are queued (a client pipelining faster than statements run, or
 * not reading its answers: the session then waits in {@link PgOutbound#flushIfFull}), it stops
 * reading until the queue drains.
 *
 * <p>Once the connection is authenticated and busy, it hands the socket's input to the session
 * thread ({@link PgSessionReader}) until that has been idle for a while: then a query wakes one
 * thread instead of two.
 */
final class PgConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnectionHandler.class);
  static final int PAUSE_READING_AT = 1024;
  static final int RESUME_READING_AT = 256;
  /** The same bounds in bytes of message bodies: a few big messages pause reading as well. */
  static final long PAUSE_READING_BYTES = 8L << 20;
  static final long RESUME_READING_BYTES = 2L << 20;
  /** Most messages handed over in one task (a long pipeline is cut into tasks of this size). */
  static final int MAX_BATCH = 64;

  private final SqlEngine engine;
  private final PgServerConfig config;
  private final CancelRegistry cancelRegistry;
  private final Executor pool;
  private final Duration startupTimeout;
  private final SessionLimits limits;
  private ScheduledFuture<?> startupTimer;
  private SerialExecutor executor;
  private PgConnection connection;
  private PgDirectSocket socket;
  /** Reads the socket on the session thread while the connection is busy; null if it cannot. */
  private PgSessionReader sessionReader;
  /**
   * True while {@link #sessionReader} owns the socket's input. Written on the event loop only, and
   * every change of the channel's autoRead is made there too, after checking it: a resume decided
   * on another thread could turn reading back on just after the input was handed over.
   */
  private volatile boolean sessionReading;
  private boolean violated;
  /** The server has ended the conversation and lingers before closing (event loop only). */
  private boolean lingering;
  /** Messages of the current read, not yet handed to the worker (event loop only). */
  private List<FrontendMessage> pending = new ArrayList<>();
  /** Body bytes of {@link #pending} (event loop only). */
  private long pendingBytes;
  /** Messages handed over and not yet handled, and their body bytes. */
  private final AtomicInteger queued = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param startupTimeout how long a new connection may take to complete startup and
   *     authentication (or to send a CancelRequest) before it is closed, like PostgreSQL's
   *     authentication_timeout
   */
  PgConnectionHandler(SqlEngine engine, PgServerConfig config, CancelRegistry cancelRegistry, Executor pool,
      Duration startupTimeout) {
    this(engine, config, cancelRegistry, pool, startupTimeout, SessionLimits.of(config.limits()));
  }

  /** @param limits the server's session slots (max_connections) and client watch */
  PgConnectionHandler(SqlEngine engine, PgServerConfig config, CancelRegistry cancelRegistry, Executor pool,
      Duration startupTimeout, SessionLimits limits) {
    this.limits = limits;
    this.engine = engine;
    this.config = config;
    this.cancelRegistry = cancelRegistry;
    this.pool = pool;
    this.startupTimeout = startupTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startupTimer = ctx.executor().schedule(() -> {
      if (!connection.loggedIn()) {
        LOG.debug("connection {} did not complete startup and authentication in {}", ctx.channel().remoteAddress(),
            startupTimeout);
        ctx.close();
      }
    }, startupTimeout.toNanos(), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    executor = new SerialExecutor(pool);
    socket = new PgDirectSocket(ctx.channel());
    ctx.pipeline().addBefore(ctx.name(), "socket", socket); // every close from here passes it
    connection = new PgConnection(ctx.channel(), socket, engine, config, cancelRegistry, limits, executor);
    if (ctx.channel() instanceof EpollSocketChannel && !config.sessionReadIdle().isZero()) {
      sessionReader = new PgSessionReader(socket, config.maxMessageBytes(),
          (int) Math.max(1, config.sessionReadIdle().toMillis()), PgConnectionHandler::toMessage, this::handle);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (violated) {
      release(msg);
      return;
    }
    if (sessionReading) {
      // Two readers of one socket: either may hold part of a message the other read the rest of,
      // and neither can frame what follows. Never expected; end the connection rather than stall.
      LOG.warn("connection {}: input read by the event loop while its session thread reads it; closing",
          ctx.channel().remoteAddress());
      violated = true;
      release(msg);
      ctx.close();
      return;
    }
    pendingBytes += msg instanceof PgFrame f ? f.body().readableBytes() : 0;
    FrontendMessage message = toMessage(msg);
    if (message instanceof ProtocolViolation) {
      violated = true; // nothing after it can be trusted
    }
    if (message instanceof SslRequest && config.tls() != null && ctx.pipeline().get(SslHandler.class) == null) {
      submitPending(ctx);
      startTls(ctx);
      return;
    }
    if (startupTimer != null && message instanceof CancelRequest) {
      startupTimer.cancel(false);
      startupTimer = null;
    }
    pending.add(message);
    if (pending.size() >= MAX_BATCH) {
      submitPending(ctx);
    }
  }

  /** A frame of {@link PgFrameDecoder} as a message (a bad one as a violation); releases it. */
  static FrontendMessage toMessage(Object frame) {
    try {
      if (frame instanceof PgFrame f) {
        return PgFrontendMessages.parse(f.type(), f.body());
      } else if (frame instanceof StartupFrame s) {
        return PgFrontendMessages.parseStartup(s.body());
      } else if (frame instanceof Malformed m) {
        return new ProtocolViolation(m.reason());
      } else {
        throw new IllegalArgumentException("unexpected inbound " + frame.getClass());
      }
    } catch (PgProtocolException e) {
      return new ProtocolViolation(e.getMessage());
    } finally {
      release(frame);
    }
  }

  /**
   * Queues the messages of this read; once the connection is authenticated and busy, its session
   * thread reads the socket from now on (see {@link PgSessionReader}), after those messages.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ByteBuf handedOver = null;
    if (sessionReader != null && !sessionReading && !violated && connection.loggedIn() && socket.isDirect()
        && ctx.channel().isActive()) {
      handedOver = stopReading(ctx);
    }
    submitPending(ctx);
    if (handedOver != null) {
      ByteBuf input = handedOver;
      executor.execute(() -> {
        if (sessionReader.run(input) == PgSessionReader.Outcome.IDLE) {
          ctx.executor().execute(() -> takeBackInput(ctx));
        }
      });
    }
    ctx.fireChannelReadComplete();
  }

  /**
   * Stops the event loop's reading of the socket, for the session thread to take over, and
   * returns the bytes of a partial message the frame decoder holds; null if the loop keeps the
   * input for now or that failed.
   */
  private ByteBuf stopReading(ChannelHandlerContext ctx) {
    EpollSocketChannel channel = (EpollSocketChannel) ctx.channel();
    try {
      if (!EpollSessionAccess.stopEventLoopInput(channel)) {
        return null; // the loop may still read: try again after its next read
      }
      sessionReading = true;
    } catch (IOException e) {
      LOG.debug("cannot hand {} over to its session: {}", channel.remoteAddress(), e.toString());
      ctx.close();
      return null;
    }
    PgSessionReader.HAND_OVERS.increment();
    return ctx.pipeline().get(PgFrameDecoder.class).takeUnframed(ctx.alloc());
  }

  /** The session reader went idle: the event loop reads the socket again. */
  private void takeBackInput(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    sessionReading = false; // first: resuming may read, and that read may hand over again
    try {
      EpollSessionAccess.resumeEventLoopInput((EpollSocketChannel) ctx.channel());
    } catch (IOException e) {
      LOG.debug("cannot read {} again: {}", ctx.channel().remoteAddress(), e.toString());
      ctx.close();
    }
  }

  /** Handles one message on the serial executor. */
  private void handle(FrontendMessage m) {
    try {
      connection.handle(m);
    } catch (RuntimeException e) {
      LOG.error("unexpected error handling {}", m.getClass().getSimpleName(), e);
    }
  }

  /**
   * Answers SSLRequest with 'S' and puts TLS first in the pipeline, here on the event loop: the
   * 'S' leaves in plaintext (the write completes before the handler is added) and the client's
   * next bytes, its ClientHello, already meet the TLS handler.
   */
  private void startTls(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
    ctx.pipeline().addFirst("tls", config.tls().context().newHandler(ctx.alloc()));
  }

  private static void release(Object msg) {
    ReferenceCountUtil.release(msg instanceof PgFrame f ? f.body()
        : msg instanceof StartupFrame s ? s.body() : msg);
  }

  private void submitPending(ChannelHandlerContext ctx) {
    if (pending.isEmpty()) {
      return;
    }
    List<FrontendMessage> batch = pending;
    long batchBytes = pendingBytes;
    pending = new ArrayList<>(4);
    pendingBytes = 0;
    queued.addAndGet(batch.size());
    queuedBytes.addAndGet(batchBytes);
    executor.execute(() -> {
      for (FrontendMessage m : batch) {
        handle(m);
        queued.decrementAndGet();
      }
      queuedBytes.addAndGet(-batchBytes);
      // Only a hint read here: the event loop decides (resumeIfDrained), where the hand-over is.
      if (drained() && !ctx.channel().config().isAutoRead() && !sessionReading) {
        ctx.executor().execute(() -> resumeIfDrained(ctx));
      }
    });
    if (queued.get() >= PAUSE_READING_AT || queuedBytes.get() >= PAUSE_READING_BYTES) {
      ctx.channel().config().setAutoRead(false);
      // The worker may have drained the queue before it could see autoRead off: check again, so
      // that one of the two always turns reading back on.
      resumeIfDrained(ctx);
    }
  }

  private boolean drained() {
    return queued.get() <= RESUME_READING_AT && queuedBytes.get() <= RESUME_READING_BYTES;
  }

  /**
   * Back-pressure ends: reads again once the queue has drained, unless the session thread owns
   * the input (it hands it back with {@link #takeBackInput}). Event loop only.
   *
   * <p>NB: never turn autoRead on from another thread. That thread's check of {@link
   * #sessionReading} can pass just before the loop hands the input over; and {@code
   * setAutoRead(true)} off the loop queues a {@code read()} that re-arms the loop's reading after
   * the hand-over whatever autoRead is by then. Either way both threads read the socket, each gets
   * part of the stream, and the session thread waits for the rest of a message forever (the deep
   * pipeline stall of {@code PgSessionReaderIT}).
   */
  private void resumeIfDrained(ChannelHandlerContext ctx) {
    if (!sessionReading && drained() && !ctx.channel().config().isAutoRead()
        && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * The client closed its end, or a write failed: close the channel (through the pipeline, see
   * {@link PgDirectSocket}) once the messages already read are queued; the session then ends in
   * {@link #channelInactive}.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == PgOutbound.ConversationEnded.INSTANCE) {
      lingerThenClose(ctx);
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent || (evt instanceof ChannelOutputShutdownEvent && !lingering)) {
      submitPending(ctx);
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * The server ended the conversation (FATAL, Terminate) and all it said is in the socket: see
   * {@link LingeringClose}. From here on the event loop reads the input, whoever read it before,
   * and drops it.
   */
  private void lingerThenClose(ChannelHandlerContext ctx) {
    violated = true; // what still comes is dropped, never handed over
    lingering = true;
    socket.stopDirect(); // the session thread no longer reads or writes the socket
    if (!LingeringClose.start(ctx)) {
      return; // closed at once
    }
    try {
      if (sessionReading) {
        sessionReading = false;
        EpollSessionAccess.resumeEventLoopInput((EpollSocketChannel) ctx.channel());
      } else {
        ctx.channel().config().setAutoRead(true);
      }
    } catch (IOException e) {
      LOG.debug("cannot drain {}: {}", ctx.channel().remoteAddress(), e.toString());
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (startupTimer != null) {
      startupTimer.cancel(false);
    }
    connection.writabilityChanged();
    submitPending(ctx);
    executor.execute(() -> {
      connection.closed();
      if (sessionReader != null) {
        sessionReader.close();
      }
    });
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
