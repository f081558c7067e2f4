package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients (issue 17): one that sends a byte per second, one that never reads its answers.
 * Either way the server keeps serving everyone else; the first is served (or, still logging in,
 * closed at authentication_timeout as PostgreSQL does, silently); the second is no longer read
 * once its answers back up, so the server's memory for it stays bounded.
 */
class SlowClientIT {
  private static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(3);
  private final FakeSqlEngine engine = new FakeSqlEngine();
  private PgServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws InterruptedException {
    server = new PgServer(PgServerConfig.loopback(), engine, AUTHENTICATION_TIMEOUT);
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

  private static byte[] bytes(io.netty.buffer.ByteBuf buf) {
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /** Runs "generate 1" on a pgjdbc connection at least once, until {@code stop}; returns how many succeeded. */
  private CompletableFuture<Long> otherClient(AtomicBoolean stop) {
    return CompletableFuture.supplyAsync(() -> {
      long served = 0;
      try (Connection c = connect(); Statement st = c.createStatement()) {
        do {
          assertThat(st.execute("generate 1")).isTrue();
          served++;
          Thread.sleep(5);
        } while (!stop.get());
      } catch (SQLException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return served;
    });
  }

  /** Reads the startup answer up to ReadyForQuery. */
  private static void skipToReady(DataInputStream in) throws IOException {
    while (true) {
      char type = (char) in.readByte();
      in.skipNBytes(in.readInt() - 4);
      if (type == 'Z') {
        return;
      }
    }
  }

  @Test
  void aClientSendingAByteASecondIsServedAndOthersAreToo() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Long> other = otherClient(stop);
    try (Socket loggingIn = new Socket(address.getAddress(), address.getPort());
         Socket loggedIn = new Socket(address.getAddress(), address.getPort())) {
      loggedIn.setSoTimeout(30_000);
      loggedIn.getOutputStream().write(bytes(Frontend.startup(Map.of("user", "root"))));
      DataInputStream in = new DataInputStream(new BufferedInputStream(loggedIn.getInputStream()));
      skipToReady(in);
      byte[] startup = bytes(Frontend.startup(Map.of("user", "root")));
      byte[] sync = bytes(Frontend.sync());
      OutputStream slowStartup = loggingIn.getOutputStream();
      OutputStream slowSync = loggedIn.getOutputStream();
      long t0 = System.nanoTime();
      boolean startupClosed = false;
      for (int i = 0; i < Math.max(sync.length, startup.length) && !startupClosed; i++) {
        if (i < sync.length) {
          slowSync.write(sync[i]);
          slowSync.flush();
        }
        try {
          slowStartup.write(startup[i]);
          slowStartup.flush();
        } catch (IOException e) {
          startupClosed = true; // closed by the server: checked below
        }
        Thread.sleep(1000);
        if (i == sync.length - 1) {
          // The logged-in client's Sync is complete: it is answered, however slowly it came.
          assertThat((char) in.readByte()).isEqualTo('Z');
          assertThat(in.readInt()).isEqualTo(5);
          assertThat((char) in.readByte()).isEqualTo('I');
        }
        if (i >= AUTHENTICATION_TIMEOUT.toSeconds() + 5) {
          break;
        }
      }
      // The client still logging in is closed at authentication_timeout, without a message, as
      // PostgreSQL does (its startup packet is 1 byte a second: it cannot finish in time).
      loggingIn.setSoTimeout(15_000);
      assertThat(loggingIn.getInputStream().read()).as("closed, nothing sent").isEqualTo(-1);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertThat(seconds).isGreaterThanOrEqualTo(AUTHENTICATION_TIMEOUT.toSeconds() - 1).isLessThan(30);
    } finally {
      stop.set(true);
    }
    assertThat(other.get(30, TimeUnit.SECONDS)).as("others served meanwhile").isPositive();
  }

  @Test
  void aClientThatNeverReadsIsNoLongerRead() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.setSendBufferSize(8192);
      s.connect(address);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(bytes(Frontend.startup(Map.of("user", "root"))));
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      skipToReady(in);
      byte[] query = bytes(Frontend.query("generate 20"));
      AtomicLong written = new AtomicLong();
      AtomicBoolean stopWriting = new AtomicBoolean();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = s.getOutputStream();
          while (!stopWriting.get()) {
            out.write(query);
            written.incrementAndGet();
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      // Never reading: the writer must block once the server stops reading (no progress for 3 s;
      // the kernel's buffers may still grow a little later). Before, the server queued every
      // answer the socket did not take, without limit, and kept reading.
      long maxQueued = 0;
      long last = -1;
      long stillSince = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() - stillSince < TimeUnit.SECONDS.toNanos(3)) {
        assertThat(System.nanoTime()).as("the writer blocks within 60 s").isLessThan(deadline);
        maxQueued = Math.max(maxQueued, server.outputQueued());
        assertThat(maxQueued).as("answers queued in the server").isLessThan(4L << 20);
        long now = written.get();
        if (now != last) {
          last = now;
          stillSince = System.nanoTime();
        }
        Thread.sleep(50);
      }
      long blockedAt = written.get();
      System.out.println("never-reading client: blocked after " + blockedAt + " queries ("
          + blockedAt * query.length / 1024 + " KiB); at most " + maxQueued / 1024 + " KiB queued in the server");
      // Others are served while it is stuck.
      stop.set(true);
      assertThat(otherClient(stop).get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(server.outputQueued()).as("answers queued in the server").isLessThan(4L << 20);
      // Then it reads: every query is answered, in order.
      stopWriting.set(true);
      long answered = 0;
      long expected = Long.MAX_VALUE;
      while (answered < expected) {
        if (writer.isDone()) {
          writer.get();
          expected = written.get();
        }
        char type = (char) in.readByte();
        in.skipNBytes(in.readInt() - 4);
        if (type == 'Z') {
          answered++;
        } else {
          assertThat(type).isIn('T', 'D', 'C');
        }
      }
      assertThat(answered).isEqualTo(written.get());
      s.setSoTimeout(200);
      assertThatThrownBy(in::read).as("nothing more").isInstanceOf(SocketTimeoutException.class);
    }
  }
}
