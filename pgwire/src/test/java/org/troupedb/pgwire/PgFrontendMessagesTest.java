package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgFrontendMessagesTest {

  @Test
  void cstringReadsAsciiAndMultiByteUtf8AndAdvancesPastTheNul() throws Exception {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes("S_1".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
    b.writeBytes("tätä ☃".getBytes(StandardCharsets.UTF_8)).writeByte(0);
    b.writeByte(0);
    b.writeByte('x');
    assertThat(PgFrontendMessages.cstring(b)).isEqualTo("S_1");
    assertThat(PgFrontendMessages.cstring(b)).isEqualTo("tätä ☃");
    assertThat(PgFrontendMessages.cstring(b)).isEmpty();
    assertThat(b.readByte()).isEqualTo((byte) 'x');
  }

  @Test
  void invalidUtf8IsAProtocolError() {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes(new byte[] {'a', (byte) 0xC3, (byte) 0x28, 0});
    assertThatThrownBy(() -> PgFrontendMessages.cstring(b)).isInstanceOf(PgProtocolException.class)
        .hasMessageContaining("UTF8");
  }

  @Test
  void aStringWithoutItsNulIsAProtocolError() {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> PgFrontendMessages.cstring(b)).isInstanceOf(PgProtocolException.class);
  }
}
