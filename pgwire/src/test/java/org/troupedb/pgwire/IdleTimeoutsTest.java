package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.pgwire.EmbeddedPipeline.read;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.troupedb.pgwire.Backend.Msg;

/**
 * idle_in_transaction_session_timeout and idle_session_timeout, byte by byte on an EmbeddedChannel
 * with a frozen clock: the FATAL a PostgreSQL 15 client gets, when, and that the session (with its
 * transaction) is closed.
 */
class IdleTimeoutsTest {
  private final FakeSqlEngine engine = new FakeSqlEngine();

  private EmbeddedChannel connected() {
    EmbeddedChannel ch = EmbeddedPipeline.open(engine, PgServerConfig.loopback(), new CancelRegistry(), Runnable::run,
        null);
    ch.writeInbound(Frontend.startup(Map.of("user", "root", "database", "defaultdb")));
    assertThat(Backend.types(read(ch))).endsWith("Z");
    return ch;
  }

  /** Runs a simple query and returns the ReadyForQuery status. */
  private static char query(EmbeddedChannel ch, String sql) {
    ch.writeInbound(Frontend.query(sql));
    List<Msg> msgs = read(ch);
    Msg z = msgs.get(msgs.size() - 1);
    assertThat(z.type()).as(Backend.types(msgs)).isEqualTo('Z');
    return (char) z.body()[0];
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  private static void assertFatal(EmbeddedChannel ch, String code, String message) {
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("E");
    Map<Character, String> f = msgs.get(0).fields();
    assertThat(f.get('S')).isEqualTo("FATAL");
    assertThat(f.get('C')).isEqualTo(code);
    assertThat(f.get('M')).isEqualTo(message);
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void idleInTransactionEndsTheConnectionAndItsTransaction() {
    EmbeddedChannel ch = connected();
    query(ch, "set idle_in_transaction_session_timeout = 300ms");
    assertThat(query(ch, "begin")).isEqualTo('T');
    advance(ch, 299);
    assertThat(ch.isActive()).isTrue();
    assertThat(read(ch)).isEmpty();
    advance(ch, 2);
    assertFatal(ch, "25P03", "terminating connection due to idle-in-transaction timeout");
    assertThat(engine.openSessions.get()).as("session closed, its transaction rolled back").isZero();
  }

  @Test
  void idleInTransactionDoesNotApplyOutsideATransaction() {
    EmbeddedChannel ch = connected();
    assertThat(query(ch, "set idle_in_transaction_session_timeout = 300ms")).isEqualTo('I');
    advance(ch, 10_000);
    assertThat(ch.isActive()).isTrue();
    assertThat(query(ch, "begin")).isEqualTo('T');
    assertThat(query(ch, "commit")).isEqualTo('I');
    advance(ch, 10_000);
    assertThat(ch.isActive()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void idleSessionTimeoutRestartsWithEveryMessage() {
    EmbeddedChannel ch = connected();
    query(ch, "set idle_session_timeout = 200ms");
    advance(ch, 150);
    assertThat(query(ch, "generate 1")).isEqualTo('I'); // re-arms
    advance(ch, 150);
    assertThat(ch.isActive()).isTrue();
    advance(ch, 60);
    assertFatal(ch, "57P05", "terminating connection due to idle-session timeout");
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void idleSessionTimeoutWaitsWhileInATransaction() {
    EmbeddedChannel ch = connected();
    query(ch, "set idle_session_timeout = 200ms");
    assertThat(query(ch, "begin")).isEqualTo('T');
    advance(ch, 10_000);
    assertThat(ch.isActive()).isTrue();
    ch.finishAndReleaseAll();
  }
}
