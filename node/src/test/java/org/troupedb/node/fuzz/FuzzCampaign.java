package org.troupedb.node.fuzz;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fuzz campaign against a live node, with the invariants that are not per connection: a
 * well-behaved pgjdbc client increments its own row, autocommit, for the whole run (every
 * statement must succeed, and afterwards the row must equal the number of acknowledged
 * increments), and afterwards a fresh session with {@code lock_timeout} updates every row the
 * fuzz clients updated (no session left holding a lock). Run by {@code PgWireFuzzIT} on an
 * in-process node and by {@link WireFuzzMain} on a node process.
 */
public final class FuzzCampaign {
  static final String GOOD_TABLE = "fuzz_good";

  /**
   * What a campaign found.
   *
   * @param report the fuzzer's counts and findings
   * @param served the well-behaved client's acknowledged increments
   * @param failures its statements that failed (empty when the node kept serving)
   * @param kept how much its row grew during the run (must equal {@code served})
   * @param unlocked rows of the fuzz table a fresh session could update afterwards (must be all)
   * @param unlockMillis how long that update took
   */
  public record Result(WireFuzzer.Report report, long served, List<String> failures, long kept, int unlocked,
      long unlockMillis) {
    /** Whether every invariant held. */
    public boolean clean() {
      return report.findings().isEmpty() && report.inputs() > 0 && failures.isEmpty() && served > 0 && kept == served
          && unlocked == WireFuzzer.rows();
    }

    /** The run's summary line, as CI prints it. */
    public String line(long seed) {
      return "pgwire fuzzer (seed " + seed + "): " + report + "; well-behaved client: " + served + " statements, "
          + failures.size() + " failed";
    }
  }

  private final InetSocketAddress node;
  private final Path workDir;

  /** @param workDir where seeds' scratch files and findings' bytes go */
  public FuzzCampaign(InetSocketAddress node, Path workDir) {
    this.node = node;
    this.workDir = workDir;
  }

  /** Creates the tables and role the seeds and the well-behaved client use (on a fresh node). */
  public void setup() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : WireFuzzer.setupSql()) {
        s.execute(sql);
      }
      s.execute("CREATE TABLE " + GOOD_TABLE + " (id INT PRIMARY KEY, v INT)");
      s.execute("INSERT INTO " + GOOD_TABLE + " VALUES (1, 0)");
    }
  }

  /**
   * Fuzzes with {@code settings} while the well-behaved client runs, then checks what it
   * committed and that no lock is left.
   *
   * @param goodPauseMillis the well-behaved client's pause between statements (0: none)
   */
  public Result run(WireFuzzer.Settings settings, long goodPauseMillis) throws Exception {
    long before = goodValue();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread good = new Thread(() -> wellBehavedClient(running, served, failures, goodPauseMillis), "fuzz-good-client");
    good.setDaemon(true);
    good.start();
    WireFuzzer.Report report;
    try {
      report = new WireFuzzer(node, workDir).run(settings);
    } finally {
      running.set(false);
    }
    good.join(TimeUnit.MINUTES.toMillis(2));
    if (good.isAlive()) {
      failures.add("the well-behaved client's last statement did not end within 2 minutes");
    }
    long kept = goodValue() - before;
    long t0 = System.nanoTime();
    int unlocked = updateFuzzRows();
    return new Result(report, served.get(), List.copyOf(failures), kept, unlocked,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private long goodValue() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT v FROM " + GOOD_TABLE + " WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : Long.MIN_VALUE / 2;
    }
  }

  /** Increments its own row, autocommit, until told to stop; records every failure. */
  private void wellBehavedClient(AtomicBoolean running, AtomicLong served, List<String> failures, long pauseMillis) {
    while (running.get() && failures.size() < 10) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '60s'");
        while (running.get()) {
          int n = s.executeUpdate("UPDATE " + GOOD_TABLE + " SET v = v + 1 WHERE id = 1");
          if (n != 1) {
            failures.add("the increment updated " + n + " rows");
            break;
          }
          served.incrementAndGet();
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        }
      } catch (SQLException e) {
        failures.add(e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A fresh session updates every row the fuzz clients touched, without waiting for a lock. */
  private int updateFuzzRows() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = '10s'");
      s.execute("SET statement_timeout = '30s'");
      return s.executeUpdate("UPDATE " + WireFuzzer.table() + " SET v = v + 1 WHERE id BETWEEN 1 AND "
          + WireFuzzer.rows());
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + node.getAddress().getHostAddress() + ":" + node.getPort()
        + "/defaultdb?user=root");
  }
}
