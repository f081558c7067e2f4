package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.pgwire.EmbeddedPipeline.read;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.pgwire.Backend.Msg;

/** Byte-level tests of the whole connection pipeline on an EmbeddedChannel (statements run inline). */
class PgConnectionTest {
  private final FakeSqlEngine engine = new FakeSqlEngine();
  private final CancelRegistry registry = new CancelRegistry();
  private final PgServerConfig config = PgServerConfig.loopback().withPort(0);
  /** Tasks handed to the session pool (run inline here). */
  private final java.util.concurrent.atomic.AtomicInteger handoffs = new java.util.concurrent.atomic.AtomicInteger();

  private EmbeddedChannel channel(SocketAddress remote) {
    return EmbeddedPipeline.open(engine, config, registry, r -> {
      handoffs.incrementAndGet();
      r.run();
    }, remote);
  }

  private EmbeddedChannel connected() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Frontend.startup(Map.of("user", "root", "database", "defaultdb", "application_name", "t")));
    List<Msg> msgs = read(ch);
    assertThat(msgs.get(0).type()).isEqualTo('R');
    assertThat(msgs.get(msgs.size() - 1).type()).isEqualTo('Z');
    return ch;
  }

  @Test
  void theMessagesOfOneReadAreOneHandOff() {
    EmbeddedChannel ch = connected();
    int before = handoffs.get();
    ByteBuf together = Unpooled.buffer();
    for (ByteBuf m : List.of(Frontend.parse("s1", "generate 2"), Frontend.bind("p1", "s1", (short) 0),
        Frontend.execute("p1", 0), Frontend.sync())) {
      together.writeBytes(m);
      m.release();
    }
    ch.writeInbound(together);
    assertThat(Backend.types(read(ch))).isEqualTo("12DDCZ");
    assertThat(handoffs.get() - before).isEqualTo(1);
    // Separate reads are separate hand-offs, still in order.
    ch.writeInbound(Frontend.bind("p2", "s1", (short) 0));
    ch.writeInbound(Frontend.execute("p2", 1));
    ch.writeInbound(Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("2DsZ");
    assertThat(handoffs.get() - before).isEqualTo(4);
  }

  /** PostgreSQL 15 ignores bytes after an SSLRequest's code and answers 'N' (docs/fuzzing.md). */
  @Test
  void sslRequestWithTrailingBytesIsAnsweredAsAnSslRequest() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Unpooled.buffer().writeInt(12).writeInt(PgFrameDecoder.SSL_REQUEST_CODE).writeInt(42));
    ByteBuf n = ch.readOutbound();
    assertThat((char) n.readByte()).isEqualTo('N');
    n.release();
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    assertThat(Backend.types(read(ch))).matches("RS+KZ");
  }

  @Test
  void sslRequestRefusedThenStartupCompletes() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Frontend.code(PgFrameDecoder.SSL_REQUEST_CODE));
    ByteBuf n = ch.readOutbound();
    assertThat(n.readableBytes()).isEqualTo(1);
    assertThat((char) n.readByte()).isEqualTo('N');
    n.release();
    ch.writeInbound(Frontend.code(PgFrameDecoder.GSSENC_REQUEST_CODE));
    ByteBuf n2 = ch.readOutbound();
    assertThat((char) n2.readByte()).isEqualTo('N');
    n2.release();
    ch.writeInbound(Frontend.startup(Map.of("user", "root", "application_name", "app1")));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).matches("RS+KZ");
    assertThat(msgs).filteredOn(m -> m.type() == 'S').extracting(m -> m.text())
        .contains("server_version", "client_encoding", "DateStyle", "integer_datetimes", "TimeZone");
    assertThat(msgs.get(msgs.size() - 1).body()).containsExactly('I');
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void silentClientIsClosedAfterStartupTimeout() {
    EmbeddedChannel ch = channel(null);
    EmbeddedPipeline.assertClosedAtTheStartupTimeout(ch);
  }

  @Test
  void startedClientIsNotTimedOut() {
    EmbeddedChannel ch = connected();
    ch.advanceTimeBy(120, java.util.concurrent.TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void nonRootUserIsRefusedWith28000() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Frontend.startup(Map.of("user", "bob")));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("E");
    assertThat(msgs.get(0).fields()).containsEntry('C', "28000").containsEntry('S', "FATAL");
    assertThat(ch.isActive()).isFalse();
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void nonLoopbackClientIsRefusedWith28000() {
    EmbeddedChannel ch = channel(new InetSocketAddress("10.1.2.3", 5432));
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "28000");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void unknownDatabaseIsFatal() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Frontend.startup(Map.of("user", "root", "database", "nodb")));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "3D000").containsEntry('S', "FATAL");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void protocolVersion2IsRefused() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Unpooled.buffer().writeInt(8).writeInt(2 << 16));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "0A000");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void newerMinorVersionGetsNegotiateProtocolVersion() {
    EmbeddedChannel ch = channel(null);
    ByteBuf startup = Frontend.startup(Map.of("user", "root", "_pq_.opt", "x"));
    startup.setInt(4, (3 << 16) | 2);
    ch.writeInbound(startup);
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).startsWith("vR");
    assertThat(msgs.get(0).buf().readInt()).isZero();
  }

  @Test
  void simpleQueryMultiStatement() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("generate 2; insert into t values (1); begin"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("TDDCCCZ");
    assertThat(msgs.get(1).row()).containsExactly("1");
    assertThat(msgs.get(3).text()).isEqualTo("SELECT 2");
    assertThat(msgs.get(4).text()).isEqualTo("INSERT 0 1");
    assertThat(msgs.get(6).body()).containsExactly('T');
  }

  @Test
  void simpleQueryErrorSkipsTheRestAndTransactionFails() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("begin; fail 23505; generate 1"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("CEZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "23505").containsEntry('M', "failed as asked")
        .containsEntry('D', "some detail").containsEntry('H', "a hint");
    assertThat(msgs.get(2).body()).containsExactly('E');
    ch.writeInbound(Frontend.query("rollback"));
    msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("CZ");
    assertThat(msgs.get(1).body()).containsExactly('I');
  }

  @Test
  void errorPositionIsSentAsFieldP() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("fail 42P01 at 6"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "42P01").containsEntry('P', "6");
    ch.writeInbound(Frontend.query("fail 23505"));
    assertThat(read(ch).get(0).fields()).doesNotContainKey('P');
  }

  @Test
  void emptyQueryAndTextOfEveryType() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query(" ; "));
    assertThat(Backend.types(read(ch))).isEqualTo("IZ");
    ch.writeInbound(Frontend.query("select types"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("TDDCZ");
    assertThat(msgs.get(1).row()).containsExactly("t", "-2", "123456", "9007199254740993", "1.5", "0.1",
        "-12345.6780", "text ✓", "varchar", "bpchar  ", "name", "\\x0001ff", "2024-01-02",
        "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456+00", "4000000000",
        "1 year 2 mons 3 days 04:00:05", "x");
    assertThat(msgs.get(2).row()).hasSize(18).containsOnlyNulls();
    assertThat(msgs.get(3).text()).isEqualTo("SELECT 2");
  }

  @Test
  void unexpectedExceptionIsXX000WithoutInternals() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("explode"));
    List<Msg> msgs = read(ch);
    assertThat(msgs.get(0).fields()).containsEntry('C', "XX000");
    assertThat(msgs.get(0).fields().get('M')).doesNotContain("secret");
    ch.writeInbound(Frontend.query("lazyfail"));
    msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("TDEZ");
    assertThat(msgs.get(2).fields()).containsEntry('C', "22012");
  }

  @Test
  void unexpectedErrorIsXX000AndTheSessionGoesOn() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("crash"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "XX000");
    ch.writeInbound(Frontend.query("select types"));
    assertThat(Backend.types(read(ch))).endsWith("CZ");
  }

  @Test
  void extendedProtocolWithPortalSuspension() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("begin"));
    read(ch);
    ch.writeInbound(Frontend.parse("s1", "generate 5"), Frontend.describe('S', "s1"),
        Frontend.bind("p1", "s1", (short) 0), Frontend.describe('P', "p1"), Frontend.execute("p1", 2),
        Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1tT2TDDsZ");
    ch.writeInbound(Frontend.execute("p1", 2), Frontend.execute("p1", 2), Frontend.sync());
    msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("DDsDCZ");
    assertThat(msgs.get(3).row()).containsExactly("5");
    assertThat(msgs.get(4).text()).isEqualTo("SELECT 5");
    ch.writeInbound(Frontend.close('P', "p1"), Frontend.close('S', "s1"), Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("33Z");
  }

  @Test
  void outputWaitsForSyncOrFlush() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("a", "generate 1"));
    assertThat(read(ch)).isEmpty();
    ch.writeInbound(Frontend.msg('H', b -> {}));
    assertThat(Backend.types(read(ch))).isEqualTo("1");
    ch.writeInbound(Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("Z");
  }

  @Test
  void interleavedNamedStatementsAndPortals() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("begin"));
    read(ch);
    ch.writeInbound(Frontend.parse("a", "generate 3"), Frontend.parse("b", "echo $1", 25),
        Frontend.bind("pa", "a", (short) 0), Frontend.bind("pb", "b", (short) 0, "hi"),
        Frontend.bind("pa2", "a", (short) 1),
        Frontend.execute("pa", 1), Frontend.execute("pb", 0), Frontend.execute("pa2", 1),
        Frontend.execute("pa", 0), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("11222" + "Ds" + "DC" + "Ds" + "DDC" + "Z");
    assertThat(msgs.get(5).row()).containsExactly("1");
    assertThat(msgs.get(7).row()).containsExactly("hi");
    // pa2 asked for binary: int4 1 as four bytes
    assertThat(msgs.get(9).body()).containsExactly(0, 1, 0, 0, 0, 4, 0, 0, 0, 1);
    assertThat(msgs.get(11).row()).containsExactly("2");
    assertThat(msgs.get(13).text()).isEqualTo("SELECT 3");
    // Portals end with the transaction; statements stay.
    ch.writeInbound(Frontend.query("commit"));
    read(ch);
    ch.writeInbound(Frontend.execute("pa2", 0), Frontend.sync());
    assertThat(read(ch).get(0).fields()).containsEntry('C', "34000");
    ch.writeInbound(Frontend.bind("", "a", (short) 0), Frontend.execute("", 0), Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("2DDDCZ");
  }

  @Test
  void errorSkipsUntilSync() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "echo $1", 23), Frontend.bind("", "", (short) 0, "x12"),
        Frontend.execute("", 0), Frontend.parse("", "generate 1"), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "22P02");
    ch.writeInbound(Frontend.parse("", "echo $1 $2", 23, 0), Frontend.bind("", "", (short) 0, "12", null),
        Frontend.execute("", 0), Frontend.sync());
    msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("12DCZ");
    assertThat(msgs.get(2).row()).containsExactly("12", null);
  }

  @Test
  void badUtf8InTextParameterIs22P02AndNotFatal() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "echo $1"), Frontend.msg('B', b -> {
      b.writeBytes(new byte[] {0, 0}).writeShort(0).writeShort(1).writeInt(2).writeByte(0xC3).writeByte(0x28)
          .writeShort(0);
    }), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "22P02");
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void binaryParameterOfWrongLengthIs22P03() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "echo $1", 20), Frontend.msg('B', b -> {
      b.writeBytes(new byte[] {0, 0}).writeShort(1).writeShort(1).writeShort(1).writeInt(4).writeInt(7)
          .writeShort(0);
    }), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "22P03");
  }

  @Test
  void wrongParameterCountIsAnError() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "echo $1 $2"), Frontend.bind("", "", (short) 0, "1"), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "08P01").containsEntry('S', "ERROR");
  }

  @Test
  void negativeParameterLengthIsAnErrorAndTheSessionSkipsToSync() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('B', b -> b.writeBytes(new byte[] {0, 0}).writeShort(0).writeShort(1).writeInt(-2)
        .writeShort(0)), Frontend.execute("", 0), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "ERROR");
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void namedStatementErrors() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("a", "generate 1"), Frontend.parse("a", "generate 1"), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "42P05");
    ch.writeInbound(Frontend.bind("", "nope", (short) 0), Frontend.sync());
    assertThat(read(ch).get(0).fields()).containsEntry('C', "26000");
    ch.writeInbound(Frontend.execute("nope", 0), Frontend.sync());
    assertThat(read(ch).get(0).fields()).containsEntry('C', "34000");
    ch.writeInbound(Frontend.parse("", "generate 1; generate 2"), Frontend.sync());
    assertThat(read(ch).get(0).fields()).containsEntry('C', "42601");
    ch.writeInbound(Frontend.parse("", ""), Frontend.bind("", "", (short) 0), Frontend.execute("", 0), Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("12IZ");
  }

  @Test
  void unknownMessageTypeIs08P01AndCloses() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('?', b -> b.writeInt(1)));
    List<Msg> msgs = read(ch);
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "FATAL");
    assertThat(ch.isActive()).isFalse();
    assertThat(engine.openSessions.get()).isZero();
    assertThat(registry.size()).isZero();
  }

  @Test
  void functionCallIsRefusedButConnectionContinues() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('F', b -> b.writeInt(1234).writeShort(0).writeShort(0).writeShort(0)));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "0A000");
    ch.writeInbound(Frontend.query("generate 1"));
    assertThat(Backend.types(read(ch))).isEqualTo("TDCZ");
  }

  /**
   * A malformed body, as PostgreSQL 15 answers it (checked on raw sockets, docs/fuzzing.md): an
   * ERROR, the extended protocol skipping to Sync, and the session goes on.
   */
  @Test
  void truncatedBodyIsAnErrorAndTheSessionSkipsToSync() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('E', b -> b.writeByte('x')), Frontend.parse("", "generate 1"), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "ERROR")
        .containsEntry('M', "invalid string in message");
    ch.writeInbound(Frontend.query("generate 1"));
    assertThat(Backend.types(read(ch))).isEqualTo("TDCZ");
  }

  @Test
  void bindCountBeyondBodyIsAnError() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('B', b -> b.writeBytes(new byte[] {0, 0}).writeShort(30000)), Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "ERROR");
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void bindWithTrailingBytesIsAnErrorThenTheNextQueryRuns() {
    EmbeddedChannel ch = connected();
    io.netty.buffer.ByteBuf bind = Frontend.bind("", "", (short) 0);
    io.netty.buffer.ByteBuf longer = Unpooled.buffer().writeByte('B').writeInt(bind.getInt(1) + 3)
        .writeBytes(bind, 5, bind.readableBytes() - 5).writeBytes(new byte[] {1, 2, 3});
    bind.release();
    ch.writeInbound(Frontend.parse("", "generate 1"), longer, Frontend.execute("", 0), Frontend.sync(),
        Frontend.query("generate 1"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("1EZTDCZ");
    assertThat(msgs.get(1).fields()).containsEntry('C', "08P01").containsEntry('M', "invalid message format: 3 trailing bytes");
  }

  @Test
  void queryWithoutItsNulIsAnErrorThenReadyForQuery() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('Q', b -> b.writeBytes("generate 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
        Frontend.query("generate 1"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZTDCZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('M', "invalid string in message");
  }

  @Test
  void syncWithTrailingBytesIsAnErrorThenReadyForQuery() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('S', b -> b.writeInt(7)));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('S', "ERROR");
  }

  @Test
  void copyFailWithoutItsNulEndsTheCopyWith08P01AndTheSessionGoesOn() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("copy t from stdin"));
    assertThat(Backend.types(read(ch))).isEqualTo("G");
    ch.writeInbound(Frontend.msg('f', b -> b.writeByte('x')), Frontend.query("generate 1"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZTDCZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01").containsEntry('M', "invalid string in message");
    assertThat(engine.copyAborts.get()).isEqualTo(1);
  }

  @Test
  void badUtf8Is22021AndTheSessionGoesOn() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.msg('Q', b -> b.writeByte(0xC3).writeByte(0x28).writeByte(0)));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "22021").containsEntry('S', "ERROR");
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void negativeLengthIs08P01() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(-1));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "08P01");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void queryBeforeStartupIs08P01() {
    EmbeddedChannel ch = channel(null);
    // A 'Q' message read as a startup packet: length 0x51000000 is out of bounds.
    ch.writeInbound(Frontend.query("select 1"));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "08P01");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void setReportsParameterStatus() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("set application_name = 'x2'"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("CSZ");
    ByteBuf b = msgs.get(1).buf();
    assertThat(Backend.cstr(b)).isEqualTo("application_name");
    assertThat(Backend.cstr(b)).isEqualTo("x2");
  }

  @Test
  void terminateClosesSession() {
    EmbeddedChannel ch = connected();
    assertThat(engine.openSessions.get()).isEqualTo(1);
    ch.writeInbound(Frontend.terminate());
    assertThat(ch.isActive()).isFalse();
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void cancelRequestReachesSessionWithMatchingKey() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    List<Msg> msgs = read(ch);
    ByteBuf key = msgs.stream().filter(m -> m.type() == 'K').findFirst().orElseThrow().buf();
    int pid = key.readInt();
    int secret = key.readInt();
    assertThat(registry.cancel(pid, secret + 1)).isFalse();
    EmbeddedChannel other = channel(null);
    other.writeInbound(Frontend.cancel(pid, secret));
    assertThat(other.isActive()).isFalse();
    // The fake session remembers the cancel: its next slow statement fails at once.
    ch.writeInbound(Frontend.query("slow"));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "57014");
  }

  private static ByteBuf copyData(String data) {
    return Frontend.msg('d', b -> b.writeBytes(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void simpleQueryCopyInTakesRowsSplitAnywhereThenRunsTheRestOfTheQuery() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("copy t from stdin; insert"));
    List<Msg> start = read(ch);
    assertThat(Backend.types(start)).isEqualTo("G");
    ch.writeInbound(copyData("1\tone\n2\tt"));
    ch.writeInbound(Frontend.msg('H', b -> { }));
    ch.writeInbound(copyData("wo\n3\t\\N\n"));
    assertThat(read(ch)).isEmpty();
    ch.writeInbound(Frontend.msg('c', b -> { }));
    List<Msg> done = read(ch);
    assertThat(Backend.types(done)).isEqualTo("CCZ");
    assertThat(done.get(0).text()).isEqualTo("COPY 3");
    assertThat(done.get(1).text()).isEqualTo("INSERT 0 1");
    assertThat(engine.copied).containsExactly(List.of("1", "one"), List.of("2", "two"), java.util.Arrays.asList("3", null));
  }

  @Test
  void copyFailIs57014AndLaterCopyMessagesAreDropped() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("copy t from stdin"));
    read(ch);
    ch.writeInbound(copyData("1\tone\n"));
    ch.writeInbound(Frontend.msg('f', b -> Frontend.cstr(b, "user gave up")));
    List<Msg> failed = read(ch);
    assertThat(Backend.types(failed)).isEqualTo("EZ");
    assertThat(failed.get(0).fields()).containsEntry('C', "57014").containsEntry('M', "COPY from stdin failed: user gave up");
    assertThat(engine.copyAborts.get()).isEqualTo(1);
    ch.writeInbound(copyData("2\ttwo\n"));
    ch.writeInbound(Frontend.msg('c', b -> { }));
    assertThat(read(ch)).isEmpty();
    ch.writeInbound(Frontend.query("insert"));
    assertThat(Backend.types(read(ch))).isEqualTo("CZ");
  }

  @Test
  void badRowEndsCopyWithContextField() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("copy t from stdin"));
    read(ch);
    ch.writeInbound(copyData("1\tone\nbad\tx\n"));
    ch.writeInbound(Frontend.msg('c', b -> { }));
    List<Msg> failed = read(ch);
    assertThat(Backend.types(failed)).isEqualTo("EZ");
    assertThat(failed.get(0).fields()).containsEntry('C', "22P02").containsEntry('W', "COPY t, line 2, column a: \"bad\"");
    ch.writeInbound(copyData("1\tone\nshort\n"));
    ch.writeInbound(Frontend.query("copy t from stdin"));
    read(ch);
    ch.writeInbound(copyData("7\n"));
    ch.writeInbound(Frontend.msg('c', b -> { }));
    assertThat(read(ch).get(0).fields()).containsEntry('C', "22P04").containsEntry('W', "COPY t, line 1: \"7\"");
    assertThat(engine.copyAborts.get()).isEqualTo(2);
  }

  @Test
  void extendedProtocolCopyInIgnoresSyncUntilCopyDone() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "copy t from stdin"));
    ch.writeInbound(Frontend.bind("", "", (short) 0));
    ch.writeInbound(Frontend.execute("", 0));
    ch.writeInbound(Frontend.sync());
    assertThat(Backend.types(read(ch))).isEqualTo("12G");
    ch.writeInbound(copyData("5\tfive\n"));
    ch.writeInbound(Frontend.msg('c', b -> { }));
    ch.writeInbound(Frontend.sync());
    List<Msg> done = read(ch);
    assertThat(Backend.types(done)).isEqualTo("CZ");
    assertThat(done.get(0).text()).isEqualTo("COPY 1");
    assertThat(engine.copied).containsExactly(List.of("5", "five"));
  }

  @Test
  void extendedProtocolCopyErrorSkipsToSync() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.parse("", "copy t from stdin"));
    ch.writeInbound(Frontend.bind("", "", (short) 0));
    ch.writeInbound(Frontend.execute("", 0));
    read(ch);
    ch.writeInbound(Frontend.parse("other", "insert"));
    ch.writeInbound(Frontend.parse("skipped", "insert"));
    ch.writeInbound(Frontend.sync());
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("EZ");
    assertThat(msgs.get(0).fields()).containsEntry('C', "08P01")
        .containsEntry('M', "unexpected message type 0x50 during COPY from stdin");
    assertThat(engine.copyAborts.get()).isEqualTo(1);
  }

  @Test
  void copyOutSendsHeaderRowsAndDone() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(Frontend.query("dump"));
    List<Msg> msgs = read(ch);
    assertThat(Backend.types(msgs)).isEqualTo("HdddcCZ");
    assertThat(new String(msgs.get(1).body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a,b\n");
    assertThat(new String(msgs.get(2).body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("1,\"x,y\"\n");
    assertThat(new String(msgs.get(3).body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("2,\n");
    assertThat(msgs.get(5).text()).isEqualTo("COPY 2");
  }
}
