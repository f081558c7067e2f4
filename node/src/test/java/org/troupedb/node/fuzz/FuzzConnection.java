package org.troupedb.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs one fuzz input on a fresh connection and judges how the connection ended.
 *
 * <pre>
 *   send the input (random chunk sizes, now and then a pause) ── reading all along
 *     │ framing of what was sent ({@link FrontendFraming}):
 *     ├ malformed length ─────────▶ must end: ErrorResponse, close
 *     ├ CancelRequest / Terminate ▶ must end: close (an answer is not required)
 *     ├ inside a message ─────────▶ pad it with zero bytes (up to 1 MiB; beyond, the server
 *     │                             rightly waits: WAITING, we close), then as below
 *     └ whole messages ───────────▶ probe: CopyFail, Sync, ROLLBACK, SELECT 'marker' (or a
 *                                   StartupMessage first if still in the startup phase)
 *                                   must end: the marker row and ReadyForQuery (WORKING),
 *                                   or ErrorResponse and close
 * </pre>
 *
 * A close (not a reset, see {@link Outcome#RESET}) not preceded by an ErrorResponse (other than
 * as asked), the server silent while it owes an answer, or still answering after the cap (see
 * {@link Patience}), bytes that are not backend messages, an internal error (XX000) or Java text
 * in an error are findings.
 */
final class FuzzConnection {
  static final int PAD_LIMIT = 1 << 20;
  /**
   * How long to wait for the server.
   *
   * @param silenceNanos nothing from the server for this long while it owes an answer is a hang.
   *     Silence, not total time: with many fuzz connections in flight, an input that pipelines a
   *     few thousand autocommit UPDATEs of a row other inputs update too is answered at a few per
   *     second (each commits, some fail 40001), for minutes, and that is not a hang.
   * @param capNanos however steadily the server answers, one input gets at most this long (loops
   *     stay bounded)
   */
  record Patience(long silenceNanos, long capNanos) {
    static final Patience DEFAULT = new Patience(60_000_000_000L, 600_000_000_000L);
  }
  /**
   * The probe's marker: one text for every input, so that the node plans the probe once. (A text
   * per input made every probe a plan-cache miss, a Calcite plan and a Janino compile: the largest
   * share of the node's CPU in a profile of the fuzz run.) Each input has a fresh connection and no
   * seed holds this text, so a row holding it can only be the probe's answer.
   */
  static final String MARKER = "fuzzprobe";

  /**
   * How a connection ended, when it ended as it should. RESET: closed by the server with input
   * unread, so that TCP dropped the end of its answer; whether an ErrorResponse preceded the
   * close cannot be seen (counted apart; such inputs are mostly a long input with an early fatal
   * message).
   */
  enum Outcome { WORKING, ERROR_AND_CLOSE, CLOSED_AS_ASKED, WAITING, RESET }

  /**
   * The outcome, the SQLSTATE of the first ErrorResponse ("" if none), and what broke an
   * invariant (empty if nothing).
   */
  record Result(Outcome outcome, String firstError, List<String> findings, Phases phases) {}

  /**
   * Where one input's wall time went, in nanoseconds: opening the connection, sending the input
   * (reading all along), padding a partial last message, and the end (waiting for the probe's
   * answer or for the close).
   */
  record Phases(long connect, long send, long pad, long end) {}

  /** Stamps the phase boundaries of one input. */
  private static final class Clock {
    final long start = System.nanoTime();
    long connected;
    long sent;
    long padded;

    Phases end() {
      long now = System.nanoTime();
      long c = connected == 0 ? now : connected;
      long s = sent == 0 ? Math.max(c, now) : sent;
      long p = padded == 0 ? Math.max(s, now) : padded;
      return new Phases(c - start, s - c, p - s, now - p);
    }
  }

  private FuzzConnection() {}

  static Result run(InetSocketAddress node, byte[] input, Random random, ExecutorService writers, String marker)
      throws Exception {
    return run(node, input, random, writers, marker, Patience.DEFAULT);
  }

  static Result run(InetSocketAddress node, byte[] input, Random random, ExecutorService writers, String marker,
      Patience patience) throws Exception {
    List<String> findings = new ArrayList<>();
    Clock clock = new Clock();
    try (Socket socket = new Socket(node.getAddress(), node.getPort())) {
      clock.connected = System.nanoTime();
      socket.setTcpNoDelay(true);
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      sent.writeBytes(input);
      FrontendFraming.State state = FrontendFraming.frame(input);
      BackendStream backend = new BackendStream(socket, state.encryptionRequests());
      Future<?> writing = writers.submit(() -> send(socket, input, random));
      long cap = System.nanoTime() + patience.capNanos();
      // Reading while the input goes out (the server may answer before it has all of it), with a
      // short read timeout so that the writer's end is noticed at once, not after a 50 ms read.
      backend.readTimeout(BackendStream.SHORT_READ_MILLIS);
      while (!writing.isDone() && backend.poll() && inTime(backend, cap, patience)) {
        // polling
      }
      writing.cancel(true);
      backend.readTimeout(BackendStream.READ_MILLIS);
      clock.sent = System.nanoTime();
      while (state.end() == FrontendFraming.End.PARTIAL && !backend.ended()) {
        if (state.missing() > PAD_LIMIT) {
          return judge(backend, Outcome.WAITING, findings, clock);
        }
        byte[] pad = new byte[(int) state.missing()];
        if (!write(socket, pad)) {
          break;
        }
        sent.writeBytes(pad);
        state = FrontendFraming.frame(sent.toByteArray());
        backend.encryptionRequests(state.encryptionRequests());
      }
      clock.padded = System.nanoTime();
      switch (state.end()) {
        case MALFORMED, CANCEL, TERMINATE -> {
          backend.owed();
          while (backend.poll() && inTime(backend, cap, patience)) {
            // the server must close
          }
          if (!backend.ended()) {
            findings.add("no close after a " + state.end() + " input: " + silence(cap, patience));
          } else if (backend.wasReset() && backend.lastType() != 'E') {
            return judge(backend, Outcome.RESET, findings, clock);
          } else if (state.end() == FrontendFraming.End.MALFORMED && backend.lastType() != 'E') {
            findings.add("closed after a malformed length without ErrorResponse (got '" + backend.types + "')");
          }
          Outcome closed = backend.lastType() == 'E' ? Outcome.ERROR_AND_CLOSE : Outcome.CLOSED_AS_ASKED;
          return judge(backend, closed, findings, clock);
        }
        default -> {
          backend.expectMarker(marker);
          write(socket, probe(state.startupPhase(), marker));
          backend.owed();
          while (!backend.probeAnswered() && backend.poll() && inTime(backend, cap, patience)) {
            // wait for the marker row, or the close
          }
          if (backend.probeAnswered()) {
            return judge(backend, Outcome.WORKING, findings, clock);
          } else if (!backend.ended()) {
            findings.add("no answer to the probe: " + silence(cap, patience) + " (got '" + backend.types + "')");
          } else if (backend.wasReset() && backend.lastType() != 'E') {
            return judge(backend, Outcome.RESET, findings, clock);
          } else if (backend.lastType() != 'E') {
            findings.add("closed without ErrorResponse (got '" + backend.types + "')");
          }
          return judge(backend, Outcome.ERROR_AND_CLOSE, findings, clock);
        }
      }
    }
  }

  /** Whether the server has spoken within the silence allowed and the input's cap is not reached. */
  private static boolean inTime(BackendStream backend, long cap, Patience patience) {
    long now = System.nanoTime();
    return now - backend.lastByteNanos() < patience.silenceNanos() && now < cap;
  }

  private static String silence(long cap, Patience patience) {
    return System.nanoTime() >= cap ? "still answering after " + patience.capNanos() / 1_000_000L + " ms"
        : "the server silent for " + patience.silenceNanos() / 1_000_000L + " ms";
  }

  private static Result judge(BackendStream backend, Outcome outcome, List<String> findings, Clock clock) {
    if (backend.garbage() != null) {
      findings.add(backend.garbage());
    }
    for (BackendStream.Error e : backend.errors) {
      if (e.sqlState().equals("XX000")) {
        findings.add("internal error: " + e.message());
      }
      if (e.message().contains("Exception") || e.message().contains("java.") || e.message().contains("\tat ")) {
        findings.add("Java text reached the client: " + e.sqlState() + " " + e.message());
      }
      if (e.sqlState().length() != 5) {
        findings.add("error without a SQLSTATE: " + e.message());
      }
    }
    return new Result(outcome, backend.errors.isEmpty() ? "" : backend.errors.get(0).sqlState(), findings, clock.end());
  }

  /** Writes the input in random pieces, now and then pausing, so that messages split anywhere. */
  private static Void send(Socket socket, byte[] input, Random random) throws Exception {
    OutputStream out = socket.getOutputStream();
    Random r = new Random(random.nextLong());
    int at = 0;
    while (at < input.length) {
      int n = Math.min(input.length - at, r.nextInt(4) == 0 ? 1 + r.nextInt(16) : 1 + r.nextInt(8192));
      try {
        out.write(input, at, n);
        out.flush();
      } catch (IOException e) {
        return null; // the server closed: what it answered tells why
      }
      at += n;
      if (r.nextInt(16) == 0) {
        Thread.sleep(1);
      }
    }
    return null;
  }

  private static boolean write(Socket socket, byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What a working connection answers with the marker row, whatever state the input left it in. */
  static byte[] probe(boolean startupPhase, String marker) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (startupPhase) {
      ByteBuffer body = ByteBuffer.allocate(256);
      body.putInt(196608);
      for (String s : new String[] {"user", "root", "database", "defaultdb", ""}) {
        body.put(s.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
      }
      out.writeBytes(ByteBuffer.allocate(4).putInt(body.position() + 4).array());
      out.write(body.array(), 0, body.position());
    }
    out.writeBytes(message('f', "fuzz probe"));
    out.writeBytes(new byte[] {'S', 0, 0, 0, 4});
    out.writeBytes(message('Q', "ROLLBACK"));
    out.writeBytes(message('Q', "SELECT '" + marker + "'"));
    return out.toByteArray();
  }

  private static byte[] message(char type, String text) {
    byte[] s = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(s.length + 6).put((byte) type).putInt(s.length + 5).put(s).put((byte) 0).array();
  }
}
