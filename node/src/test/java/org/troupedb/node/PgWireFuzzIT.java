package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.troupedb.node.fuzz.WireFuzzer;

/**
 * Issue 17's pgwire fuzzer against a live in-process node ({@link WireFuzzer}; docs/fuzzing.md):
 * mutated pgjdbc, psql and pgbench traffic, one input per connection, while a well-behaved client
 * keeps running statements. Invariants: the node keeps serving (every one of the well-behaved
 * client's statements succeeds, and nothing it committed is lost); every fuzzed connection ends
 * with an ErrorResponse and a close, or keeps working; no internal error or Java text reaches a
 * client; afterwards no session holds a lock on the rows the fuzz clients updated.
 *
 * <p>CI runs {@link #fuzzForABoundedTime} ({@code troupe.fuzz.seconds}, 40 by default); the long
 * run is {@link #fuzzAMillionInputs}, tagged {@code slow}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgWireFuzzIT extends InProcessNodeFixture {

  @BeforeAll
  void tables() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      for (String sql : WireFuzzer.setupSql()) {
        s.execute(sql);
      }
      s.execute("CREATE TABLE fuzz_good (id INT PRIMARY KEY, v INT)");
      s.execute("INSERT INTO fuzz_good VALUES (1, 0)");
    }
  }

  @Test
  void fuzzForABoundedTime() throws Exception {
    // A fixed seed in CI (the same mutations every run); the long run takes a new one each time.
    fuzz(Duration.ofSeconds(Long.getLong("troupe.fuzz.seconds", 40)), Long.getLong("troupe.fuzz.inputs", Long.MAX_VALUE),
        Long.getLong("troupe.fuzz.seed", 7));
  }

  @Test
  @Tag("slow")
  void fuzzAMillionInputs() throws Exception {
    fuzz(Duration.ofSeconds(Long.getLong("troupe.fuzz.seconds", 6 * 3600)), Long.getLong("troupe.fuzz.inputs", 1_000_000),
        Long.getLong("troupe.fuzz.seed", System.currentTimeMillis()));
  }

  private void fuzz(Duration budget, long inputs, long seed) throws Exception {
    WireFuzzer.Settings settings = new WireFuzzer.Settings(budget, inputs, Integer.getInteger("troupe.fuzz.workers", 4),
        seed, Long.getLong("troupe.fuzz.only", -1));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    List<String> failures = new CopyOnWriteArrayList<>();
    Future<?> goodClient = pool.submit(() -> wellBehavedClient(running, served, failures));
    WireFuzzer.Report report;
    try {
      // Under target/, not the temporary directory: a finding's bytes outlive the test.
      report = new WireFuzzer(node.pgAddress(), java.nio.file.Files.createDirectories(java.nio.file.Path.of("target",
          "fuzz"))).run(settings);
    } finally {
      running.set(false);
    }
    goodClient.get(2, TimeUnit.MINUTES);
    System.out.println("pgwire fuzzer (seed " + seed + "): " + report + "; well-behaved client: " + served.get()
        + " statements, " + failures.size() + " failed");
    assertThat(report.findings()).as("findings (reproduce with -Dtroupe.fuzz.seed=" + seed
        + " -Dtroupe.fuzz.only=<input>)").isEmpty();
    assertThat(report.inputs()).isPositive();
    assertThat(failures).as("the well-behaved client's statements").isEmpty();
    assertThat(served.get()).isPositive();
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      assertThat(value(s, "SELECT v FROM fuzz_good WHERE id = 1")).as("every increment kept").isEqualTo(served.get());
    }
    assertNoLocksLeft();
  }

  /** Increments its own row, autocommit, until told to stop; records every failure. */
  private void wellBehavedClient(AtomicBoolean running, AtomicLong served, List<String> failures) {
    while (running.get() && failures.size() < 10) {
      try (Connection c = connect(true); Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '60s'");
        while (running.get()) {
          assertThat(s.executeUpdate("UPDATE fuzz_good SET v = v + 1 WHERE id = 1")).isEqualTo(1);
          served.incrementAndGet();
        }
      } catch (SQLException | AssertionError e) {
        failures.add(e.toString());
      }
    }
  }

  /** A fresh session updates every row the fuzz clients touched, without waiting for a lock. */
  private void assertNoLocksLeft() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = '10s'");
      s.execute("SET statement_timeout = '30s'");
      long t0 = System.nanoTime();
      int updated = s.executeUpdate("UPDATE " + WireFuzzer.table() + " SET v = v + 1 WHERE id BETWEEN 1 AND "
          + WireFuzzer.rows());
      System.out.println("no locks left: updated " + updated + " rows in "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
      assertThat(updated).isEqualTo(WireFuzzer.rows());
    }
  }

  private static long value(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
