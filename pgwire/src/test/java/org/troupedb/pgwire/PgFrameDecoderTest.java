package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.pgwire.PgFrameDecoder.Malformed;
import org.troupedb.pgwire.PgFrameDecoder.PgFrame;
import org.troupedb.pgwire.PgFrameDecoder.StartupFrame;

class PgFrameDecoderTest {
  private final EmbeddedChannel ch = new EmbeddedChannel(new PgFrameDecoder(4096));

  @Test
  void framesStartupThenRegularMessagesSplitAcrossReads() {
    ByteBuf all = Unpooled.buffer();
    all.writeBytes(Frontend.code(PgFrameDecoder.SSL_REQUEST_CODE));
    all.writeBytes(Frontend.startup(Map.of("user", "root")));
    all.writeBytes(Frontend.query("select 1"));
    all.writeBytes(Frontend.sync());
    // Feed one byte at a time: nothing may be emitted before a frame is complete.
    while (all.isReadable()) {
      ch.writeInbound(all.readRetainedSlice(1));
    }
    all.release();

    StartupFrame ssl = ch.readInbound();
    assertThat(ssl.body().readInt()).isEqualTo(PgFrameDecoder.SSL_REQUEST_CODE);
    ssl.body().release();
    StartupFrame startup = ch.readInbound();
    assertThat(startup.body().readInt()).isEqualTo(196608);
    startup.body().release();
    PgFrame q = ch.readInbound();
    assertThat((char) q.type()).isEqualTo('Q');
    assertThat(q.body().readableBytes()).isEqualTo("select 1".length() + 1);
    q.body().release();
    PgFrame s = ch.readInbound();
    assertThat((char) s.type()).isEqualTo('S');
    assertThat(s.body().readableBytes()).isZero();
    s.body().release();
    assertThat(ch.<Object>readInbound()).isNull();
  }

  @Test
  void negativeLengthIsMalformedAndRestDiscarded() {
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    ((StartupFrame) ch.readInbound()).body().release();
    ch.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(-5).writeBytes(new byte[20]));
    assertThat(((Malformed) ch.readInbound()).reason()).contains("-5");
    ch.writeInbound(Frontend.sync());
    assertThat(ch.<Object>readInbound()).isNull();
  }

  @Test
  void lengthBelowFourIsMalformed() {
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    ((StartupFrame) ch.readInbound()).body().release();
    ch.writeInbound(Unpooled.buffer().writeByte('S').writeInt(3));
    assertThat(ch.<Object>readInbound()).isInstanceOf(Malformed.class);
  }

  @Test
  void oversizedLengthIsRejectedBeforeTheBodyArrives() {
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    ((StartupFrame) ch.readInbound()).body().release();
    // Only the 5-byte header: the decoder must not wait for (or allocate) 1 GiB.
    ch.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(1 << 30));
    assertThat(((Malformed) ch.readInbound()).reason()).contains("invalid message length");
  }

  @Test
  void controlMessagesAreBoundedLikePostgres() {
    ch.writeInbound(Frontend.startup(Map.of("user", "root")));
    ((StartupFrame) ch.readInbound()).body().release();
    // A Sync claiming 10001 bytes: PostgreSQL 15's PQ_SMALL_MESSAGE_LIMIT is 10000.
    ch.writeInbound(Unpooled.buffer().writeByte('S').writeInt(PgFrameDecoder.SMALL_MESSAGE_LIMIT + 1));
    assertThat(((Malformed) ch.readInbound()).reason()).contains("invalid message length 10001 for message type 'S'");
  }

  @Test
  void largeBindAndCopyDataUpToTheLimitAreFramed() {
    int max = PgServerConfig.DEFAULT_MAX_MESSAGE_BYTES;
    EmbeddedChannel big = new EmbeddedChannel(new PgFrameDecoder(max));
    big.writeInbound(Frontend.startup(Map.of("user", "root")));
    ((StartupFrame) big.readInbound()).body().release();
    for (char type : new char[] {'B', 'd'}) {
      int body = 4 << 20; // a 4 MiB value: far above the small-message limit, within the default
      big.writeInbound(Unpooled.buffer().writeByte(type).writeInt(body + 4).writeZero(body));
      PgFrame f = big.readInbound();
      assertThat((char) f.type()).isEqualTo(type);
      assertThat(f.body().readableBytes()).isEqualTo(body);
      f.body().release();
    }
    big.writeInbound(Unpooled.buffer().writeByte('B').writeInt(max + 1));
    assertThat(big.<Object>readInbound()).isInstanceOf(Malformed.class);
    big.finishAndReleaseAll();
  }

  @Test
  void startupPacketLengthIsBounded() {
    ch.writeInbound(Unpooled.buffer().writeInt(PgFrameDecoder.MAX_STARTUP_LENGTH + 1));
    assertThat(ch.<Object>readInbound()).isInstanceOf(Malformed.class);
    EmbeddedChannel ch2 = new EmbeddedChannel(new PgFrameDecoder(4096));
    ch2.writeInbound(Unpooled.buffer().writeInt(7).writeInt(0));
    assertThat(ch2.<Object>readInbound()).isInstanceOf(Malformed.class);
  }

  @Test
  void cancelRequestEndsFraming() {
    ch.writeInbound(Frontend.cancel(42, 7));
    StartupFrame c = ch.readInbound();
    assertThat(c.body().readableBytes()).isEqualTo(12);
    c.body().release();
    ch.writeInbound(Frontend.query("x"));
    assertThat(ch.<Object>readInbound()).isNull();
  }
}
