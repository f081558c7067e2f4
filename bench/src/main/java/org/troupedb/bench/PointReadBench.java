package org.troupedb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Point-read benchmark over plain JDBC, for TroupeDB or PostgreSQL.
 *
 * <pre>
 *   setup:  DROP TABLE IF EXISTS bench_kv; CREATE TABLE bench_kv (id BIGINT PRIMARY KEY,
 *           v1 INT NOT NULL, v2 TEXT NOT NULL)
 *   load:   ids 1..rows by prepared multi-row INSERT ... VALUES ($1,$2,$3),(...) of --batch rows,
 *           one statement per batch (autocommit), from --load-clients connections
 *   reads:  --clients threads, one connection each, prepared SELECT v1, v2 FROM bench_kv
 *           WHERE id = ? with uniformly random ids for warmup + duration; every reply is checked
 *           to be exactly the one row the loader wrote; only post-warmup queries are measured
 *   report: load rows/s, queries/s, latency percentiles (HdrHistogram) as a table on stdout and
 *           JSON in --out/point-reads-&lt;label&gt;.json
 * </pre>
 *
 * <p>NB: any failed or wrong read aborts the run (exit 1): a fast wrong answer is not a result.
 * Connections get {@code connectTimeout=10} and {@code socketTimeout=60} unless the URL sets them,
 * so a stuck server ends the run instead of hanging it.
 */
@Command(
    name = "point-reads",
    mixinStandardHelpOptions = true,
    version = "TroupeDB point-reads benchmark 0.1.0",
    sortOptions = false,
    description = "Loads bench_kv and measures concurrent primary-key point reads over JDBC.")
public final class PointReadBench implements Callable<Integer> {

  static final String SELECT = "SELECT v1, v2 FROM bench_kv WHERE id = ?";

  @CommandLine.Mixin
  JdbcTarget target = new JdbcTarget();

  @Option(names = "--rows", defaultValue = "1000000", description = "rows to load (default: ${DEFAULT-VALUE})")
  long rows;

  @Option(names = "--batch", defaultValue = "1000",
      description = "rows per INSERT statement (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--load-clients", defaultValue = "1",
      description = "connections loading in parallel (default: ${DEFAULT-VALUE})")
  int loadClients;

  @Option(names = "--clients", defaultValue = "4",
      description = "concurrent reading connections (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "measured time, e.g. 30s, 2m, 500ms (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      description = "unmeasured reads before that (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--out", description = "directory for point-reads-<label>.json")
  Path out;

  @Option(names = "--label", defaultValue = "run",
      description = "name of this run in the report and file name (default: ${DEFAULT-VALUE})")
  String label;

  @Option(names = "--skip-load", description = "reuse an already loaded bench_kv of --rows rows")
  boolean skipLoad;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  /** Everything one run needs; validated on construction. */
  public record Config(
      String url, String user, String password, long rows, int batch, int loadClients,
      int clients, Duration duration, Duration warmup, Path out, String label, boolean skipLoad,
      long seed) {

    public Config {
      require(rows >= 1, "--rows must be >= 1");
      // PostgreSQL's protocol allows at most 65535 bind parameters per statement; 3 per row.
      require(batch >= 1 && batch <= 10_000, "--batch must be within 1..10000");
      require(loadClients >= 1 && loadClients <= 256, "--load-clients must be within 1..256");
      require(clients >= 1 && clients <= 1024, "--clients must be within 1..1024");
      require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
      require(!warmup.isNegative(), "--warmup must not be negative");
      require(label.matches("[A-Za-z0-9._-]+"), "--label may use letters, digits, . _ - only");
    }

    /** Defaults of the CLI for {@code url}, overridable with the {@code with...} methods. */
    public static Config defaults(String url) {
      return new Config(url, null, null, 1_000_000, 1000, 1, 4, Duration.ofSeconds(30),
          Duration.ofSeconds(5), null, "run", false, 42);
    }

    public Config withRows(long r) {
      return new Config(url, user, password, r, batch, loadClients, clients, duration, warmup,
          out, label, skipLoad, seed);
    }

    public Config withClients(int c) {
      return new Config(url, user, password, rows, batch, loadClients, c, duration, warmup, out,
          label, skipLoad, seed);
    }

    public Config withTimes(Duration d, Duration w) {
      return new Config(url, user, password, rows, batch, loadClients, clients, d, w, out, label,
          skipLoad, seed);
    }

    public Config withOut(Path dir, String l) {
      return new Config(url, user, password, rows, batch, loadClients, clients, duration, warmup,
          dir, l, skipLoad, seed);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PointReadBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Config c;
    try {
      c = new Config(target.url, target.user, target.password, rows, batch, loadClients, clients, duration, warmup, out,
          label, skipLoad, seed);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      PointReadResult r = run(c, System.err);
      System.out.print(r.table());
      return 0;
    } catch (SQLException | BenchFailure e) {
      System.err.println("point-reads failed: " + e.getMessage());
      return 1;
    }
  }

  /** A read returned something other than the one row the loader wrote, or a client failed. */
  public static final class BenchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs setup, load and reads; writes the JSON file when {@link Config#out()} is set.
   *
   * @param progress where progress lines go (stderr in the CLI)
   */
  public static PointReadResult run(Config c, PrintStream progress)
      throws SQLException, BenchFailure, IOException, InterruptedException {
    long loaded = 0;
    double loadSeconds = 0;
    if (!c.skipLoad()) {
      try (Connection conn = connect(c); Statement s = conn.createStatement()) {
        s.execute("DROP TABLE IF EXISTS bench_kv");
        s.execute("CREATE TABLE bench_kv (id BIGINT PRIMARY KEY, v1 INT NOT NULL, v2 TEXT NOT NULL)");
      }
      long t0 = System.nanoTime();
      loaded = load(c, progress);
      loadSeconds = (System.nanoTime() - t0) / 1e9;
      progress.printf(Locale.ROOT, "loaded %d rows in %.1f s (%.0f rows/s)%n",
          loaded, loadSeconds, loaded / loadSeconds);
    }
    ReadTotals reads = read(c, progress);
    Histogram h = reads.histogram();
    PointReadResult r = new PointReadResult(
        c.label(), maskPassword(c.url()), c.rows(), c.batch(), c.loadClients(), c.clients(), loaded, loadSeconds,
        c.warmup().toMillis() / 1000.0, h.getTotalCount(), reads.measuredSeconds(),
        micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
        micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)),
        micros(h.getMaxValue()), h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0);
    if (c.out() != null) {
      Files.createDirectories(c.out());
      Path f = c.out().resolve("point-reads-" + c.label() + ".json");
      Files.writeString(f, r.toJson(), StandardCharsets.UTF_8);
      progress.println("wrote " + f);
    }
    return r;
  }

  /** v1 the loader writes for {@code id}; readers check it. */
  static int v1(long id) {
    return (int) ((id * 2_654_435_761L) & 0x7fff_ffff);
  }

  /** v2 the loader writes for {@code id}; readers check it. */
  static String v2(long id) {
    return "value-" + id;
  }

  private static long load(Config c, PrintStream progress)
      throws SQLException, BenchFailure, InterruptedException {
    AtomicLong next = new AtomicLong(1);
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(c.loadClients());
    try {
      List<CompletableFuture<Void>> loaders = new ArrayList<>();
      for (int i = 0; i < c.loadClients(); i++) {
        loaders.add(CompletableFuture.runAsync(() -> {
          try {
            loadChunks(c, next, done);
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        }, pool));
      }
      awaitWithProgress(CompletableFuture.allOf(loaders.toArray(new CompletableFuture<?>[0])),
          () -> progress.printf(Locale.ROOT, "loading: %d / %d rows%n", done.get(), c.rows()));
    } finally {
      pool.shutdownNow();
    }
    return done.get();
  }

  private static void loadChunks(Config c, AtomicLong next, AtomicLong done) throws SQLException {
    try (Connection conn = connect(c)) {
      PreparedStatement full = null;
      try {
        long start;
        while ((start = next.getAndAdd(c.batch())) <= c.rows()) {
          int n = (int) Math.min(c.batch(), c.rows() - start + 1);
          PreparedStatement ps;
          if (n == c.batch()) {
            if (full == null) {
              full = conn.prepareStatement(insertSql(n));
            }
            ps = full;
          } else {
            ps = conn.prepareStatement(insertSql(n)); // the one short last batch
          }
          try {
            for (int i = 0; i < n; i++) {
              long id = start + i;
              ps.setLong(3 * i + 1, id);
              ps.setInt(3 * i + 2, v1(id));
              ps.setString(3 * i + 3, v2(id));
            }
            int inserted = ps.executeUpdate();
            if (inserted != n) {
              throw new SQLException("INSERT of " + n + " rows reported " + inserted);
            }
            done.addAndGet(n);
          } finally {
            if (ps != full) {
              ps.close();
            }
          }
        }
      } finally {
        if (full != null) {
          full.close();
        }
      }
    }
  }

  static String insertSql(int n) {
    StringBuilder sb = new StringBuilder("INSERT INTO bench_kv (id, v1, v2) VALUES ");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("(?,?,?)");
    }
    return sb.toString();
  }

  private record ReadTotals(Histogram histogram, double measuredSeconds) {}

  private static ReadTotals read(Config c, PrintStream progress)
      throws SQLException, BenchFailure, InterruptedException {
    // Connect everyone first, so connection setup is not part of the warmup or the measurement.
    List<Connection> conns = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(c.clients());
    try {
      for (int i = 0; i < c.clients(); i++) {
        conns.add(connect(c));
      }
      long begin = System.nanoTime();
      long measureFrom = begin + c.warmup().toNanos();
      long end = measureFrom + c.duration().toNanos();
      List<CompletableFuture<Histogram>> readers = new ArrayList<>();
      AtomicLong lastFinish = new AtomicLong(measureFrom);
      for (int i = 0; i < c.clients(); i++) {
        Connection conn = conns.get(i);
        SplittableRandom rnd = new SplittableRandom(c.seed() * 1_000_003L + i);
        readers.add(CompletableFuture.supplyAsync(() -> {
          try {
            Histogram h = readLoop(conn, rnd, c.rows(), measureFrom, end);
            lastFinish.accumulateAndGet(System.nanoTime(), Math::max);
            return h;
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        }, pool));
      }
      progress.printf(Locale.ROOT, "reading: %d clients, %.1f s warmup + %.1f s measured%n",
          c.clients(), c.warmup().toMillis() / 1000.0, c.duration().toMillis() / 1000.0);
      awaitWithProgress(CompletableFuture.allOf(readers.toArray(new CompletableFuture<?>[0])),
          () -> { });
      Histogram total = new Histogram(3);
      for (CompletableFuture<Histogram> r : readers) {
        total.add(r.join());
      }
      return new ReadTotals(total, (lastFinish.get() - measureFrom) / 1e9);
    } finally {
      pool.shutdownNow();
      for (Connection conn : conns) {
        try {
          conn.close();
        } catch (SQLException ignored) {
          // closing after the run; nothing to report
        }
      }
    }
  }

  private static Histogram readLoop(
      Connection conn, SplittableRandom rnd, long rows, long measureFrom, long end)
      throws SQLException {
    Histogram h = new Histogram(3); // auto-resizing, nanoseconds
    try (PreparedStatement ps = conn.prepareStatement(SELECT)) {
      long now = System.nanoTime();
      while (now < end) {
        long id = 1 + rnd.nextLong(rows);
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no row for id " + id);
          }
          int v1 = rs.getInt(1);
          String v2 = rs.getString(2);
          if (v1 != v1(id) || !v2(id).equals(v2)) {
            throw new SQLException("wrong row for id " + id + ": v1=" + v1 + " v2=" + v2);
          }
          if (rs.next()) {
            throw new SQLException("more than one row for id " + id);
          }
        }
        long after = System.nanoTime();
        if (now >= measureFrom) {
          h.recordValue(after - now);
        }
        now = after;
      }
    }
    return h;
  }

  /** Waits for {@code all}, calling {@code tick} about once a second; unwraps failures. */
  private static void awaitWithProgress(CompletableFuture<Void> all, Runnable tick)
      throws SQLException, BenchFailure, InterruptedException {
    while (true) {
      try {
        all.get(1, TimeUnit.SECONDS);
        return;
      } catch (TimeoutException e) {
        tick.run();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql) {
          throw sql;
        }
        throw new BenchFailure(String.valueOf(cause), cause);
      }
    }
  }

  static Connection connect(Config c) throws SQLException {
    Properties p = new Properties();
    // Defaults only: parameters in the URL take precedence in pgjdbc.
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    p.setProperty("ApplicationName", "troupedb-bench");
    if (c.user() != null) {
      p.setProperty("user", c.user());
    }
    if (c.password() != null) {
      p.setProperty("password", c.password());
    }
    Connection conn = DriverManager.getConnection(c.url(), p);
    conn.setAutoCommit(true);
    return conn;
  }

  static String maskPassword(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  /** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("p")) {
          return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        if (v.endsWith("h")) {
          return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (e.g. 30s, 500ms, 2m)");
      }
    }
  }
}
