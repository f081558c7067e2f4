package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.pgwire.EmbeddedPipeline.read;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.pgwire.Backend.Msg;
import org.troupedb.sql.LoginRole;
import org.troupedb.sql.ScramSha256;

/** Password authentication at the byte level (the full SCRAM exchange runs in node's AuthIT). */
class PgAuthTest {
  private final FakeSqlEngine engine = new FakeSqlEngine();

  /** The engine knows one role, "alice", password "secret". */
  PgAuthTest() {
    engine.roles.put("alice", new LoginRole("alice", false, true, ScramSha256.newVerifier("secret")));
  }

  private EmbeddedChannel channel(PgServerConfig config, SocketAddress remote) {
    return EmbeddedPipeline.open(engine, config, new CancelRegistry(), Runnable::run, remote);
  }

  private static PgServerConfig config(PgServerConfig.PasswordMethod method) {
    return PgServerConfig.loopback().withAuth(PgServerConfig.Auth.PASSWORD, method);
  }

  private static ByteBuf password(String p) {
    return Frontend.msg('p', b -> Frontend.cstr(b, p));
  }

  @Test
  void aClientThatNeverSendsItsPasswordIsClosedAtTheAuthenticationTimeout() {
    EmbeddedChannel ch = channel(config(PgServerConfig.PasswordMethod.SCRAM_SHA_256), null);
    ch.writeInbound(Frontend.startup(Map.of("user", "alice")));
    assertThat(Backend.types(read(ch))).isEqualTo("R");
    EmbeddedPipeline.assertClosedAtTheStartupTimeout(ch);
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void scramIsOfferedAsTheOnlyMechanism() {
    EmbeddedChannel ch = channel(config(PgServerConfig.PasswordMethod.SCRAM_SHA_256), null);
    ch.writeInbound(Frontend.startup(Map.of("user", "alice")));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("R");
    ByteBuf body = msgs.get(0).buf();
    assertThat(body.readInt()).isEqualTo(10);
    assertThat(Backend.cstr(body)).isEqualTo("SCRAM-SHA-256");
    assertThat(body.readByte()).isZero();
    assertThat(engine.openSessions.get()).isZero();
    // A malformed SASLInitialResponse is a protocol violation.
    ch.writeInbound(Frontend.msg('p', b -> b.writeBytes("SCRAM-SHA-256".getBytes(StandardCharsets.UTF_8))));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "FATAL");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void rootFromLoopbackIsTrustedButNotFromElsewhere() {
    EmbeddedChannel local = channel(config(PgServerConfig.PasswordMethod.SCRAM_SHA_256), null);
    local.writeInbound(Frontend.startup(Map.of("user", "root")));
    assertThat(Backend.types(read(local))).startsWith("R").endsWith("Z");
    EmbeddedChannel remote = channel(config(PgServerConfig.PasswordMethod.SCRAM_SHA_256),
        new InetSocketAddress("10.1.2.3", 5432));
    remote.writeInbound(Frontend.startup(Map.of("user", "root")));
    List<Msg> msgs = read(remote);
    assertThat(msgs.get(0).buf().readInt()).isEqualTo(10); // asked for a password
  }

  @Test
  void cleartextPasswordChecksTheVerifier() {
    EmbeddedChannel ok = channel(config(PgServerConfig.PasswordMethod.PASSWORD), null);
    ok.writeInbound(Frontend.startup(Map.of("user", "alice")));
    assertThat(read(ok).get(0).buf().readInt()).isEqualTo(3);
    ok.writeInbound(password("secret"));
    assertThat(Backend.types(read(ok))).startsWith("R").endsWith("Z");
    assertThat(engine.openSessions.get()).isEqualTo(1);

    EmbeddedChannel wrong = channel(config(PgServerConfig.PasswordMethod.PASSWORD), null);
    wrong.writeInbound(Frontend.startup(Map.of("user", "alice")));
    read(wrong);
    wrong.writeInbound(password("Secret"));
    assertThat(read(wrong).get(0).fields()).containsEntry('C', "28P01")
        .containsEntry('M', "password authentication failed for user \"alice\"");
    assertThat(wrong.isActive()).isFalse();

    EmbeddedChannel unknown = channel(config(PgServerConfig.PasswordMethod.PASSWORD), null);
    unknown.writeInbound(Frontend.startup(Map.of("user", "ghost")));
    read(unknown);
    unknown.writeInbound(password(""));
    assertThat(read(unknown).get(0).fields()).containsEntry('C', "28P01");
  }

  @Test
  void insecureTrustAdmitsAnyoneWithoutAPassword() {
    PgServerConfig trust = PgServerConfig.loopback().withAuth(PgServerConfig.Auth.TRUST,
        PgServerConfig.PasswordMethod.SCRAM_SHA_256);
    EmbeddedChannel ch = channel(trust, new InetSocketAddress("10.1.2.3", 5432));
    ch.writeInbound(Frontend.startup(Map.of("user", "alice")));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).startsWith("R").endsWith("Z");
    assertThat(msgs.get(0).buf().readInt()).isZero(); // AuthenticationOk straight away
  }

  @Test
  void aQueryInsteadOfThePasswordIsAProtocolViolation() {
    EmbeddedChannel ch = channel(config(PgServerConfig.PasswordMethod.SCRAM_SHA_256), null);
    ch.writeInbound(Frontend.startup(Map.of("user", "alice")));
    read(ch);
    ch.writeInbound(Frontend.query("SELECT 1"));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "08P01");
    assertThat(engine.openSessions.get()).isZero();
  }
}
