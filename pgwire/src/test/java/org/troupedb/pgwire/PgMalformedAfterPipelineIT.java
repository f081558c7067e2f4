package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's finding of issue 17 (seed 7 input 6315, seed 1796655924061 inputs 1048 and 2954):
 * a few hundred pipelined queries, then a malformed length and more bytes, and the client saw the
 * connection end without the FATAL 08P01 and without a reset. The server had written the FATAL;
 * it then closed with the client's bytes unread, so TCP reset the connection and dropped the
 * answers not yet delivered, the FATAL among them; the client's writer met the reset first, so
 * its reader saw a plain end of input. Now the server half-closes and lingers ({@link
 * LingeringClose}): every answer and the FATAL arrive, then the end, never a reset.
 *
 * <p>Many connections, each writing its input in random pieces as the fuzzer does (so that the
 * malformed length meets every owner of the socket: the event loop, its hand-over, the session
 * thread), some with big answers, some reading late (the answers back up in the server's socket),
 * some with up to 4 MB after the malformed length (still being written when the server ends).
 */
class PgMalformedAfterPipelineIT {
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final FakeSqlEngine engine = new FakeSqlEngine();
  private PgServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** How one connection ended: the backend message types, each error's SQLSTATE, a reset. */
  private record Ending(int queries, String types, List<String> errors, boolean reset) {
    String finding() {
      long ready = types.chars().filter(c -> c == 'Z').count();
      if (reset) {
        return "reset after " + tail(types);
      } else if (types.isEmpty() || types.charAt(types.length() - 1) != 'E' || !errors.get(errors.size() - 1).equals("08P01")) {
        return "closed without FATAL 08P01 last: " + tail(types) + ", errors " + errors;
      } else if (ready != queries + 1) {
        return ready - 1 + " of " + queries + " queries answered before the FATAL";
      }
      return null;
    }
  }

  @Test
  void aMalformedLengthAfterAPipelineAlwaysGetsEveryAnswerAndItsErrorBeforeTheEnd() throws Exception {
    server = new PgServer(PgServerConfig.loopback(), engine);
    InetSocketAddress address = server.start();
    int connections = Integer.getInteger("troupe.test.malformedConnections", 240);
    ExecutorService readers = Executors.newFixedThreadPool(6);
    ExecutorService writers = Executors.newFixedThreadPool(6);
    try {
      List<Future<Ending>> endings = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        long seed = 17_000L + i;
        endings.add(readers.submit(() -> run(address, new Random(seed), writers)));
      }
      List<String> findings = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        String finding = endings.get(i).get(2, TimeUnit.MINUTES).finding();
        if (finding != null) {
          findings.add("connection " + i + ": " + finding);
        }
      }
      assertThat(findings).as("connections whose end lost answers or the FATAL").isEmpty();
    } finally {
      readers.shutdownNow();
      writers.shutdownNow();
    }
    for (int i = 0; i < 1000 && server.sessionCount() > 0; i++) {
      Thread.sleep(10);
    }
    assertThat(server.sessionCount()).as("sessions left open").isZero();
  }

  private static String tail(String types) {
    return types.length() <= 40 ? types : types.length() + " messages, ending …" + types.substring(types.length() - 40);
  }

  /**
   * Startup, 100–900 queries, a malformed length, then (every other input) up to 16 KB or 4 MB of
   * bytes after it; half the clients start reading up to 300 ms late.
   */
  private static Ending run(InetSocketAddress address, Random r, ExecutorService writers) throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(bytes(Frontend.startup(Map.of("user", "root"))));
    int queries = 100 + r.nextInt(800);
    byte[] query = bytes(Frontend.query(r.nextBoolean() ? "generate 1" : "generate 30"));
    for (int i = 0; i < queries; i++) {
      input.writeBytes(query);
    }
    // A length beyond the small-message limit, as in the fuzzer's input (type 0, length 16128).
    input.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(16_128).array());
    if (r.nextBoolean()) {
      byte[] junk = new byte[1 + r.nextInt(r.nextBoolean() ? 16_000 : 4_000_000)];
      r.nextBytes(junk);
      input.writeBytes(junk);
    }
    byte[] all = input.toByteArray();
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(50);
      long writeSeed = r.nextLong();
      Future<?> writer = writers.submit(() -> send(socket, all, new Random(writeSeed)));
      if (r.nextBoolean()) {
        Thread.sleep(r.nextInt(300));
      }
      Ending ending = read(socket.getInputStream(), queries);
      writer.get(30, TimeUnit.SECONDS);
      return ending;
    }
  }

  /** Writes in random pieces (1–16 or up to 8192 bytes), now and then pausing 1 ms, as the fuzzer. */
  private static Void send(Socket socket, byte[] all, Random r) throws Exception {
    OutputStream out = socket.getOutputStream();
    int at = 0;
    while (at < all.length) {
      int n = Math.min(all.length - at, r.nextInt(4) == 0 ? 1 + r.nextInt(16) : 1 + r.nextInt(8192));
      try {
        out.write(all, at, n);
        out.flush();
      } catch (IOException e) {
        return null; // closed by the server: what it answered says why
      }
      at += n;
      if (r.nextInt(16) == 0) {
        Thread.sleep(1);
      }
    }
    return null;
  }

  /** Reads backend messages until the server closes (FIN or reset), within the deadline. */
  private static Ending read(InputStream in, int queries) throws IOException {
    StringBuilder types = new StringBuilder();
    List<String> errors = new ArrayList<>();
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    byte[] buf = new byte[16384];
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (System.nanoTime() < deadline) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return new Ending(queries, types.toString(), errors, true);
      }
      if (n < 0) {
        return new Ending(queries, types.toString(), errors, false);
      }
      pending.write(buf, 0, n);
      ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
      while (b.remaining() >= 5 && b.remaining() >= 1 + b.getInt(b.position() + 1)) {
        char type = (char) b.get();
        byte[] body = new byte[b.getInt() - 4];
        b.get(body);
        types.append(type);
        if (type == 'E') {
          errors.add(sqlState(body));
        }
      }
      pending.reset();
      pending.write(b.array(), b.position(), b.remaining());
    }
    throw new AssertionError("no close within the deadline; got " + tail(types.toString()));
  }

  private static String sqlState(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("\0C");
    return at < 0 ? "" : s.substring(at + 2, at + 7);
  }

  private static byte[] bytes(io.netty.buffer.ByteBuf buf) {
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
