package org.troupedb.node.fuzz;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fuzzer's seeds: what real clients send, recorded through a {@link TrafficRecorder} against
 * the live node. pgjdbc (simple and extended protocol, named statements with binary parameters,
 * SSLRequest, SCRAM authentication, COPY FROM STDIN, a CancelRequest from {@code
 * Statement.cancel()}), psql (simple queries, {@code \copy … from stdin}) and pgbench (prepared
 * and extended modes), as far as the binaries are installed. Each seed is one connection's client
 * byte stream. The statements touch only {@link #TABLE} rows 1..{@link #ROWS} and {@link
 * #COPY_TABLE}, which the caller has created.
 */
final class SeedTraffic {
  private static final Logger LOG = LoggerFactory.getLogger(SeedTraffic.class);
  static final String TABLE = "fuzz_t";
  static final String COPY_TABLE = "fuzz_c";
  static final int ROWS = 8;
  static final String USER = "fuzzer";
  static final String PASSWORD = "fuzz-pw";

  private final InetSocketAddress node;
  private final Path tmp;

  SeedTraffic(InetSocketAddress node, Path tmp) {
    this.node = node;
    this.tmp = tmp;
  }

  /**
   * Records every scenario; each returned stream is one connection's client bytes. A node busy
   * with other sessions on the same rows (a long run started on a node that served another) may
   * answer a scenario's transaction with 40001: the recording is then taken again (at most 5
   * times).
   */
  List<byte[]> record() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return recordOnce();
      } catch (SQLException e) {
        if (!"40001".equals(e.getSQLState()) || attempt == 5) {
          throw e;
        }
        LOG.warn("recording the seeds again: {}", e.getMessage());
      }
    }
  }

  private List<byte[]> recordOnce() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    try (TrafficRecorder recorder = new TrafficRecorder(node)) {
      String url = "jdbc:postgresql://127.0.0.1:" + recorder.port() + "/defaultdb?user=root";
      pgjdbc(url);
      cancel(url);
      psql(recorder.port());
      pgbench(recorder.port());
      for (byte[] stream : recorder.clientStreams()) {
        if (stream.length > 0) {
          seeds.add(stream);
        }
      }
    }
    return seeds;
  }

  private void pgjdbc(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "&preferQueryMode=simple&sslmode=prefer");
         Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      s.execute("BEGIN");
      s.execute("UPDATE " + TABLE + " SET v = v + 1 WHERE id = 1");
      s.execute("COMMIT");
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + TABLE + " WHERE id <= 3 ORDER BY id")) {
        while (rs.next()) {
          rs.getInt(2);
        }
      }
    }
    try (Connection c = DriverManager.getConnection(url + "&prepareThreshold=1&sslmode=disable")) {
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET v = v + ? WHERE id = ?");
           PreparedStatement select = c.prepareStatement("SELECT v, CAST(? AS TEXT) FROM " + TABLE + " WHERE id = ?")) {
        for (int id = 1; id <= 3; id++) {
          update.setInt(1, 1);
          update.setInt(2, id);
          update.executeUpdate();
          select.setString(1, "fuzz");
          select.setInt(2, id);
          try (ResultSet rs = select.executeQuery()) {
            rs.next();
          }
        }
      }
      c.commit();
      try (PreparedStatement batch = c.prepareStatement("INSERT INTO " + COPY_TABLE + " (id, s) VALUES (?, ?)")) {
        for (int i = 0; i < 3; i++) {
          batch.setInt(1, 1000 + i);
          batch.setString(2, "batch " + i);
          batch.addBatch();
        }
        batch.executeBatch();
      }
      c.rollback();
    }
    try (Connection c = DriverManager.getConnection(url + "&sslmode=disable")) {
      ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn("COPY " + COPY_TABLE + " (id, s) FROM STDIN",
          new StringReader("1\tone\n2\ttwo\n3\t\\N\n"));
    } catch (IOException e) {
      throw new SQLException(e);
    }
    String scram = url.replace("user=root", "user=" + USER) + "&password=" + PASSWORD + "&sslmode=disable";
    try (Connection c = DriverManager.getConnection(scram); Statement s = c.createStatement()) {
      s.execute("SELECT 2");
    }
  }

  /** A statement waiting for a row lock, canceled: pgjdbc sends a CancelRequest on a new connection. */
  private void cancel(String url) throws Exception {
    try (Connection holder = DriverManager.getConnection(url + "&sslmode=disable");
         Connection waiter = DriverManager.getConnection(url + "&sslmode=disable")) {
      holder.setAutoCommit(false);
      try (Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
        h.execute("UPDATE " + TABLE + " SET v = v + 1 WHERE id = " + ROWS);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
          try {
            w.execute("UPDATE " + TABLE + " SET v = v + 1 WHERE id = " + ROWS);
          } catch (SQLException e) {
            // canceled: expected
          }
        });
        Thread.sleep(300); // let the UPDATE reach its lock wait (a cancel before it is just as good a seed)
        w.cancel();
        holder.rollback();
        waiting.get(30, TimeUnit.SECONDS);
      }
    }
  }

  private void psql(int port) throws Exception {
    if (!new File("/usr/bin/psql").canExecute()) {
      LOG.warn("psql not installed: no psql seeds");
      return;
    }
    String conn = "host=127.0.0.1 port=" + port + " dbname=defaultdb";
    run(List.of("psql", conn + " user=root", "-X", "-c", "SELECT 1", "-c",
        "UPDATE " + TABLE + " SET v = v + 1 WHERE id = 2"), null, Map.of());
    run(List.of("psql", conn + " user=root", "-X", "-c", "\\copy " + COPY_TABLE + " (id, s) from stdin"),
        "7\tseven\n8\teight\n\\.\n", Map.of());
    run(List.of("psql", conn + " user=" + USER, "-X", "-c", "SELECT 3"), null, Map.of("PGPASSWORD", PASSWORD));
  }

  private void pgbench(int port) throws Exception {
    if (!new File("/usr/bin/pgbench").canExecute()) {
      LOG.warn("pgbench not installed: no pgbench seeds");
      return;
    }
    Path script = tmp.resolve("fuzz-pgbench.sql");
    Files.writeString(script, "\\set id random(1, " + ROWS + ")\nBEGIN;\nUPDATE " + TABLE
        + " SET v = v + 1 WHERE id = :id;\nSELECT v FROM " + TABLE + " WHERE id = :id;\nEND;\n");
    for (String mode : List.of("prepared", "extended")) {
      run(List.of("pgbench", "-n", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "root", "-M", mode, "-t", "2",
          "-f", script.toString(), "defaultdb"), null, Map.of());
    }
  }

  private static void run(List<String> command, String stdin, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGGSSENCMODE", "disable");
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish");
    }
    if (p.exitValue() != 0) {
      LOG.warn("{} exited with {}: {}", command.get(0), p.exitValue(), output);
    }
  }
}
