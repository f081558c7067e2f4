package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the inbound byte stream into PostgreSQL protocol frames; knows nothing of their content
 * beyond the startup handshake codes that decide whether the next frame has a type byte.
 *
 * <pre>
 *   startup phase:  int32 len | int32 code | body        (len counts itself; 8 ≤ len ≤ 10000)
 *                   code 80877103 SSLRequest / 80877104 GSSENCRequest → stay in startup phase
 *                   code 80877102 CancelRequest → nothing more is read
 *                   anything else (StartupMessage) → regular phase
 *   regular phase:  byte type | int32 len | body          (len counts itself; 4 ≤ len ≤ limit)
 *                   limit: maxMessageBytes for Query, Parse, Bind, CopyData, FunctionCall;
 *                   65535 for password/SASL ('p'); 10000 for every other type (PostgreSQL 15's
 *                   PQ_SMALL_MESSAGE_LIMIT and PG_MAX_AUTH_TOKEN_LENGTH)
 * </pre>
 *
 * Emits {@link StartupFrame}s and {@link PgFrame}s (the body is a retained slice the receiver
 * releases) or, once, a {@link Malformed} after which the rest of the input is discarded. Lengths
 * are checked before anything is allocated.
 */
final class PgFrameDecoder extends ByteToMessageDecoder {
  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
  static final int MAX_STARTUP_LENGTH = 10_000;

  static final int SSL_REQUEST_CODE = 80877103;
  static final int GSSENC_REQUEST_CODE = 80877104;
  static final int CANCEL_REQUEST_CODE = 80877102;

  /** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT: Sync, Execute, Describe, Close, CopyDone, … */
  static final int SMALL_MESSAGE_LIMIT = 10_000;
  /** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH: a password or SASL message before authentication. */
  static final int AUTH_MESSAGE_LIMIT = 65_535;

  /** One regular-phase frame: the type byte and its body without the length. */
  record PgFrame(byte type, ByteBuf body) {}

  /** One startup-phase packet: its body (starting with the int32 code) without the length. */
  record StartupFrame(ByteBuf body) {}

  /** The input cannot be framed; the connection must answer 08P01 and close. */
  record Malformed(String reason) {}

  private enum Phase { STARTUP, REGULAR, DONE }

  private final int maxMessageBytes;
  private Phase phase = Phase.STARTUP;

  PgFrameDecoder(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      switch (phase) {
        case DONE -> {
          in.skipBytes(in.readableBytes());
          return;
        }
        case STARTUP -> {
          if (in.readableBytes() < 4) {
            return;
          }
          int len = in.getInt(in.readerIndex());
          if (len < 8 || len > MAX_STARTUP_LENGTH) {
            fail(in, out, "invalid length of startup packet: " + len);
            return;
          }
          if (in.readableBytes() < len) {
            return;
          }
          int code = in.getInt(in.readerIndex() + 4);
          if (code == CANCEL_REQUEST_CODE) {
            phase = Phase.DONE;
          } else if (code != SSL_REQUEST_CODE && code != GSSENC_REQUEST_CODE) {
            phase = Phase.REGULAR;
          }
          in.skipBytes(4);
          out.add(new StartupFrame(in.readRetainedSlice(len - 4)));
        }
        case REGULAR -> {
          Object frame = regularFrame(in, maxMessageBytes);
          if (frame == null) {
            return;
          }
          if (frame instanceof Malformed) {
            phase = Phase.DONE;
          }
          out.add(frame);
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  /**
   * The next regular-phase frame in {@code in}: a {@link PgFrame} (consumed; its body a retained
   * slice), null if {@code in} does not hold a whole frame yet (nothing consumed), or a {@link
   * Malformed} (all of {@code in} consumed: nothing after it can be framed).
   */
  static Object regularFrame(ByteBuf in, int maxMessageBytes) {
    if (in.readableBytes() < 5) {
      return null;
    }
    byte type = in.getByte(in.readerIndex());
    int len = in.getInt(in.readerIndex() + 1);
    if (len < 4 || len > limit(type, maxMessageBytes)) {
      in.skipBytes(in.readableBytes());
      return new Malformed("invalid message length " + len + " for message type '" + (char) type + "'");
    }
    if (in.readableBytes() < len + 1) {
      return null;
    }
    in.skipBytes(5);
    return new PgFrame(type, in.readRetainedSlice(len - 4));
  }

  /** The longest message of {@code type} accepted, as PostgreSQL 15 bounds each type. */
  static int limit(byte type, int maxMessageBytes) {
    return switch (type) {
      case 'Q', 'P', 'B', 'd', 'F' -> maxMessageBytes;
      case 'p' -> Math.min(AUTH_MESSAGE_LIMIT, maxMessageBytes);
      default -> SMALL_MESSAGE_LIMIT;
    };
  }

  /**
   * Hands over the input read but not yet framed (part of a message), leaving none here: for a
   * reader that takes the socket over from the event loop. Only in the regular phase, on the event
   * loop, between reads.
   */
  ByteBuf takeUnframed(ByteBufAllocator alloc) {
    if (phase != Phase.REGULAR) {
      throw new IllegalStateException("input can only be handed over in the regular phase, not " + phase);
    }
    ByteBuf buffered = internalBuffer();
    ByteBuf copy = alloc.directBuffer(Math.max(buffered.readableBytes(), PgSessionReader.INITIAL_BUFFER));
    copy.writeBytes(buffered);
    return copy;
  }

  private void fail(ByteBuf in, List<Object> out, String reason) {
    phase = Phase.DONE;
    in.skipBytes(in.readableBytes());
    out.add(new Malformed(reason));
  }
}
