package org.troupedb.pgwire;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrontendMessages.CancelRequest;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.GssEncRequest;
import org.troupedb.pgwire.PgFrontendMessages.PasswordData;
import org.troupedb.pgwire.PgFrontendMessages.SslRequest;
import org.troupedb.pgwire.PgFrontendMessages.Startup;
import org.troupedb.sql.LoginRole;
import org.troupedb.sql.ScramSha256;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Startup and authentication of one connection, up to the point where the client is known: the
 * protocol version, the startup options, who may connect from where (TLS, trust for root on
 * loopback) and the password exchange. Yields a {@link Login}; opening the session is the
 * connection's ({@link PgConnection}).
 *
 * <pre>
 *   awaiting startup ──SSLRequest/GSSENCRequest──▶ 'N', awaiting startup  (with TLS configured,
 *        │                                          the handler answers SSLRequest 'S' itself)
 *        │ ──CancelRequest──▶ cancel the matching session, close
 *        │ ──StartupMessage 3.x, trusted (root from loopback, or TRUST)──▶ Login
 *        │ ──StartupMessage 3.x, password needed──▶ AuthenticationSASL (or CleartextPassword)
 *        ▼
 *   awaiting password ──'p' SASLInitialResponse──▶ AuthenticationSASLContinue
 *                     ──'p' SASLResponse, proof ok (or the cleartext password)──▶ [SASLFinal,] Login
 *                     ──bad proof / unknown role / no password──▶ FATAL 28P01
 * </pre>
 *
 * <p>NB: confined to the connection's serial executor.
 */
final class PgStartup {
  private static final Logger LOG = LoggerFactory.getLogger(PgStartup.class);

  /** Who connects to what, with the options of the startup message (user and database removed). */
  record Login(String user, String database, Map<String, String> options) {}

  /** A startup waiting for the client's password: who, and how it is checked. */
  private record PendingLogin(Login login, ScramExchange scram, ScramSha256.Verifier verifier) {}

  private final Channel channel;
  private final SqlEngine engine;
  private final PgServerConfig config;
  private final CancelRegistry cancelRegistry;
  private final PgReplies replies;
  /** Non-null while awaiting the password. */
  private PendingLogin pending;

  PgStartup(Channel channel, SqlEngine engine, PgServerConfig config, CancelRegistry cancelRegistry,
      PgReplies replies) {
    this.channel = channel;
    this.engine = engine;
    this.config = config;
    this.cancelRegistry = cancelRegistry;
    this.replies = replies;
  }

  /** Handles one message before login; returns the login once the client is authenticated, else null. */
  Login handle(FrontendMessage message) {
    return pending == null ? handleStartup(message) : handlePassword(message);
  }

  private Login handleStartup(FrontendMessage message) {
    if (message instanceof SslRequest || message instanceof GssEncRequest) {
      PgBackendMessages.encryptionRefused(replies.out());
      replies.flush();
    } else if (message instanceof CancelRequest c) {
      boolean found = cancelRegistry.cancel(c.processId(), c.secretKey());
      LOG.debug("cancel request for pid {}: {}", c.processId(), found ? "sent" : "no such session");
      replies.closeChannel();
    } else if (message instanceof Startup s) {
      return startup(s);
    } else {
      replies.fatal(SqlState.PROTOCOL_VIOLATION, "expected startup message");
    }
    return null;
  }

  private Login startup(Startup s) {
    int major = s.protocolVersion() >>> 16;
    int minor = s.protocolVersion() & 0xFFFF;
    if (major != 3) {
      replies.fatal(SqlState.FEATURE_NOT_SUPPORTED,
          "unsupported frontend protocol " + major + "." + minor + ": server supports 3.0 to 3.0");
      return null;
    }
    Map<String, String> options = new LinkedHashMap<>(s.params());
    List<String> unrecognized = new ArrayList<>();
    options.keySet().removeIf(k -> k.startsWith("_pq_.") && unrecognized.add(k));
    if (minor > 0 || !unrecognized.isEmpty()) {
      PgBackendMessages.negotiateProtocolVersion(replies.out(), 0, unrecognized);
    }
    String user = options.remove("user");
    if (user == null || user.isEmpty()) {
      replies.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no PostgreSQL user name specified in startup packet");
      return null;
    }
    String database = options.remove("database");
    if (database == null || database.isEmpty()) {
      database = user;
    }
    boolean encrypted = channel.pipeline().get(SslHandler.class) != null;
    boolean tlsMissing = config.tls() != null && config.tls().required() && !encrypted;
    if (tlsMissing || !admitted(user)) {
      replies.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no pg_hba.conf entry for host \"" + hostOf(channel.remoteAddress()) + "\", user \"" + user
              + "\", database \"" + database + "\", " + (encrypted ? "SSL encryption" : "no encryption"));
      return null;
    }
    Login login = new Login(user, database, options);
    if (needsPassword(user)) {
      requestPassword(login);
      return null;
    }
    return login;
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
  private void requestPassword(Login login) {
    ScramSha256.Verifier verifier;
    try {
      verifier = engine.lookupRole(login.user()).map(LoginRole::verifier).orElse(null);
    } catch (SqlException e) {
      replies.fatal(e.sqlState(), e.getMessage());
      return;
    }
    if (config.passwordMethod() == PgServerConfig.PasswordMethod.SCRAM_SHA_256) {
      pending = new PendingLogin(login, new ScramExchange(login.user(), verifier), null);
      PgAuthMessages.sasl(replies.out(), ScramSha256.MECHANISM);
    } else {
      pending = new PendingLogin(login, null, verifier);
      PgAuthMessages.cleartextPassword(replies.out());
    }
    replies.flush();
  }

  /** A 'p' message answering the password request. */
  private Login handlePassword(FrontendMessage message) {
    if (!(message instanceof PasswordData p)) {
      replies.fatal(SqlState.PROTOCOL_VIOLATION, "expected password response, got message type "
          + message.getClass().getSimpleName());
      return null;
    }
    PendingLogin waiting = pending;
    try {
      if (waiting.scram() == null) {
        String password = PgAuthMessages.password(p.body());
        if (waiting.verifier() == null || !ScramSha256.matches(waiting.verifier(), password)) {
          replies.fatal(SqlState.INVALID_PASSWORD,
              "password authentication failed for user \"" + waiting.login().user() + "\"");
          return null;
        }
        return authenticated();
      }
      ScramExchange scram = waiting.scram();
      ScramExchange.Step step;
      if (scram.hasStarted()) {
        step = scram.response(p.body());
      } else {
        PgAuthMessages.SaslInitialResponse r = PgAuthMessages.saslInitialResponse(p.body());
        step = scram.initial(r.mechanism(), r.data());
      }
      if (step instanceof ScramExchange.Continue c) {
        PgAuthMessages.saslData(replies.out(), PgAuthMessages.SASL_CONTINUE, c.data());
        replies.flush();
      } else if (step instanceof ScramExchange.Success ok) {
        PgAuthMessages.saslData(replies.out(), PgAuthMessages.SASL_FINAL, ok.data());
        return authenticated();
      } else if (step instanceof ScramExchange.Failure f) {
        replies.fatal(f.sqlState(), f.message());
      }
    } catch (PgProtocolException e) {
      replies.fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage());
    }
    return null;
  }

  private Login authenticated() {
    Login login = pending.login();
    pending = null;
    return login;
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
}
