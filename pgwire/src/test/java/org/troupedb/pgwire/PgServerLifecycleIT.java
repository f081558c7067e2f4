package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start/stop and hostile input over real sockets. */
class PgServerLifecycleIT {
  private final FakeSqlEngine engine = new FakeSqlEngine();
  private PgServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws InterruptedException {
    server = new PgServer(PgServerConfig.loopback(), engine);
    address = server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + address.getPort() + "/defaultdb", p);
  }

  private static String readAll(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void startTwiceFailsAndPortIsReal() {
    assertThat(address.getPort()).isPositive();
    assertThat(server.address()).isEqualTo(address);
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void portInUseFailsCleanly() throws Exception {
    PgServer second = new PgServer(PgServerConfig.loopback().withPort(address.getPort()), engine);
    assertThatThrownBy(second::start).isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(String.valueOf(address.getPort()));
    second.close();
    try (Connection c = connect(); Statement st = c.createStatement()) {
      assertThat(st.execute("generate 1")).isTrue();
    }
  }

  @Test
  void garbageGetsProtocolErrorAndServerSurvives() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      try (Socket s = new Socket(address.getAddress(), address.getPort())) {
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        OutputStream out = s.getOutputStream();
        try {
          out.write(junk);
          out.flush();
          s.shutdownOutput();
        } catch (IOException e) {
          // the server may already have closed the connection
        }
        String reply = readAll(s);
        // Either a complete answer ended by close, or nothing if the junk was an incomplete frame.
        assertThat(reply.isEmpty() || reply.startsWith("E") || reply.startsWith("N")
            || reply.contains("08P01") || reply.contains("28000")).as(reply).isTrue();
      }
    }
    try (Connection c = connect(); Statement st = c.createStatement()) {
      assertThat(st.execute("generate 1")).isTrue();
    }
  }

  @Test
  void hugeLengthIsRejectedAfterStartup() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.startup(Map.of("user", "root"))));
      out.write(new byte[] {'Q', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      out.flush();
      String reply = readAll(s);
      assertThat(reply).contains("08P01").contains("invalid message length");
    }
  }

  @Test
  void cancelWithWrongKeyIsIgnored() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.cancel(1, 2)));
      assertThat(readAll(s)).isEmpty();
    }
  }

  @Test
  void stopTerminatesConnectionsWith57P01() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      assertThat(st.execute("generate 1")).isTrue();
      server.close();
      assertThatThrownBy(() -> st.execute("generate 1")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isIn("57P01", "08006");
    }
    assertThatThrownBy(this::connect).isInstanceOf(SQLException.class);
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void deepPipelineIsAnsweredInOrder() throws Exception {
    int n = 20_000;
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.startup(Map.of("user", "root"))));
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
      while (true) { // startup answer up to ReadyForQuery
        char type = (char) in.readByte();
        in.skipNBytes(in.readInt() - 4);
        if (type == 'Z') {
          break;
        }
      }
      byte[] batch = new byte[n * 5];
      for (int i = 0; i < n; i++) {
        batch[i * 5] = 'S';
        batch[i * 5 + 4] = 4;
      }
      java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          out.write(batch);
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (int i = 0; i < n; i++) {
        assertThat((char) in.readByte()).isEqualTo('Z');
        assertThat(in.readInt()).isEqualTo(5);
        assertThat((char) in.readByte()).isEqualTo('I');
      }
      writer.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void stopCancelsRunningStatements() throws Exception {
    engine.slowStarted = new java.util.concurrent.CountDownLatch(1);
    try (Connection c = connect(); Statement st = c.createStatement()) {
      java.util.concurrent.CompletableFuture<String> outcome = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          st.execute("slow");
          return "completed";
        } catch (SQLException e) {
          return e.getSQLState();
        }
      });
      assertThat(engine.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      server.close();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isIn("57014", "57P01", "08006");
    }
    assertThat(engine.openSessions.get()).isZero();
  }

  @Test
  void terminateAndDisconnectCloseSessions() throws Exception {
    Connection c = connect();
    assertThat(engine.openSessions.get()).isEqualTo(1);
    c.close();
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).as("closed after Terminate").isTrue();
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.startup(Map.of("user", "root"))));
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat((char) in.readByte()).isEqualTo('R');
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).as("closed after disconnect").isTrue();
    assertThat(engine.openSessions.get()).isZero();
    assertThat(server.sessionCount()).isZero();
  }

  /** Connects a raw socket and reads the startup answer up to ReadyForQuery. */
  private Socket rawSession() throws IOException {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(30_000);
    s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.startup(Map.of("user", "root"))));
    DataInputStream in = new DataInputStream(s.getInputStream());
    while (true) {
      char type = (char) in.readByte();
      in.skipNBytes(in.readInt() - 4);
      if (type == 'Z') {
        return s;
      }
    }
  }

  /**
   * A result bigger than the socket buffers, behind a client that does not read for a while: the
   * session's direct writes stop part-way, the rest goes through Netty, and the next result still
   * comes after it, byte for byte in order.
   */
  @Test
  void aResultTheSocketCannotTakeAtOnceKeepsItsOrder() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "Linux epoll transport");
    long directBefore = PgDirectSocket.DIRECT_WRITES.sum();
    int n = 300_000;
    try (Socket s = rawSession()) {
      OutputStream out = s.getOutputStream();
      out.write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.query("generate " + n)));
      out.write(io.netty.buffer.ByteBufUtil.getBytes(Frontend.query("generate 1")));
      Thread.sleep(500); // the server fills the socket buffers meanwhile
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
      for (int rows : new int[] {n, 1}) {
        assertThat((char) in.readByte()).isEqualTo('T');
        in.skipNBytes(in.readInt() - 4);
        for (int i = 1; i <= rows; i++) {
          assertThat((char) in.readByte()).isEqualTo('D');
          int len = in.readInt();
          assertThat(in.readShort()).isEqualTo((short) 1);
          byte[] value = new byte[in.readInt()];
          in.readFully(value);
          assertThat(new String(value, StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(i));
          assertThat(len).isEqualTo(4 + 2 + 4 + value.length);
        }
        assertThat((char) in.readByte()).isEqualTo('C');
        in.skipNBytes(in.readInt() - 4);
        assertThat((char) in.readByte()).isEqualTo('Z');
        assertThat(in.readInt()).isEqualTo(5);
        assertThat((char) in.readByte()).isEqualTo('I');
      }
    }
    assertThat(PgDirectSocket.DIRECT_WRITES.sum()).as("answers written by the session thread").isGreaterThan(directBefore);
  }

  /** Netty no longer closes a channel by itself (see PgDirectSocket): the end of input still does. */
  @Test
  void aClientThatClosesItsSendingSideIsDisconnected() throws Exception {
    try (Socket s = rawSession()) {
      assertThat(engine.openSessions.get()).isEqualTo(1);
      s.shutdownOutput();
      assertThat(s.getInputStream().read()).as("server closes its end").isEqualTo(-1);
    }
    assertThat(engine.sessionClosed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.openSessions.get()).isZero();
  }
}
