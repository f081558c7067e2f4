package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.CharacterCodingException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrontendMessages.Bind;
import org.troupedb.pgwire.PgFrontendMessages.CancelRequest;
import org.troupedb.pgwire.PgFrontendMessages.Close;
import org.troupedb.pgwire.PgFrontendMessages.CopyData;
import org.troupedb.pgwire.PgFrontendMessages.CopyDone;
import org.troupedb.pgwire.PgFrontendMessages.CopyFail;
import org.troupedb.pgwire.PgFrontendMessages.Describe;
import org.troupedb.pgwire.PgFrontendMessages.Execute;
import org.troupedb.pgwire.PgFrontendMessages.Flush;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.FunctionCall;
import org.troupedb.pgwire.PgFrontendMessages.GssEncRequest;
import org.troupedb.pgwire.PgFrontendMessages.Parse;
import org.troupedb.pgwire.PgFrontendMessages.PasswordData;
import org.troupedb.pgwire.PgFrontendMessages.ProtocolViolation;
import org.troupedb.pgwire.PgFrontendMessages.Query;
import org.troupedb.pgwire.PgFrontendMessages.SslRequest;
import org.troupedb.pgwire.PgFrontendMessages.Startup;
import org.troupedb.pgwire.PgFrontendMessages.Sync;
import org.troupedb.pgwire.PgFrontendMessages.Terminate;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/**
 * The protocol state machine of one client connection. Runs on the connection's {@link
 * SerialExecutor} (one message at a time, in arrival order, never on the event loop) and writes its
 * answers through the channel.
 *
 * <pre>
 *   STARTUP ──SSLRequest/GSSENCRequest──▶ 'N', STARTUP   (with TLS configured, the handler
 *                                                         answers SSLRequest 'S' itself)
 *      │ ──CancelRequest──▶ cancel the matching session, close
 *      │ ──StartupMessage 3.x, trusted (root from loopback, or TRUST)──▶ openSession ──┐
 *      │ ──StartupMessage 3.x, password needed──▶ AuthenticationSASL (or CleartextPassword)
 *      │          AUTHENTICATING ──'p' SASLInitialResponse──▶ AuthenticationSASLContinue
 *      │                         ──'p' SASLResponse, proof ok──▶ AuthenticationSASLFinal ─┤
 *      │                         ──bad proof / unknown role / no password──▶ FATAL 28P01  │
 *      │   AuthenticationOk, ParameterStatus*, BackendKeyData, ReadyForQuery ◀───────────┘
 *      ▼
 *   READY ──Query──▶ per statement: [RowDescription] DataRow* CommandComplete | ErrorResponse;
 *      │            ReadyForQuery
 *      │ ──Parse/Bind/Describe/Execute/Close──▶ their replies; an error ▶ ErrorResponse and every
 *      │            message up to the next Sync is skipped
 *      │ ──Sync──▶ session.sync(), ReadyForQuery          ──Flush──▶ send what is buffered
 *      │ ──a COPY FROM STDIN──▶ CopyInResponse, copy-in mode until CopyDone/CopyFail ({@link PgCopyIn})
 *      │ ──a COPY TO STDOUT──▶ CopyOutResponse, CopyData*, CopyDone, CommandComplete
 *      ▼ ──Terminate / malformed input (08P01) / FATAL──▶ CLOSED
 * </pre>
 *
 * Output goes through {@link PgOutbound}: buffered, sent at ReadyForQuery, Flush, or when full.
 */
final class PgConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);

  /** Whether the client has completed startup and authentication. */
  boolean loggedIn() {
    return loggedIn;
  }

  private enum Phase { STARTUP, AUTHENTICATING, READY, CLOSED }

  /** A startup waiting for the client's password: who, where, and how it is checked. */
  private record PendingLogin(String user, String database, Map<String, String> options, ScramExchange scram,
      org.troupedb.sql.ScramSha256.Verifier verifier) {}

  /** A prepared statement; {@code prepared} is null for an empty query string. */
  private record PreparedStatement(String sql, Prepared prepared) {
    List<PgType> parameterTypes() {
      return prepared == null ? List.of() : prepared.parameterTypes();
    }

    List<ColumnInfo> columns() {
      return prepared == null ? List.of() : prepared.columns();
    }
  }

  /** A bound statement; holds its result once executed, to resume after PortalSuspended. */
  private static final class Portal {
    final PreparedStatement statement;
    final List<Object> params;
    final short[] resultFormats;
    StatementResult result;
    Iterator<Object[]> rows;
    boolean done;

    Portal(PreparedStatement statement, List<Object> params, short[] resultFormats) {
      this.statement = statement;
      this.params = params;
      this.resultFormats = resultFormats;
    }
  }

  private final Channel channel;
  private final SqlEngine engine;
  private final PgServerConfig config;
  private final CancelRegistry cancelRegistry;
  private final SessionLimits limits;
  /** Whether this session holds one of the server's slots (released with the session). */
  private boolean holdsSlot;
  /** This session in the server's {@link ClientWatch}, once logged in. */
  private ClientWatch.Entry watched;
  private final IdleTimeouts idleTimeouts;
  private final PgDirectSocket socket;

  private Phase phase = Phase.STARTUP;
  /** Set once startup and authentication have completed (read by the event loop's timeout). */
  private volatile boolean loggedIn;
  private SqlSession session;
  private CancelRegistry.Key cancelKey;
  private PendingLogin pending;
  private ZoneId zone = ZoneOffset.UTC;
  private final PgOutbound outbound;
  private boolean skipUntilSync;
  /** The COPY FROM STDIN in progress (copy-in mode), or null. */
  private PgCopyIn copyIn;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();

  PgConnection(Channel channel, PgDirectSocket socket, SqlEngine engine, PgServerConfig config,
      CancelRegistry cancelRegistry, SessionLimits limits, java.util.concurrent.Executor serial) {
    this.limits = limits;
    this.socket = socket;
    this.idleTimeouts = new IdleTimeouts(channel, serial, this::terminate);
    this.channel = channel;
    this.engine = engine;
    this.config = config;
    this.cancelRegistry = cancelRegistry;
    this.outbound = new PgOutbound(channel, socket);
  }

  /** Handles one frontend message. Called on the connection's serial executor only. */
  void handle(FrontendMessage message) {
    if (phase == Phase.CLOSED) {
      return;
    }
    idleTimeouts.busy();
    if (watched != null) {
      watched.busy();
    }
    try {
      if (message instanceof ProtocolViolation v) {
        fatal(SqlState.PROTOCOL_VIOLATION, v.message());
      } else if (phase == Phase.STARTUP) {
        handleStartup(message);
      } else if (phase == Phase.AUTHENTICATING) {
        handlePassword(message);
      } else {
        handleReady(message);
      }
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      LOG.error("unexpected error on connection {}", channel.remoteAddress(), e);
      fatal(SqlState.INTERNAL_ERROR, "internal error");
    } finally {
      if (phase != Phase.CLOSED) {
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
    if (phase != Phase.CLOSED) {
      fatal(sqlState, message);
    }
  }

  /** The channel closed: roll back and free the session. Called on the serial executor. */
  void closed() {
    phase = Phase.CLOSED;
    release();
  }

  /** The channel's writability changed (event loop): wake a worker waiting to write. */
  void writabilityChanged() {
    outbound.writabilityChanged();
  }

  // ------------------------------------------------------------------ startup

  private void handleStartup(FrontendMessage message) {
    if (message instanceof SslRequest || message instanceof GssEncRequest) {
      PgBackendMessages.encryptionRefused(out());
      flush();
    } else if (message instanceof CancelRequest c) {
      boolean found = cancelRegistry.cancel(c.processId(), c.secretKey());
      LOG.debug("cancel request for pid {}: {}", c.processId(), found ? "sent" : "no such session");
      closeChannel();
    } else if (message instanceof Startup s) {
      startup(s);
    } else {
      fatal(SqlState.PROTOCOL_VIOLATION, "expected startup message");
    }
  }

  private void startup(Startup s) {
    int major = s.protocolVersion() >>> 16;
    int minor = s.protocolVersion() & 0xFFFF;
    if (major != 3) {
      fatal(SqlState.FEATURE_NOT_SUPPORTED,
          "unsupported frontend protocol " + major + "." + minor + ": server supports 3.0 to 3.0");
      return;
    }
    Map<String, String> options = new LinkedHashMap<>(s.params());
    List<String> unrecognized = new ArrayList<>();
    options.keySet().removeIf(k -> k.startsWith("_pq_.") && unrecognized.add(k));
    if (minor > 0 || !unrecognized.isEmpty()) {
      PgBackendMessages.negotiateProtocolVersion(out(), 0, unrecognized);
    }
    String user = options.remove("user");
    if (user == null || user.isEmpty()) {
      fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no PostgreSQL user name specified in startup packet");
      return;
    }
    String database = options.remove("database");
    if (database == null || database.isEmpty()) {
      database = user;
    }
    boolean encrypted = channel.pipeline().get(SslHandler.class) != null;
    boolean tlsMissing = config.tls() != null && config.tls().required() && !encrypted;
    if (tlsMissing || !admitted(user)) {
      fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no pg_hba.conf entry for host \"" + hostOf(channel.remoteAddress()) + "\", user \"" + user
              + "\", database \"" + database + "\", " + (encrypted ? "SSL encryption" : "no encryption"));
      return;
    }
    if (needsPassword(user)) {
      requestPassword(user, database, options);
      return;
    }
    login(user, database, options);
  }

  /** Authenticated: opens the session and answers AuthenticationOk … ReadyForQuery. */
  private void login(String user, String database, Map<String, String> options) {
    try {
      Map<String, String> withServer = new LinkedHashMap<>(options);
      withServer.putAll(config.limits().settings()); // the server's, over any the client sent
      session = engine.openSession(new SessionParams(user, database, Map.copyOf(withServer)));
    } catch (SqlException e) {
      fatal(e.sqlState(), e.getMessage());
      return;
    }
    String refused = limits.slots().acquire("on".equals(session.reportedParameters().get("is_superuser")));
    if (refused != null) {
      fatal(SqlState.TOO_MANY_CONNECTIONS, refused); // closes the session
      return;
    }
    holdsSlot = true;
    watched = limits.watch().register(session, () -> !channel.isActive() || socket.peerGone());
    PgBackendMessages.authenticationOk(out());
    Map<String, String> params = session.reportedParameters();
    params.forEach((k, v) -> PgBackendMessages.parameterStatus(out(), k, v));
    updateZone(params);
    cancelKey = cancelRegistry.register(session);
    PgBackendMessages.backendKeyData(out(), cancelKey.processId(), cancelKey.secretKey());
    phase = Phase.READY;
    loggedIn = true;
    outbound.loggedIn();
    readyForQuery();
  }

  private boolean admitted(String user) {
    return switch (config.auth()) {
      case TRUST_ROOT_FROM_LOOPBACK -> rootFromLoopback(user);
      case PASSWORD, TRUST -> true;
    };
  }

  private boolean rootFromLoopback(String user) {
    return user.equals("root") && isLoopback(channel.remoteAddress());
  }

  private boolean needsPassword(String user) {
    return config.auth() == PgServerConfig.Auth.PASSWORD && !rootFromLoopback(user);
  }

  /** Asks for the password by the configured method (AuthenticationSASL or CleartextPassword). */
  private void requestPassword(String user, String database, Map<String, String> options) {
    org.troupedb.sql.ScramSha256.Verifier verifier;
    try {
      verifier = engine.lookupRole(user).map(org.troupedb.sql.LoginRole::verifier).orElse(null);
    } catch (SqlException e) {
      fatal(e.sqlState(), e.getMessage());
      return;
    }
    if (config.passwordMethod() == PgServerConfig.PasswordMethod.SCRAM_SHA_256) {
      pending = new PendingLogin(user, database, options, new ScramExchange(user, verifier), null);
      PgAuthMessages.sasl(out(), org.troupedb.sql.ScramSha256.MECHANISM);
    } else {
      pending = new PendingLogin(user, database, options, null, verifier);
      PgAuthMessages.cleartextPassword(out());
    }
    phase = Phase.AUTHENTICATING;
    flush();
  }

  /** A 'p' message answering the password request. */
  private void handlePassword(FrontendMessage message) {
    if (!(message instanceof PasswordData p)) {
      fatal(SqlState.PROTOCOL_VIOLATION, "expected password response, got message type "
          + message.getClass().getSimpleName());
      return;
    }
    PendingLogin login = pending;
    try {
      if (login.scram() == null) {
        String password = PgAuthMessages.password(p.body());
        if (login.verifier() == null || !org.troupedb.sql.ScramSha256.matches(login.verifier(), password)) {
          passwordFailed(login.user());
          return;
        }
        authenticated(login);
        return;
      }
      ScramExchange scram = login.scram();
      ScramExchange.Step step;
      if (scram.hasStarted()) {
        step = scram.response(p.body());
      } else {
        PgAuthMessages.SaslInitialResponse r = PgAuthMessages.saslInitialResponse(p.body());
        step = scram.initial(r.mechanism(), r.data());
      }
      if (step instanceof ScramExchange.Continue c) {
        PgAuthMessages.saslData(out(), PgAuthMessages.SASL_CONTINUE, c.data());
        flush();
      } else if (step instanceof ScramExchange.Success ok) {
        PgAuthMessages.saslData(out(), PgAuthMessages.SASL_FINAL, ok.data());
        authenticated(login);
      } else if (step instanceof ScramExchange.Failure f) {
        fatal(f.sqlState(), f.message());
      }
    } catch (PgProtocolException e) {
      fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage());
    }
  }

  private void passwordFailed(String user) {
    fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
  }

  private void authenticated(PendingLogin login) {
    pending = null;
    phase = Phase.STARTUP;
    login(login.user(), login.database(), login.options());
  }

  /** NB: a non-IP peer (an in-process Local or Embedded channel) counts as loopback. */
  static boolean isLoopback(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
    return true;
  }

  private static String hostOf(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  // ------------------------------------------------------------------ ready

  private void handleReady(FrontendMessage message) {
    if (copyIn != null && handleCopyIn(message)) {
      return;
    }
    if (message instanceof Terminate) {
      phase = Phase.CLOSED;
      flush();
      release();
      closeChannel();
      return;
    }
    if (message instanceof Sync) {
      sync();
      return;
    }
    if (message instanceof Flush) {
      flush();
      return;
    }
    if (skipUntilSync || message instanceof CopyData || message instanceof CopyDone || message instanceof CopyFail) {
      return; // copy messages outside copy-in mode (after a failed COPY) are dropped, as PostgreSQL does
    }
    try {
      if (message instanceof Query q) {
        simpleQuery(q.sql());
      } else if (message instanceof Parse p) {
        parse(p);
      } else if (message instanceof Bind b) {
        bind(b);
      } else if (message instanceof Describe d) {
        describe(d);
      } else if (message instanceof Execute e) {
        execute(e);
      } else if (message instanceof Close c) {
        close(c);
      } else if (message instanceof FunctionCall) {
        error(SqlException.unsupported("fast-path function call"));
        if (phase == Phase.READY) {
          readyForQuery();
        }
      } else {
        fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message " + message.getClass().getSimpleName());
      }
    } catch (SqlException e) {
      session.batchFailed(); // as PostgreSQL, an error rolls back the implicit transaction up to Sync
      error(e);
      skipUntilSync = true;
    }
  }

  private void simpleQuery(String sql) {
    statements.remove("");
    portals.remove("");
    List<Statement> parsed;
    try {
      parsed = guard(() -> session.parseSimple(sql));
    } catch (SqlException e) {
      error(e);
      trySync();
      endQuery();
      return;
    }
    if (parsed.isEmpty()) {
      PgBackendMessages.emptyQueryResponse(out());
    }
    runSimple(parsed.iterator());
  }

  /**
   * Runs the statements of a simple query, then ReadyForQuery; a COPY FROM STDIN suspends the run
   * until the client's data is in ({@link #handleCopyIn}).
   */
  private void runSimple(Iterator<Statement> it) {
    try {
      while (it.hasNext()) {
        Prepared prepared = session.prepare(it.next(), List.of());
        StatementResult result = session.execute(prepared, List.of());
        if (result instanceof CopyIn in) {
          startCopyIn(in, it);
          return;
        }
        if (result instanceof CopyOut out) {
          copyOut(out);
          continue;
        }
        if (result.isEmptyQuery()) {
          PgBackendMessages.emptyQueryResponse(out());
          continue;
        }
        List<ColumnInfo> columns = result.columns();
        if (!columns.isEmpty()) {
          PgBackendMessages.rowDescription(out(), columns, null);
        }
        Iterator<Object[]> rows = result.rows();
        while (rows.hasNext()) {
          PgBackendMessages.dataRow(out(), rows.next(), columns, null, zone);
          flushIfFull();
        }
        PgBackendMessages.commandComplete(out(), result.commandTag());
        reportChangedParameters();
      }
      session.sync();
    } catch (SqlException e) {
      error(e);
      trySync();
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      error(unwrap(e));
      trySync();
    }
    endQuery();
  }

  private void endQuery() {
    if (phase == Phase.READY) {
      closePortalsIfIdle();
      readyForQuery();
    }
  }

  // ------------------------------------------------------------------ COPY

  /** Enters copy-in mode; {@code rest} is null in the extended protocol. */
  private void startCopyIn(CopyIn in, Iterator<Statement> rest) {
    copyIn = new PgCopyIn(in, rest);
    PgBackendMessages.copyInResponse(out(), in.columns().size());
    flush();
  }

  /**
   * A message in copy-in mode. Returns false if the message is to be handled as usual after
   * leaving copy-in mode (Terminate).
   */
  private boolean handleCopyIn(FrontendMessage message) {
    PgCopyIn copy = copyIn;
    try {
      if (message instanceof CopyData d) {
        guard(() -> {
          copy.data(d.data());
          return null;
        });
      } else if (message instanceof CopyDone) {
        String tag = guard(copy::done);
        copyIn = null;
        PgBackendMessages.commandComplete(out(), tag);
        if (!copy.extended()) {
          runSimple(copy.rest());
        }
      } else if (message instanceof CopyFail f) {
        copy.target().abort();
        throw new SqlException(SqlState.QUERY_CANCELED, "COPY from stdin failed: " + f.message());
      } else if (message instanceof Terminate) {
        copy.target().abort();
        copyIn = null;
        return false;
      } else if (!(message instanceof Sync) && !(message instanceof Flush)) {
        copy.target().abort();
        throw new SqlException(SqlState.PROTOCOL_VIOLATION, "unexpected message type 0x"
            + Integer.toHexString(typeOf(message)) + " during COPY from stdin");
      }
    } catch (SqlException e) {
      copyIn = null;
      error(e);
      if (copy.extended()) {
        skipUntilSync = true;
      } else {
        trySync();
        endQuery();
      }
    }
    return true;
  }

  private static int typeOf(FrontendMessage m) {
    return m instanceof Query ? 'Q' : m instanceof Parse ? 'P' : m instanceof Bind ? 'B' : m instanceof Describe ? 'D'
        : m instanceof Execute ? 'E' : m instanceof Close ? 'C' : m instanceof FunctionCall ? 'F' : 0;
  }

  /** COPY TO STDOUT: CopyOutResponse, [header,] one CopyData per row, CopyDone, CommandComplete. */
  private void copyOut(CopyOut result) {
    List<ColumnInfo> columns = result.columns();
    PgBackendMessages.copyOutResponse(out(), columns.size());
    if (result.options().header()) {
      PgBackendMessages.copyData(out(), CopyFormat.encodeHeader(columns, result.options()));
    }
    Iterator<Object[]> rows = result.rows();
    while (rows.hasNext()) {
      PgBackendMessages.copyData(out(), CopyFormat.encodeRow(rows.next(), columns, result.options(), zone));
      flushIfFull();
    }
    PgBackendMessages.copyDone(out());
    PgBackendMessages.commandComplete(out(), result.commandTag());
  }

  private void trySync() {
    if (session == null) {
      return;
    }
    try {
      session.sync();
    } catch (SqlException | RuntimeException e) {
      LOG.debug("sync after failed query", e);
    }
  }

  private void parse(Parse p) throws SqlException {
    if (!p.name().isEmpty() && statements.containsKey(p.name())) {
      throw new SqlException(SqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + p.name() + "\" already exists");
    }
    List<Statement> parsed = guard(() -> session.parse(p.sql()));
    if (parsed.size() > 1) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
    }
    List<PgType> hints = new ArrayList<>(p.paramTypeOids().length);
    for (int oid : p.paramTypeOids()) {
      hints.add(oid == 0 ? null : PgType.ofOid(oid));
    }
    Prepared prepared = parsed.isEmpty() ? null : guard(() -> session.prepare(parsed.get(0), hints));
    statements.put(p.name(), new PreparedStatement(p.sql(), prepared));
    PgBackendMessages.parseComplete(out());
  }

  private void bind(Bind b) throws SqlException {
    PreparedStatement ps = statements.get(b.statement());
    if (ps == null) {
      throw new SqlException(SqlState.INVALID_SQL_STATEMENT_NAME,
          "prepared statement \"" + b.statement() + "\" does not exist");
    }
    if (!b.portal().isEmpty() && portals.containsKey(b.portal())) {
      // NB: PostgreSQL says 42P03 duplicate_cursor, which SqlState does not list yet.
      throw new SqlException(SqlState.DUPLICATE_OBJECT, "portal \"" + b.portal() + "\" already exists");
    }
    List<PgType> types = ps.parameterTypes();
    if (b.values().length != types.size()) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + b.values().length
          + " parameters, but prepared statement \"" + b.statement() + "\" requires " + types.size());
    }
    short[] paramFormats = formats(b.paramFormats(), types.size(), "parameter");
    List<Object> params = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      params.add(decodeParam(types.get(i), paramFormats[i], b.values()[i]));
    }
    short[] resultFormats = formats(b.resultFormats(), ps.columns().size(), "result");
    portals.put(b.portal(), new Portal(ps, params, resultFormats));
    PgBackendMessages.bindComplete(out());
  }

  /** Expands format codes: none = all text, one = all alike, else one per item. */
  private static short[] formats(short[] codes, int n, String what) throws SqlException {
    short[] f = new short[n];
    if (codes.length == 1) {
      Arrays.fill(f, codes[0]);
    } else if (codes.length == n) {
      System.arraycopy(codes, 0, f, 0, n);
    } else if (codes.length != 0) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION,
          "bind message has " + codes.length + " " + what + " formats but " + n + " " + what + "s");
    }
    for (short code : f) {
      if (code != PgBackendMessages.TEXT && code != PgBackendMessages.BINARY) {
        throw new SqlException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + code);
      }
    }
    return f;
  }

  private Object decodeParam(PgType type, short format, byte[] value) throws SqlException {
    if (value == null) {
      return null;
    }
    PgType t = type == null ? PgType.UNKNOWN : type;
    ByteBuf buf = PgBinaryFormat.wrap(value);
    if (format == PgBackendMessages.BINARY) {
      return PgBinaryFormat.decode(t, buf);
    }
    String text;
    try {
      text = PgFrontendMessages.utf8(buf, value.length);
    } catch (CharacterCodingException e) {
      throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid byte sequence for encoding \"UTF8\"");
    }
    return PgTextFormat.decode(t, text, zone);
  }

  private void describe(Describe d) throws SqlException {
    if (d.kind() == 'S') {
      PreparedStatement ps = statements.get(d.name());
      if (ps == null) {
        throw new SqlException(SqlState.INVALID_SQL_STATEMENT_NAME,
            "prepared statement \"" + d.name() + "\" does not exist");
      }
      PgBackendMessages.parameterDescription(out(), ps.parameterTypes());
      rowDescriptionOrNoData(ps.columns(), null);
    } else {
      Portal portal = portal(d.name());
      rowDescriptionOrNoData(portal.statement.columns(), portal.resultFormats);
    }
  }

  private void rowDescriptionOrNoData(List<ColumnInfo> columns, short[] formats) {
    if (columns.isEmpty()) {
      PgBackendMessages.noData(out());
    } else {
      PgBackendMessages.rowDescription(out(), columns, formats);
    }
  }

  private Portal portal(String name) throws SqlException {
    Portal portal = portals.get(name);
    if (portal == null) {
      throw new SqlException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }
    return portal;
  }

  private void execute(Execute e) throws SqlException {
    Portal portal = portal(e.portal());
    Prepared prepared = portal.statement.prepared();
    if (prepared == null) {
      PgBackendMessages.emptyQueryResponse(out());
      return;
    }
    if (portal.result == null) {
      portal.result = guard(() -> execute(prepared, portal.params));
      portal.rows = portal.result.rows();
      if (portal.result instanceof CopyIn in) {
        portal.done = true;
        startCopyIn(in, null);
        return;
      }
      if (portal.result instanceof CopyOut out) {
        portal.done = true;
        try {
          copyOut(out);
        } catch (RuntimeException ex) {
          throw unwrap(ex);
        }
        return;
      }
    }
    if (portal.result.isEmptyQuery()) {
      PgBackendMessages.emptyQueryResponse(out());
      return;
    }
    List<ColumnInfo> columns = portal.result.columns();
    short[] formats = portal.resultFormats.length == columns.size() ? portal.resultFormats : null;
    long limit = e.maxRows() <= 0 ? Long.MAX_VALUE : e.maxRows();
    try {
      for (long sent = 0; sent < limit && !portal.done && portal.rows.hasNext(); sent++) {
        PgBackendMessages.dataRow(out(), portal.rows.next(), columns, formats, zone);
        flushIfFull();
      }
      if (!portal.done && portal.rows.hasNext()) {
        PgBackendMessages.portalSuspended(out());
        return;
      }
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError ex) {
      throw unwrap(ex);
    }
    portal.done = true;
    PgBackendMessages.commandComplete(out(), portal.result.commandTag());
    reportChangedParameters();
  }

  private void close(Close c) {
    if (c.kind() == 'S') {
      PreparedStatement ps = statements.remove(c.name());
      if (ps != null) {
        portals.values().removeIf(p -> p.statement == ps);
      }
    } else {
      portals.remove(c.name());
    }
    PgBackendMessages.closeComplete(out());
  }

  private void sync() {
    skipUntilSync = false;
    try {
      guard(() -> {
        session.sync();
        return null;
      });
    } catch (SqlException e) {
      error(e);
    }
    if (phase == Phase.READY) {
      closePortalsIfIdle();
      readyForQuery();
    }
  }

  /** Portals live until their transaction ends, as in PostgreSQL. */
  private void closePortalsIfIdle() {
    if (session.transactionStatus() == SqlSession.TransactionStatus.IDLE) {
      portals.clear();
    }
  }

  private StatementResult execute(Prepared prepared, List<Object> params) throws SqlException {
    return session.executeUntilSync(prepared, params); // every path ends in session.sync()
  }

  // ------------------------------------------------------------------ output

  private void readyForQuery() {
    PgBackendMessages.readyForQuery(out(), session.transactionStatus().code());
    flush();
    idleTimeouts.idle(session);
  }

  private void reportChangedParameters() {
    Map<String, String> changed = session.takeChangedParameters();
    if (!changed.isEmpty()) {
      changed.forEach((k, v) -> PgBackendMessages.parameterStatus(out(), k, v));
      updateZone(changed);
    }
  }

  private void updateZone(Map<String, String> params) {
    String tz = params.get("TimeZone");
    if (tz != null) {
      zone = org.troupedb.sql.TimeZoneSetting.zone(tz); // UTC for a zone it does not know
    }
  }

  private void error(SqlException e) {
    PgBackendMessages.errorResponse(out(), e.severity(), e.sqlState(), e.getMessage(), e.detail(), e.hint(),
        e.position(), e.context());
    if ("FATAL".equals(e.severity()) || "PANIC".equals(e.severity())) {
      phase = Phase.CLOSED;
      flush();
      release();
      closeChannel();
    }
  }

  /** ErrorResponse with severity FATAL, then close. */
  private void fatal(String sqlState, String message) {
    PgBackendMessages.errorResponse(out(), "FATAL", sqlState, message, null, null);
    phase = Phase.CLOSED;
    flush();
    release();
    closeChannel();
  }

  private ByteBuf out() {
    return outbound.buffer();
  }

  private void flush() {
    outbound.flush();
  }

  private void flushIfFull() {
    outbound.flushIfFull();
  }

  private void closeChannel() {
    outbound.flushAndClose();
  }

  private void release() {
    if (copyIn != null) {
      copyIn.target().abort();
      copyIn = null;
    }
    outbound.release();
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
    statements.clear();
    portals.clear();
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

  // ------------------------------------------------------------------ errors

  private interface SqlCall<T> {
    T call() throws SqlException;
  }

  /** Runs an engine call, turning a RuntimeException into the SqlException it carries (or XX000). */
  private static <T> T guard(SqlCall<T> call) throws SqlException {
    try {
      return call.call();
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      throw unwrap(e);
    }
  }

  /**
   * The SqlException somewhere in {@code e}'s causes (lazy row iterators can only throw unchecked),
   * or XX000 with a generic message after logging the unexpected exception. NB: engine bugs can
   * surface as errors too (an ExceptionInInitializerError from generated code, a stack overflow on
   * a deep expression); they get XX000 like any bug instead of leaving the client waiting.
   */
  static SqlException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlException s) {
        return s;
      }
    }
    LOG.error("unexpected error executing statement", e);
    return new SqlException(SqlState.INTERNAL_ERROR, "internal error");
  }
}
