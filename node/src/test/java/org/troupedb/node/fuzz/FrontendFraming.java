package org.troupedb.node.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of PostgreSQL framing: how a server that follows the protocol (and PostgreSQL
 * 15's per-type length limits) splits a frontend byte stream into messages, written from the
 * protocol documentation rather than from pgwire's decoder. The fuzzer uses it to cut recorded
 * traffic into messages and to know, after sending a mutated stream, what the server must be
 * waiting for.
 *
 * <pre>
 *   STARTUP: int32 len | int32 code | …   len in [8, 10000]; code 80877103 (SSL) / 80877104 (GSSENC)
 *            keep the startup phase, 80877102 (cancel) ends the stream, anything else → REGULAR
 *   REGULAR: byte type | int32 len | …    len in [4, limit(type)]; type 'X' (Terminate) ends it
 * </pre>
 */
final class FrontendFraming {
  static final int CANCEL_CODE = 80877102;
  static final int SSL_CODE = 80877103;
  static final int GSSENC_CODE = 80877104;
  /** pgwire's default maxMessageBytes (Query, Parse, Bind, CopyData, FunctionCall). */
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** Where the stream leaves the server. */
  enum End {
    /** Every message whole; the server waits for the next one. */
    WHOLE,
    /** Inside a message: {@link State#missing} more bytes complete it. */
    PARTIAL,
    /** A length out of range: the server must answer 08P01 and close. */
    MALFORMED,
    /** A CancelRequest: the server closes without an answer. */
    CANCEL,
    /** A Terminate: the server closes without an answer. */
    TERMINATE
  }

  /**
   * @param end where the stream ends
   * @param missing bytes still needed for the message in progress (for {@link End#PARTIAL})
   * @param startupPhase whether the server still expects a startup packet
   * @param encryptionRequests SSLRequest / GSSENCRequest packets the server answers with one byte
   *     each, before anything else
   * @param messages the whole messages, as sent (startup packets without a type byte)
   */
  record State(End end, long missing, boolean startupPhase, int encryptionRequests, List<byte[]> messages) {}

  private FrontendFraming() {}

  /** The longest message of {@code type} a PostgreSQL 15 server accepts (pgwire's defaults). */
  static int limit(byte type) {
    return switch (type) {
      case 'Q', 'P', 'B', 'd', 'F' -> MAX_MESSAGE_BYTES;
      case 'p' -> 65_535;
      default -> 10_000;
    };
  }

  /** Frames {@code stream} from the start of a connection. */
  static State frame(byte[] stream) {
    ByteBuffer in = ByteBuffer.wrap(stream);
    List<byte[]> messages = new ArrayList<>();
    boolean startup = true;
    int encryption = 0;
    while (true) {
      int start = in.position();
      int header = startup ? 4 : 5;
      if (in.remaining() < header) {
        return new State(in.hasRemaining() ? End.PARTIAL : End.WHOLE, header - in.remaining(), startup, encryption,
            messages);
      }
      byte type = startup ? 0 : in.get(start);
      int len = in.getInt(start + (startup ? 0 : 1));
      boolean bad = startup ? len < 8 || len > 10_000 : len < 4 || len > limit(type);
      if (bad) {
        return new State(End.MALFORMED, 0, startup, encryption, messages);
      }
      int total = startup ? len : len + 1;
      if (in.remaining() < total) {
        return new State(End.PARTIAL, total - in.remaining(), startup, encryption, messages);
      }
      byte[] message = new byte[total];
      in.get(message);
      messages.add(message);
      if (startup) {
        int code = ByteBuffer.wrap(message).getInt(4);
        if (code == CANCEL_CODE) {
          return new State(End.CANCEL, 0, true, encryption, messages);
        } else if (code == SSL_CODE || code == GSSENC_CODE) {
          encryption++;
        } else {
          startup = false;
        }
      } else if (type == 'X') {
        return new State(End.TERMINATE, 0, false, encryption, messages);
      }
    }
  }
}
