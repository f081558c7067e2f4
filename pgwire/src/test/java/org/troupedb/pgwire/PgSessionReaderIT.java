package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session thread reading its own socket ({@link PgSessionReader}): messages split anywhere
 * across the hand-over and across reads, the hand-back after idling, and every way a connection
 * ends while its session thread reads it. Over real sockets, on the epoll transport.
 */
class PgSessionReaderIT {
  private final FakeSqlEngine engine = new FakeSqlEngine();
  private PgServer server;
  private InetSocketAddress address;

  @BeforeAll
  static void epoll() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "Linux epoll transport");
  }

  private void start(Duration idle) throws InterruptedException {
    server = new PgServer(PgServerConfig.loopback().withSessionReadIdle(idle), engine);
    address = server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A raw connection, logged in (its startup answer read up to ReadyForQuery). */
  private Session session() throws IOException {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(30_000);
    Session session = new Session(s, new DataInputStream(new java.io.BufferedInputStream(s.getInputStream())));
    session.send(bytes(Frontend.startup(Map.of("user", "root"))));
    session.skipToReady();
    return session;
  }

  private record Session(Socket socket, DataInputStream in) implements AutoCloseable {
    void send(byte[] bytes) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }

    /** Reads messages up to ReadyForQuery; returns the types seen before it. */
    String skipToReady() throws IOException {
      StringBuilder types = new StringBuilder();
      while (true) {
        char type = (char) in.readByte();
        in.skipNBytes(in.readInt() - 4);
        if (type == 'Z') {
          return types.toString();
        }
        types.append(type);
      }
    }

    /** Reads the answer to "generate N" and checks its rows are 1..N. */
    void expectGenerated(int rows) throws IOException {
      assertThat((char) in.readByte()).isEqualTo('T');
      in.skipNBytes(in.readInt() - 4);
      for (int i = 1; i <= rows; i++) {
        assertThat((char) in.readByte()).isEqualTo('D');
        in.readInt();
        assertThat(in.readShort()).isEqualTo((short) 1);
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        assertThat(new String(value, StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(i));
      }
      assertThat(skipToReady()).isEqualTo("C");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static byte[] bytes(io.netty.buffer.ByteBuf buf) {
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void aMessageSplitAcrossTheHandOverAndAcrossReadsArrivesWhole() throws Exception {
    start(PgServerConfig.DEFAULT_SESSION_READ_IDLE);
    long handOvers = PgSessionReader.HAND_OVERS.sum();
    try (Session s = session()) {
      byte[] first = bytes(Frontend.query("generate 2"));
      byte[] second = bytes(Frontend.query("generate 3"));
      // The event loop reads the first query and 3 bytes of the second: it hands those 3 over.
      byte[] write = Arrays.copyOf(first, first.length + 3);
      System.arraycopy(second, 0, write, first.length, 3);
      s.send(write);
      s.expectGenerated(2);
      assertThat(PgSessionReader.HAND_OVERS.sum()).as("the session thread reads now").isGreaterThan(handOvers);
      Thread.sleep(20);
      // The rest of the second query a byte at a time: each read holds part of a message.
      for (int i = 3; i < second.length; i++) {
        s.send(new byte[] {second[i]});
        Thread.sleep(1);
      }
      s.expectGenerated(3);
      // And several messages in one write, then the session goes on.
      byte[] third = bytes(Frontend.query("generate 1"));
      byte[] both = Arrays.copyOf(third, third.length * 2);
      System.arraycopy(third, 0, both, third.length, third.length);
      s.send(both);
      s.expectGenerated(1);
      s.expectGenerated(1);
    }
  }

  /**
   * The stall of issue 17: a pipeline deep enough to turn back-pressure on, with the input handed
   * over while the worker turned reading back on. The event loop then read part of the stream
   * behind the session thread's back, which waited forever for the rest of a message (about one
   * connection in five before the fix). Many connections, so that the race is run many times.
   */
  @Test
  void aDeepPipelineHandedOverUnderBackPressureIsAnsweredWhole() throws Exception {
    start(PgServerConfig.DEFAULT_SESSION_READ_IDLE);
    int syncs = 20_000;
    byte[] pipeline = new byte[syncs * 5];
    for (int i = 0; i < syncs; i++) {
      pipeline[i * 5] = 'S';
      pipeline[i * 5 + 4] = 4;
    }
    long handOvers = PgSessionReader.HAND_OVERS.sum();
    int rounds = 30;
    for (int round = 0; round < rounds; round++) {
      try (Session s = session()) {
        s.socket().setSoTimeout(10_000);
        java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
          try {
            s.send(pipeline);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        for (int i = 0; i < syncs; i++) {
          int answer = i;
          assertThat(s.in().readByte()).as("answer %d of round %d", answer, round).isEqualTo((byte) 'Z');
          assertThat(s.in().readInt()).isEqualTo(5);
          assertThat(s.in().readByte()).isEqualTo((byte) 'I');
        }
        writer.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(PgSessionReader.HAND_OVERS.sum() - handOvers).as("the session threads read").isGreaterThanOrEqualTo(rounds);
  }

  @Test
  void anIdleSessionGivesTheSocketBackAndTakesItAgain() throws Exception {
    start(Duration.ofMillis(30));
    try (Session s = session()) {
      long handOvers = PgSessionReader.HAND_OVERS.sum();
      long idleReturns = PgSessionReader.IDLE_RETURNS.sum();
      s.send(bytes(Frontend.query("generate 1")));
      s.expectGenerated(1);
      for (int i = 0; i < 500 && PgSessionReader.IDLE_RETURNS.sum() == idleReturns; i++) {
        Thread.sleep(10);
      }
      assertThat(PgSessionReader.IDLE_RETURNS.sum()).as("handed back after idling").isGreaterThan(idleReturns);
      s.send(bytes(Frontend.query("generate 2"))); // read by the event loop again, then handed over
      s.expectGenerated(2);
      assertThat(PgSessionReader.HAND_OVERS.sum()).as("handed over twice").isGreaterThanOrEqualTo(handOvers + 2);
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void zeroIdleTimeKeepsReadingOnTheEventLoop() throws Exception {
    start(Duration.ZERO);
    long handOvers = PgSessionReader.HAND_OVERS.sum();
    try (Session s = session()) {
      for (int i = 1; i <= 3; i++) {
        s.send(bytes(Frontend.query("generate " + i)));
        s.expectGenerated(i);
      }
    }
    assertThat(PgSessionReader.HAND_OVERS.sum()).isEqualTo(handOvers);
  }

  @Test
  void aClientThatDisconnectsWhileItsSessionReadsIsClosed() throws Exception {
    start(Duration.ofSeconds(30)); // far longer than the test: only the end of input can end the read
    try (Session s = session()) {
      s.send(bytes(Frontend.query("generate 1")));
      s.expectGenerated(1);
      assertThat(engine.openSessions.get()).isEqualTo(1);
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.openSessions.get()).isZero();
    assertThat(server.sessionCount()).isZero();
  }

  @Test
  void aHalfCloseWhileTheSessionReadsStillGetsTheAnswersSentBeforeIt() throws Exception {
    start(Duration.ofSeconds(30));
    try (Session s = session()) {
      s.send(bytes(Frontend.query("generate 1")));
      s.expectGenerated(1);
      s.send(bytes(Frontend.query("generate 2")));
      s.socket().shutdownOutput();
      s.expectGenerated(2);
      assertThat(s.in().read()).as("then the server closes its end").isEqualTo(-1);
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void malformedInputWhileTheSessionReadsIsAProtocolError() throws Exception {
    start(Duration.ofSeconds(30));
    try (Session s = session()) {
      s.send(bytes(Frontend.query("generate 1")));
      s.expectGenerated(1);
      s.send(new byte[] {'Q', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      String reply = new String(s.in().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(reply).contains("08P01").contains("invalid message length");
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stoppingTheServerEndsSessionsThatAreReading() throws Exception {
    start(Duration.ofSeconds(30));
    try (Session s = session()) {
      s.send(bytes(Frontend.query("generate 1")));
      s.expectGenerated(1);
      long t0 = System.nanoTime();
      server.close();
      String reply = new String(s.in().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(reply).contains("57P01");
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
    }
    assertThat(engine.openSessions.get()).isZero();
  }
}
