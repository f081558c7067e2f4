package org.troupedb.pgwire;

import io.netty.channel.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.ProtocolViolation;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;

/**
 * One client connection: which phase it is in, the session it opened, and what that session holds
 * on the server (a connection slot, a cancel key, a place in the {@link ClientWatch}) until the
 * end. The protocol itself is in its parts, one per job:
 *
 * <pre>
 *   STARTUP ──{@link PgStartup}: version, options, admission, password / SCRAM──▶ Login
 *      │   open the session, take a slot (53300 if none is left), register for cancel and watch;
 *      │   AuthenticationOk, ParameterStatus*, BackendKeyData, ReadyForQuery
 *      ▼
 *   READY ──{@link PgQueryProtocol}: simple ({@link PgSimpleQuery}) and extended ({@link
 *      │     PgExtendedQuery}) query protocol, COPY ({@link PgCopyIn}, {@link PgCopyOut})
 *      ▼ ──Terminate / malformed input (08P01) / FATAL / idle timeout / channel closed──▶ ended
 * </pre>
 *
 * All output goes through {@link PgReplies} (over {@link PgOutbound}: buffered, sent at
 * ReadyForQuery, Flush, or when full), which also knows whether the conversation has ended.
 *
 * <p>Threads: everything here runs on the connection's {@link SerialExecutor} (one message at a
 * time, in arrival order, never on the event loop), except {@link #loggedIn()} (a volatile read by
 * the event loop's startup timer) and {@link #writabilityChanged()} (the event loop, waking a
 * worker waiting in {@link PgOutbound#flushIfFull()}).
 */
final class PgConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);

  private enum Phase { STARTUP, READY }

  private final Channel channel;
  private final SqlEngine engine;
  private final PgServerConfig config;
  private final CancelRegistry cancelRegistry;
  private final SessionLimits limits;
  private final PgDirectSocket socket;
  private final IdleTimeouts idleTimeouts;
  private final PgOutbound outbound;
  private final PgReplies replies;
  private final PgStartup startup;

  // Serial executor only:
  private Phase phase = Phase.STARTUP;
  private SqlSession session;
  /** The READY phase's protocol; set with {@link #session}. */
  private PgQueryProtocol queries;
  private CancelRegistry.Key cancelKey;
  /** Whether this session holds one of the server's slots (released with the session). */
  private boolean holdsSlot;
  /** This session in the server's {@link ClientWatch}, once logged in. */
  private ClientWatch.Entry watched;

  /** Set once startup and authentication have completed (read by the event loop's timeout). */
  private volatile boolean loggedIn;

  PgConnection(Channel channel, PgDirectSocket socket, SqlEngine engine, PgServerConfig config,
      CancelRegistry cancelRegistry, SessionLimits limits, Executor serial) {
    this.channel = channel;
    this.socket = socket;
    this.engine = engine;
    this.config = config;
    this.cancelRegistry = cancelRegistry;
    this.limits = limits;
    this.idleTimeouts = new IdleTimeouts(channel, serial, this::terminate);
    this.outbound = new PgOutbound(channel, socket);
    this.replies = new PgReplies(outbound, this::release);
    this.startup = new PgStartup(channel, engine, config, cancelRegistry, replies);
  }

  /** Whether the client has completed startup and authentication. */
  boolean loggedIn() {
    return loggedIn;
  }

  /** Handles one frontend message. Called on the connection's serial executor only. */
  void handle(FrontendMessage message) {
    if (!replies.isOpen()) {
      return;
    }
    idleTimeouts.busy();
    if (watched != null) {
      watched.busy();
    }
    try {
      if (message instanceof ProtocolViolation v) {
        replies.fatal(SqlState.PROTOCOL_VIOLATION, v.message());
      } else if (phase == Phase.STARTUP) {
        PgStartup.Login login = startup.handle(message);
        if (login != null) {
          login(login);
        }
      } else {
        queries.handle(message);
      }
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      LOG.error("unexpected error on connection {}", channel.remoteAddress(), e);
      replies.fatal(SqlState.INTERNAL_ERROR, "internal error");
    } finally {
      if (replies.isOpen()) {
        outbound.flushIfFull();
      }
      if (watched != null) {
        watched.idle();
      }
    }
  }

  /**
   * Ends the connection from the server's side (an idle timeout): FATAL, close, roll back. On the
   * serial executor; nothing if it has ended already.
   */
  void terminate(String sqlState, String message) {
    if (replies.isOpen()) {
      replies.fatal(sqlState, message);
    }
  }

  /** The channel closed: roll back and free the session. Called on the serial executor. */
  void closed() {
    replies.closed();
    release();
  }

  /** The channel's writability changed (event loop): wake a worker waiting to write. */
  void writabilityChanged() {
    replies.writabilityChanged();
  }

  /** Authenticated: opens the session and answers AuthenticationOk … ReadyForQuery. */
  private void login(PgStartup.Login login) {
    try {
      Map<String, String> withServer = new LinkedHashMap<>(login.options());
      withServer.putAll(config.limits().settings()); // the server's, over any the client sent
      session = engine.openSession(new SessionParams(login.user(), login.database(), Map.copyOf(withServer)));
    } catch (SqlException e) {
      replies.fatal(e.sqlState(), e.getMessage());
      return;
    }
    String refused = limits.slots().acquire("on".equals(session.reportedParameters().get("is_superuser")));
    if (refused != null) {
      replies.fatal(SqlState.TOO_MANY_CONNECTIONS, refused); // closes the session
      return;
    }
    holdsSlot = true;
    watched = limits.watch().register(session, () -> !channel.isActive() || socket.peerGone());
    queries = new PgQueryProtocol(session, replies, idleTimeouts);
    PgBackendMessages.authenticationOk(replies.out());
    replies.parameterStatus(session.reportedParameters());
    cancelKey = cancelRegistry.register(session);
    PgBackendMessages.backendKeyData(replies.out(), cancelKey.processId(), cancelKey.secretKey());
    phase = Phase.READY;
    loggedIn = true;
    outbound.loggedIn();
    queries.readyForQuery();
  }

  /** Frees what the connection holds: its COPY, output, cancel key, session, slot and watch. */
  private void release() {
    if (queries != null) {
      queries.release();
    }
    replies.release();
    if (cancelKey != null) {
      cancelRegistry.unregister(cancelKey);
      cancelKey = null;
    }
    if (session != null) {
      SqlSession s = session;
      session = null;
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("closing session failed", e);
      }
    }
    if (holdsSlot) {
      holdsSlot = false;
      limits.slots().release();
    }
    if (watched != null) {
      watched.close();
      watched = null;
    }
    idleTimeouts.busy(); // disarms
  }
}
