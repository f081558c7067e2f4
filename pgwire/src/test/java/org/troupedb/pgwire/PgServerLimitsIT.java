package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * max_connections and superuser_reserved_connections with pgjdbc against a real server: the
 * client over the limit gets FATAL 53300 with PostgreSQL 15's text, the sessions already in keep
 * working, and a freed slot is usable again. Users named "plain…" are not superusers in {@link
 * FakeSqlEngine}.
 */
class PgServerLimitsIT {
  private final FakeSqlEngine engine = new FakeSqlEngine();
  private PgServer server;
  private int port;

  @BeforeEach
  void start() throws InterruptedException {
    PgServerConfig config = new PgServerConfig("127.0.0.1", 0, PgServerConfig.Auth.TRUST, 1,
        PgServerConfig.DEFAULT_MAX_MESSAGE_BYTES).withLimits(new PgLimits(3, 1));
    server = new PgServer(config, engine);
    port = server.start().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Connection connect(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/defaultdb", p);
  }

  private static void assertServes(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      assertThat(st.execute("generate 1")).isTrue();
    }
  }

  /** Polls {@code value} until it equals {@code expected} (the server counts a close asynchronously). */
  private static void awaitValue(IntSupplier value, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (value.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(value.getAsInt()).isEqualTo(expected);
  }

  @Test
  void tooManyClientsAndSuperuserReservedSlots() throws Exception {
    try (Connection plain1 = connect("plain1"); Connection plain2 = connect("plain2")) {
      // 2 of 3 slots taken; the last one is reserved for superusers.
      assertThatThrownBy(() -> connect("plain3").close()).isInstanceOfSatisfying(SQLException.class, e -> {
        assertThat(e.getSQLState()).isEqualTo("53300");
        assertThat(e.getMessage())
            .contains("remaining connection slots are reserved for non-replication superuser connections");
      });
      try (Connection root = connect("root")) {
        assertThatThrownBy(() -> connect("root").close()).isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("53300");
          assertThat(e.getMessage()).contains("sorry, too many clients already");
        });
        assertThat(server.slotsUsed()).isEqualTo(3);
        assertServes(plain1);
        assertServes(plain2);
        assertServes(root);
      }
      awaitValue(server::slotsUsed, 2);
      plain1.close();
      awaitValue(server::slotsUsed, 1);
      try (Connection again = connect("plain3")) {
        assertServes(again);
        assertServes(plain2);
      }
    }
    awaitValue(server::slotsUsed, 0);
    assertThat(engine.openSessions.get()).as("every refused or closed session was closed").isZero();
  }

  @Test
  void socketsBeyondTwiceMaxConnectionsAreRefusedWithoutASession() throws Exception {
    assertThat(server.maxSessionThreads()).as("session pool bounded by 2 x max_connections").isEqualTo(6);
    List<Socket> silent = new ArrayList<>();
    try (Connection root = connect("root")) {
      try {
        for (int i = 0; i < 5; i++) { // with root's, 6 sockets: the most the server keeps open
          silent.add(new Socket("127.0.0.1", port));
        }
        awaitValue(server::socketsOpen, 6);
        assertThatThrownBy(() -> connect("root").close()).isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("53300");
          assertThat(e.getMessage()).contains("sorry, too many clients already");
        });
        assertServes(root);
      } finally {
        for (Socket s : silent) {
          s.close();
        }
      }
      awaitValue(server::socketsOpen, 1);
      try (Connection other = connect("plain1")) {
        assertServes(other);
      }
      assertServes(root);
    }
  }

  @Test
  void aClientThatDisconnectsCancelsItsRunningStatement() throws Exception {
    engine.slowStarted = new java.util.concurrent.CountDownLatch(1);
    Connection c = connect("root");
    java.util.concurrent.CompletableFuture<Void> running = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try (Statement st = c.createStatement()) {
        st.execute("slow"); // runs until canceled, at most 30 s
      } catch (SQLException e) {
        // the connection is aborted below
      }
    });
    assertThat(engine.slowStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(engine.openSessions.get()).isEqualTo(1);
    long t0 = System.nanoTime();
    c.abort(Runnable::run); // closes the socket, without Terminate
    // The session ends only once its statement does: canceled, not after slow's 30 s.
    awaitValue(engine.openSessions::get, 0);
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the statement was canceled").isLessThan(5_000);
    awaitValue(server::slotsUsed, 0);
    running.get(10, java.util.concurrent.TimeUnit.SECONDS);
    try (Connection other = connect("root")) {
      assertServes(other);
    }
  }
}
