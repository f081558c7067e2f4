package org.troupedb.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server sends on one fuzzed connection, read without blocking for long and cut into
 * backend messages: the single-byte answers to encryption requests first, then {@code type | int32
 * len | body}. It remembers what the invariants need: the message types in order, each
 * ErrorResponse's SQLSTATE and text, and whether the probe's marker row came back.
 */
final class BackendStream {
  /** One ErrorResponse: its SQLSTATE ('C') and message ('M'). */
  record Error(String sqlState, String message) {}

  private final InputStream in;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int singleByteAnswers;
  /** Encryption requests in what was sent, as framed so far. */
  private int encryptionRequests;
  private boolean ended;
  /** The server's end reset the connection (it closed with our input unread). */
  private boolean reset;
  private String garbage;
  final StringBuilder types = new StringBuilder();
  final List<Error> errors = new ArrayList<>();
  private byte[] marker;
  private boolean markerSeen;
  private boolean readyAfterMarker;
  /** When the server last sent a byte, or when the connection opened or it came to owe an answer. */
  private long lastByteNanos = System.nanoTime();

  /** How long one {@link #poll} waits for bytes: only a bound for checking deadlines. */
  static final int READ_MILLIS = 50;
  /** The same while the input is still being sent, so that the writer's end is noticed soon. */
  static final int SHORT_READ_MILLIS = Integer.getInteger("troupe.fuzz.send-poll-ms", 1);

  private final Socket socket;

  BackendStream(Socket socket, int singleByteAnswers) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_MILLIS);
    this.in = socket.getInputStream();
    this.singleByteAnswers = singleByteAnswers;
    this.encryptionRequests = singleByteAnswers;
  }

  /**
   * What was sent now holds {@code total} encryption requests: padding a partial SSLRequest with
   * zero bytes completes one, which the server answers with one byte as well.
   */
  void encryptionRequests(int total) {
    singleByteAnswers += total - encryptionRequests;
    encryptionRequests = total;
  }

  /** How long a {@link #poll} waits from now on. */
  void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** Looks for this text in a DataRow from now on. */
  void expectMarker(String text) {
    marker = text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads what has arrived (waiting at most the read timeout); false once the server has closed. */
  boolean poll() {
    if (ended) {
      return false;
    }
    byte[] buf = new byte[16384];
    try {
      int n = in.read(buf);
      if (n < 0) {
        ended = true;
      } else {
        lastByteNanos = System.nanoTime();
        pending.write(buf, 0, n);
        parse();
      }
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      ended = true; // reset: the server closed with our input unread
      reset = true;
    }
    return !ended;
  }

  private void parse() {
    ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
    // An encryption request is answered with one byte, 'N' here (no TLS configured), extra bytes
    // after its code or not, as PostgreSQL answers it; anything else (an ErrorResponse, as an older
    // server answered a request with extra bytes) means no more one-byte answers come.
    while (singleByteAnswers > 0 && b.hasRemaining()) {
      if (b.get(b.position()) != 'N') {
        singleByteAnswers = 0;
        break;
      }
      b.get();
      singleByteAnswers--;
    }
    while (b.remaining() >= 5) {
      int start = b.position();
      byte type = b.get(start);
      int len = b.getInt(start + 1);
      if (len < 4 || len > (64 << 20)) {
        garbage = "backend message '" + (char) type + "' with length " + len;
        b.position(b.limit());
        break;
      }
      if (b.remaining() < len + 1) {
        break;
      }
      byte[] body = new byte[len - 4];
      b.position(start + 5);
      b.get(body);
      message(type, body);
    }
    byte[] rest = new byte[b.remaining()];
    b.get(rest);
    pending.reset();
    pending.writeBytes(rest);
  }

  private void message(byte type, byte[] body) {
    types.append((char) type);
    if (type == 'E') {
      errors.add(error(body));
    } else if (type == 'D' && marker != null && contains(body, marker)) {
      markerSeen = true;
    } else if (type == 'Z' && markerSeen) {
      readyAfterMarker = true;
    }
  }

  private static Error error(byte[] body) {
    String code = "";
    String message = "";
    int i = 0;
    while (i < body.length && body[i] != 0) {
      byte field = body[i++];
      int end = i;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      String value = new String(body, i, end - i, StandardCharsets.UTF_8);
      if (field == 'C') {
        code = value;
      } else if (field == 'M') {
        message = value;
      }
      i = end + 1;
    }
    return new Error(code, message);
  }

  private static boolean contains(byte[] body, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= body.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (body[i + j] != what[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The server owes an answer from now on (the probe went out): its silence counts from now. */
  void owed() {
    lastByteNanos = Math.max(lastByteNanos, System.nanoTime());
  }

  /** When the server last sent a byte, or last came to owe an answer. */
  long lastByteNanos() {
    return lastByteNanos;
  }

  boolean ended() {
    return ended;
  }

  /**
   * Whether the connection ended in a reset: the server closed it with input unread, and its
   * kernel then drops what it had not yet delivered, the closing ErrorResponse included (as for
   * PostgreSQL, which closes the same way). What did arrive was read.
   */
  boolean wasReset() {
    return reset;
  }

  /** Whether the probe's marker row came back, followed by ReadyForQuery. */
  boolean probeAnswered() {
    return readyAfterMarker;
  }

  /** Something that is not a backend message stream, or null. */
  String garbage() {
    return garbage;
  }

  /** The type of the last whole message, or 0 if none came. */
  char lastType() {
    return types.isEmpty() ? 0 : types.charAt(types.length() - 1);
  }
}
