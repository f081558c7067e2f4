package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.troupedb.node.JdbcRows.rows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Issue 17's memory limits against a node process with a small heap (-Xmx384m, a 48MB pool for
 * the rows of queries): a streamed generate_series of 200 million rows answers PostgreSQL's
 * count; a sort over the statement's budget spills to disk and completes; a hash join over it
 * fails with 53200 {@code out of memory} naming the operator, a result over it streams; sessions that together
 * want more than the node's pool fail the same way; meanwhile another connection keeps getting
 * answers, and the node is alive afterwards with no OutOfMemoryError.
 */
class MemoryLimitsIT {
  private static Path dir;
  private static NodeProcess node;

  @BeforeAll
  static void startNode() throws Exception {
    dir = Files.createTempDirectory("memory-it");
    // a pool of 48MB (a quarter of the heap would be 96MB) fills sooner: the test runs faster
    node = NodeProcess.startWithJvm(List.of("-Xmx384m", "-Dtroupedb.sql.node-memory=48MB"), dir.resolve("store"),
        NodeProcess.freePort());
    node.awaitReady();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bystander (id INT PRIMARY KEY, v TEXT)");
      s.execute("INSERT INTO bystander VALUES (1, 'one'), (2, 'two')");
    }
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      try {
        assertThat(node.output()).doesNotContain("OutOfMemoryError");
      } finally {
        node.close();
      }
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl());
  }

  /** Runs {@code action} while another connection queries in a loop; that one never fails and gets answers. */
  private static void whileAnotherSessionIsServed(ThrowingRunnable action) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger answers = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!stop.get() && System.nanoTime() < deadline) {
          assertThat(rows(s, "SELECT v FROM bystander WHERE id = 2")).containsExactly("two");
          assertThat(rows(s, "SELECT count(*) FROM bystander")).containsExactly("2");
          answers.incrementAndGet();
          Thread.sleep(20);
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "bystander");
    other.start();
    try {
      action.run();
    } finally {
      stop.set(true);
      other.join(30_000);
    }
    assertThat(failure.get()).as("the other session's queries").isNull();
    assertThat(answers.get()).as("answers the other session got meanwhile").isPositive();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT 1 + 1")).containsExactly("2");
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static PSQLException outOfMemory(Statement s, String sql) {
    PSQLException e = catchThrowableOfType(() -> s.executeQuery(sql).close(), PSQLException.class);
    assertThat(e != null).as("53200 from " + sql).isTrue();
    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("53200");
    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("out of memory");
    return e;
  }

  private static String detail(PSQLException e) {
    return e.getServerErrorMessage().getDetail();
  }

  @Test
  void generateSeriesOfTwoHundredMillionStreams() throws Exception {
    whileAnotherSessionIsServed(() -> {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        // PostgreSQL 15 answers 28571429 (3, 10, …, 199999999)
        assertThat(rows(s, "SELECT count(*) FROM generate_series(1, 200000000) g WHERE g % 7 = 3"))
            .containsExactly("28571429");
      }
    });
  }

  @Test
  void aSortOverTheBudgetSpillsAHashJoinFailsWith53200AndAResultStreams() throws Exception {
    whileAnotherSessionIsServed(() -> {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        assertThat(rows(s, "SHOW troupedb.statement_memory")).containsExactly("1GB");
        s.execute("SET troupedb.statement_memory = '16MB'");
        // ~45 MB of rows to sort: it spills sorted runs to disk past 8 MB and merges them
        List<String> sorted = rows(s, "SELECT g FROM generate_series(1, 300000) g ORDER BY md5(g::text)");
        assertThat(sorted).hasSize(300000).doesNotHaveDuplicates();
        for (int i = 1; i < sorted.size(); i += 997) {
          assertThat(md5(sorted.get(i - 1))).isLessThan(md5(sorted.get(i)));
        }
        PSQLException join = outOfMemory(s, "SELECT count(*) FROM generate_series(1, 20000000) a"
            + " JOIN generate_series(1, 20000000) b ON a = b");
        assertThat(detail(join)).startsWith("Hash Join needs more memory than the statement's memory limit");
        // ~200 MB of result rows, past the 16MB budget: they stream (a client that keeps none counts them)
        try (RawPgClient raw = new RawPgClient(node.host(), node.pgPort(), "root", "defaultdb")) {
          raw.query("SET troupedb.statement_memory = '16MB'");
          RawPgClient.Counted result = raw.query("SELECT g, 'a row of the result' FROM generate_series(1, 2000000) g");
          assertThat(result.rows()).isEqualTo(2_000_000);
          assertThat(result.tag()).isEqualTo("SELECT 2000000");
        }
        // the session goes on, and under the budget the same shapes answer
        assertThat(rows(s, "SELECT count(*) FROM (SELECT g FROM generate_series(1, 50000) g ORDER BY g DESC) x"))
            .containsExactly("50000");
        assertThat(rows(s, "SELECT count(*) FROM generate_series(1, 50000) a JOIN generate_series(2, 60000) b ON a = b"))
            .containsExactly("49999");
      }
    });
  }

  private static String md5(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(d);
  }

  @Test
  void sessionsThatTogetherWantMoreThanTheNodesPoolFailWith53200() throws Exception {
    whileAnotherSessionIsServed(() -> {
      int sessions = 4;
      ExecutorService pool = Executors.newFixedThreadPool(sessions);
      try {
        List<Future<PSQLException>> results = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          results.add(pool.submit(() -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
              // each alone may take 200MB of estimates; the node's pool is 48MB
              s.execute("SET troupedb.statement_memory = '200MB'");
              return outOfMemory(s, "SELECT count(*) FROM generate_series(1, 20000000) a"
                  + " JOIN generate_series(1, 20000000) b ON a = b");
            }
          }));
        }
        List<String> details = new ArrayList<>();
        for (Future<PSQLException> f : results) {
          details.add(detail(f.get(120, TimeUnit.SECONDS)));
        }
        assertThat(details).allMatch(d -> d.equals("Hash Join needs more memory than the node's memory for queries"
            + " troupedb.sql.node-memory = 48MB, which running statements share allows."), "names the node's pool");
      } finally {
        pool.shutdownNow();
      }
    });
  }
}
