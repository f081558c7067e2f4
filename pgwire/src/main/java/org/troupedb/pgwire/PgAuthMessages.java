package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The authentication messages of the startup phase: the server's requests and the parsing of the
 * client's 'p' answers ({@link PgFrontendMessages.PasswordData}), whose layout depends on the
 * request.
 */
final class PgAuthMessages {
  private PgAuthMessages() {}

  static final int CLEARTEXT_PASSWORD = 3;
  static final int SASL = 10;
  static final int SASL_CONTINUE = 11;
  static final int SASL_FINAL = 12;

  /** SASLInitialResponse: cstring mechanism | int32 n (-1: none) | n bytes of initial response. */
  record SaslInitialResponse(String mechanism, byte[] data) {}

  /** AuthenticationCleartextPassword: 'R' | int32 8 | int32 3. */
  static void cleartextPassword(ByteBuf out) {
    out.writeByte('R').writeInt(8).writeInt(CLEARTEXT_PASSWORD);
  }

  /** AuthenticationSASL: 'R' | int32 len | int32 10 | mechanism cstrings | 0. */
  static void sasl(ByteBuf out, String mechanism) {
    byte[] m = mechanism.getBytes(StandardCharsets.UTF_8);
    out.writeByte('R').writeInt(4 + 4 + m.length + 1 + 1).writeInt(SASL).writeBytes(m).writeByte(0).writeByte(0);
  }

  /** AuthenticationSASLContinue / AuthenticationSASLFinal: 'R' | int32 len | int32 11 or 12 | data. */
  static void saslData(ByteBuf out, int code, byte[] data) {
    out.writeByte('R').writeInt(4 + 4 + data.length).writeInt(code).writeBytes(data);
  }

  /** Parses a SASLInitialResponse body. */
  static SaslInitialResponse saslInitialResponse(byte[] body) throws PgProtocolException {
    ByteBuf in = Unpooled.wrappedBuffer(body);
    try {
      String mechanism = PgFrontendMessages.cstring(in);
      int n = in.readInt();
      if (n < -1 || n > in.readableBytes()) {
        throw new PgProtocolException("invalid SASLInitialResponse length");
      }
      byte[] data = n < 0 ? new byte[0] : new byte[n];
      in.readBytes(data);
      if (in.isReadable()) {
        throw new PgProtocolException("invalid message format");
      }
      return new SaslInitialResponse(mechanism, data);
    } catch (IndexOutOfBoundsException e) {
      throw new PgProtocolException("invalid message format");
    }
  }

  /** Parses a PasswordMessage body: one cstring. */
  static String password(byte[] body) throws PgProtocolException {
    ByteBuf in = Unpooled.wrappedBuffer(body);
    String p = PgFrontendMessages.cstring(in);
    if (in.isReadable()) {
      throw new PgProtocolException("invalid message format");
    }
    return p;
  }
}
