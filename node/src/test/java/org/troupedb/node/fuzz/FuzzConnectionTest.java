package org.troupedb.node.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link FuzzConnection} tells a busy server from a hung one, against a scripted server on
 * loopback: a server that answers a long pipeline steadily for longer than the silence allowed
 * keeps working (the first long run's 15 false findings); one that stops answering is a hang.
 */
class FuzzConnectionTest {
  private static final FuzzConnection.Patience ONE_SECOND = new FuzzConnection.Patience(1_000_000_000L,
      30_000_000_000L);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aServerAnsweringSteadilyForLongerThanTheSilenceAllowedIsWorking() throws Exception {
    // 12 answers 250 ms apart: 3 s in all, never 1 s without a byte.
    FuzzConnection.Result r = runAgainst(12, 250);
    assertThat(r.findings()).isEmpty();
    assertThat(r.outcome()).isEqualTo(FuzzConnection.Outcome.WORKING);
    assertThat(r.phases().end()).isGreaterThan(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void aServerSilentForLongerThanAllowedIsAHang() throws Exception {
    // 2 answers, then 1.5 s without a byte before the next one.
    FuzzConnection.Result r = runAgainst(3, 1500);
    assertThat(r.findings()).singleElement().asString().contains("no answer to the probe: the server silent for 1000 ms");
  }

  /**
   * Sends a login and {@code answers} pipelined queries to a server that answers each with
   * CommandComplete + ReadyForQuery, {@code gapMillis} apart, then the probe's marker row.
   */
  private FuzzConnection.Result runAgainst(int answers, long gapMillis) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<?> server = threads.submit(() -> serve(listener, answers, gapMillis));
      ByteArrayOutputStream input = new ByteArrayOutputStream();
      input.writeBytes(startup());
      for (int i = 0; i < answers; i++) {
        input.writeBytes(query("UPDATE t SET v = v + 1"));
      }
      FuzzConnection.Result r = FuzzConnection.run(new InetSocketAddress(listener.getInetAddress(),
          listener.getLocalPort()), input.toByteArray(), new Random(1), threads, FuzzConnection.MARKER, ONE_SECOND);
      server.cancel(true);
      return r;
    }
  }

  private static Void serve(ServerSocket listener, int answers, long gapMillis) throws Exception {
    try (Socket s = listener.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> {
        byte[] buf = new byte[8192];
        try {
          int n;
          while ((n = in.read(buf)) > 0) {
            synchronized (seen) {
              seen.write(buf, 0, n);
            }
          }
        } catch (IOException e) {
          // closed
        }
      });
      drain.setDaemon(true);
      drain.start();
      out.write(message('R', new byte[4])); // AuthenticationOk
      out.write(ready());
      for (int i = 0; i < answers; i++) {
        Thread.sleep(i == 0 ? 0 : gapMillis);
        out.write(message('C', "UPDATE 1\0".getBytes(StandardCharsets.US_ASCII)));
        out.write(ready());
        out.flush();
      }
      byte[] probe = ("SELECT '" + FuzzConnection.MARKER + "'").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 200 && !contains(seen, probe); i++) {
        Thread.sleep(50);
      }
      byte[] marker = FuzzConnection.MARKER.getBytes(StandardCharsets.US_ASCII);
      out.write(message('D', ByteBuffer.allocate(6 + marker.length).putShort((short) 1).putInt(marker.length)
          .put(marker).array()));
      out.write(ready());
      out.flush();
      Thread.sleep(30_000); // until canceled
      return null;
    }
  }

  private static boolean contains(ByteArrayOutputStream seen, byte[] what) {
    String s;
    synchronized (seen) {
      s = seen.toString(StandardCharsets.ISO_8859_1);
    }
    return s.contains(new String(what, StandardCharsets.ISO_8859_1));
  }

  private static byte[] startup() {
    byte[] params = "user\0root\0\0".getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
  }

  private static byte[] query(String sql) {
    return message('Q', (sql + "\0").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ready() {
    return message('Z', new byte[] {'I'});
  }

  private static byte[] message(char type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
  }
}
