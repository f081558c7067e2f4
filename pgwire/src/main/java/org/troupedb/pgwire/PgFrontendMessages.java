package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the body of one {@link PgFrameDecoder.PgFrame} into a {@link FrontendMessage}. Every
 * count is checked against the bytes left before an array is allocated; truncated bodies,
 * trailing garbage and invalid UTF-8 are {@link PgProtocolException}s.
 */
final class PgFrontendMessages {
  private PgFrontendMessages() {}

  /** A decoded frontend message. */
  sealed interface FrontendMessage {}

  /** StartupMessage: protocol version (major &lt;&lt; 16 | minor) and the name/value parameters. */
  record Startup(int protocolVersion, Map<String, String> params) implements FrontendMessage {}

  record SslRequest() implements FrontendMessage {}

  record GssEncRequest() implements FrontendMessage {}

  record CancelRequest(int processId, int secretKey) implements FrontendMessage {}

  /** 'Q' simple query. */
  record Query(String sql) implements FrontendMessage {}

  /** 'P': statement name ("" unnamed), text, declared parameter type OIDs (0 = infer). */
  record Parse(String name, String sql, int[] paramTypeOids) implements FrontendMessage {}

  /** 'B': values are null for SQL NULL; format codes 0 text, 1 binary. */
  record Bind(String portal, String statement, short[] paramFormats, byte[][] values, short[] resultFormats)
      implements FrontendMessage {}

  /** 'D': kind 'S' statement or 'P' portal. */
  record Describe(char kind, String name) implements FrontendMessage {}

  /** 'E': maxRows 0 = all. */
  record Execute(String portal, int maxRows) implements FrontendMessage {}

  /** 'C': kind 'S' statement or 'P' portal. */
  record Close(char kind, String name) implements FrontendMessage {}

  record Sync() implements FrontendMessage {}

  record Flush() implements FrontendMessage {}

  record Terminate() implements FrontendMessage {}

  /** 'F' fast-path function call (body skipped): answered 0A000 and ReadyForQuery. */
  record FunctionCall() implements FrontendMessage {}

  /** 'd' CopyData: a chunk of COPY FROM STDIN data (rows may span chunks). */
  record CopyData(byte[] data) implements FrontendMessage {}

  /** 'c' CopyDone: the end of COPY FROM STDIN data. */
  record CopyDone() implements FrontendMessage {}

  /** 'f' CopyFail: the client aborts COPY FROM STDIN, giving a reason. */
  record CopyFail(String message) implements FrontendMessage {}

  /**
   * 'p': a PasswordMessage, SASLInitialResponse or SASLResponse; which one depends on the
   * authentication request it answers, so the body is kept raw (see {@link PgAuthMessages}).
   */
  record PasswordData(byte[] body) implements FrontendMessage {}

  /**
   * Input that cannot be framed or read as a message (a bad length, an unknown message type, a bad
   * startup packet): answered FATAL 08P01, then closed.
   */
  record ProtocolViolation(String message) implements FrontendMessage {}

  /**
   * A message of a known type whose body does not parse (trailing bytes, a string without its NUL
   * or not in UTF-8, a count beyond the body): as PostgreSQL 15, an ERROR ({@code sqlState} 08P01,
   * or 22021 for a string not in UTF-8) after which the session goes on: ReadyForQuery after a
   * simple Query or a Sync, skipping to Sync after an extended-protocol message. Before login it
   * is FATAL, as any error there.
   */
  record MalformedBody(byte type, String sqlState, String message) implements FrontendMessage {}

  /** SQLSTATE 22021, character_not_in_repertoire: a string not in the client encoding (UTF-8). */
  static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

  /** Parses a startup-phase packet (body after the length). */
  static FrontendMessage parseStartup(ByteBuf body) throws PgProtocolException {
    int code = body.readInt();
    switch (code) {
      case PgFrameDecoder.SSL_REQUEST_CODE:
        body.skipBytes(body.readableBytes()); // PostgreSQL ignores bytes after the code
        return new SslRequest();
      case PgFrameDecoder.GSSENC_REQUEST_CODE:
        body.skipBytes(body.readableBytes());
        return new GssEncRequest();
      case PgFrameDecoder.CANCEL_REQUEST_CODE:
        if (body.readableBytes() != 8) {
          throw new PgProtocolException("invalid length of cancel request");
        }
        return new CancelRequest(body.readInt(), body.readInt());
      default:
        Map<String, String> params = new LinkedHashMap<>();
        if ((code >>> 16) == 3) {
          while (true) {
            String name = cstring(body);
            if (name.isEmpty()) {
              break;
            }
            params.put(name, cstring(body));
          }
          end(body);
        }
        return new Startup(code, params);
    }
  }

  /**
   * Parses a regular-phase message of the given type; a known type whose body does not parse is a
   * {@link MalformedBody}.
   *
   * @throws PgProtocolException for an unknown message type
   */
  static FrontendMessage parse(byte type, ByteBuf body) throws PgProtocolException {
    if ("QPBDECSHXdcFfp".indexOf(type) < 0) {
      throw new PgProtocolException("invalid frontend message type " + (type & 0xFF));
    }
    try {
      return parseKnown(type, body);
    } catch (PgProtocolException e) {
      return new MalformedBody(type, e.sqlState(), e.getMessage());
    }
  }

  private static FrontendMessage parseKnown(byte type, ByteBuf body) throws PgProtocolException {
    try {
      FrontendMessage m = switch (type) {
        case 'Q' -> new Query(cstring(body));
        case 'P' -> {
          String name = cstring(body);
          String sql = cstring(body);
          int n = count(body, 4);
          int[] oids = new int[n];
          for (int i = 0; i < n; i++) {
            oids[i] = body.readInt();
          }
          yield new Parse(name, sql, oids);
        }
        case 'B' -> parseBind(body);
        case 'D' -> new Describe(kind(body), cstring(body));
        case 'E' -> new Execute(cstring(body), body.readInt());
        case 'C' -> new Close(kind(body), cstring(body));
        case 'S' -> new Sync();
        case 'H' -> new Flush();
        case 'X' -> {
          body.skipBytes(body.readableBytes()); // PostgreSQL ends the session without reading the body
          yield new Terminate();
        }
        case 'd' -> {
          byte[] data = new byte[body.readableBytes()];
          body.readBytes(data);
          yield new CopyData(data);
        }
        case 'c' -> {
          body.skipBytes(body.readableBytes()); // PostgreSQL does not check CopyDone's body
          yield new CopyDone();
        }
        case 'F' -> {
          body.skipBytes(body.readableBytes());
          yield new FunctionCall();
        }
        case 'f' -> {
          String reason = cstring(body);
          body.skipBytes(body.readableBytes()); // nor what follows CopyFail's reason
          yield new CopyFail(reason);
        }
        case 'p' -> {
          byte[] data = new byte[body.readableBytes()];
          body.readBytes(data);
          yield new PasswordData(data);
        }
        default -> throw new PgProtocolException("invalid frontend message type " + (type & 0xFF));
      };
      end(body);
      return m;
    } catch (IndexOutOfBoundsException e) {
      throw new PgProtocolException("invalid message format");
    }
  }

  private static Bind parseBind(ByteBuf body) throws PgProtocolException {
    String portal = cstring(body);
    String statement = cstring(body);
    int nf = count(body, 2);
    short[] formats = new short[nf];
    for (int i = 0; i < nf; i++) {
      formats[i] = body.readShort();
    }
    int np = count(body, 4);
    byte[][] values = new byte[np][];
    for (int i = 0; i < np; i++) {
      int len = body.readInt();
      if (len == -1) {
        continue;
      }
      if (len < 0 || len > body.readableBytes()) {
        throw new PgProtocolException("invalid parameter length " + len);
      }
      values[i] = new byte[len];
      body.readBytes(values[i]);
    }
    int nr = count(body, 2);
    short[] resultFormats = new short[nr];
    for (int i = 0; i < nr; i++) {
      resultFormats[i] = body.readShort();
    }
    return new Bind(portal, statement, formats, values, resultFormats);
  }

  /** Reads an int16 count of items at least {@code itemBytes} long each, checked against the body. */
  private static int count(ByteBuf body, int itemBytes) throws PgProtocolException {
    int n = body.readUnsignedShort();
    if ((long) n * itemBytes > body.readableBytes()) {
      throw new PgProtocolException("invalid message format: count " + n + " exceeds message length");
    }
    return n;
  }

  private static char kind(ByteBuf body) throws PgProtocolException {
    char k = (char) body.readByte();
    if (k != 'S' && k != 'P') {
      throw new PgProtocolException("invalid DESCRIBE/CLOSE message subtype " + (int) k);
    }
    return k;
  }

  private static void end(ByteBuf body) throws PgProtocolException {
    if (body.isReadable()) {
      throw new PgProtocolException("invalid message format: " + body.readableBytes() + " trailing bytes");
    }
  }

  /** A NUL-terminated string, strictly UTF-8. */
  static String cstring(ByteBuf body) throws PgProtocolException {
    int nul = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
    if (nul < 0) {
      throw new PgProtocolException("invalid string in message");
    }
    String s;
    try {
      s = utf8(body, nul - body.readerIndex());
    } catch (CharacterCodingException e) {
      throw new PgProtocolException(CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"");
    }
    body.skipBytes(1);
    return s;
  }

  /** Reads {@code n} bytes as strict UTF-8. */
  static String utf8(ByteBuf in, int n) throws CharacterCodingException {
    if (ByteBufUtil.isText(in, in.readerIndex(), n, StandardCharsets.US_ASCII)) { // the usual case: no decoder
      String s = in.toString(in.readerIndex(), n, StandardCharsets.US_ASCII);
      in.skipBytes(n);
      return s;
    }
    ByteBuffer nio = in.nioBuffer(in.readerIndex(), n);
    String s = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(nio)
        .toString();
    in.skipBytes(n);
    return s;
  }
}
