package org.troupedb.bench.tpcc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.troupedb.bench.PointReadBench;
import picocli.CommandLine;
import org.troupedb.bench.JdbcTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tpcc init | run | check}: the TPC-C benchmark over JDBC, for TroupeDB or PostgreSQL.
 *
 * <pre>
 *   init:  drop + create the nine tables, load W warehouses in parallel (progress on stderr)
 *   run:   T terminals for warm-up + duration; report on stdout, JSON + HTML in --out, and the
 *          deferred Delivery result file (clause 2.7.2.3) --out/delivery-results.txt;
 *          then `check` (unless --no-check)
 *   check: the twelve consistency conditions of clause 3.3.2 in one transaction
 * </pre>
 *
 * <p>Exit status: 0 success, 1 failure (SQL error, failed check, errors during the run), 2 usage.
 */
@Command(name = "tpcc", mixinStandardHelpOptions = true, version = "TroupeDB TPC-C 0.1.0",
    subcommands = {TpccCli.Init.class, TpccCli.Run.class, TpccCli.Check.class},
    description = "TPC-C (revision 5.11) over JDBC: load, run the transaction mix, check.")
public final class TpccCli implements Callable<Integer> {

  /** The deferred Delivery result file (clause 2.7.2.3), written by `run` into --out. */
  static final String DELIVERY_RESULTS = "delivery-results.txt";

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit status (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new TpccCli()).execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return 2;
  }

  /** Options every subcommand shares. */
  static final class Common {
    @Mixin JdbcTarget target = new JdbcTarget();

    @Option(names = "--warehouses", defaultValue = "1", description = "W (default: ${DEFAULT-VALUE})")
    int warehouses;

    @Option(names = "--seed", defaultValue = "5011",
        description = "random seed; init and run must share it for the C_LAST constants of"
            + " clause 2.1.6.1 (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--test-scale", hidden = true,
        description = "NON-SPEC tiny population (1,000 items, 30 customers per district), tests only")
    boolean testScale;

    Db db() {
      return new Db(target.url, target.user, target.password);
    }

    Scale scale() {
      return testScale ? Scale.tiny(warehouses) : Scale.spec(warehouses);
    }
  }

  /** The isolation levels {@code --isolation} accepts. */
  enum Isolation {
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED);

    final int jdbc;

    Isolation(int jdbc) {
      this.jdbc = jdbc;
    }

    static Isolation parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
    }

    String sql() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Drops and creates the nine tables and loads W warehouses (clause 4.3.3.1).")
  static final class Init implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--load-threads", defaultValue = "4",
        description = "parallel loading connections (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--rows-per-insert", defaultValue = "500",
        description = "rows per multi-row INSERT (default: ${DEFAULT-VALUE})")
    int rowsPerInsert;

    @Override
    public Integer call() throws Exception {
      Scale scale = common.scale();
      long start = System.nanoTime();
      long rows = new Loader(common.db(), scale,
          new Loader.Options(Math.max(1, threads), Math.max(1, rowsPerInsert), common.seed),
          System.err).load();
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "loaded %d warehouses: %,d rows in %.1f s (%,.0f rows/s)%n",
          scale.warehouses(), rows, secs, rows / secs);
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs the 45/43/4/4/4 transaction mix and reports tpmC and latencies.")
  static final class Run implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--terminals", defaultValue = "4", description = "(default: ${DEFAULT-VALUE})")
    int terminals;

    @Option(names = "--duration", defaultValue = "2m", converter = PointReadBench.DurationConverter.class,
        description = "measured time, e.g. 2m, 30s (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = PointReadBench.DurationConverter.class,
        description = "unmeasured time before that (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--think-time", defaultValue = "off",
        description = "on|off: keying and think times of clause 5.2.5.7 (default: ${DEFAULT-VALUE})")
    String thinkTime;

    @Option(names = "--isolation", defaultValue = "serializable",
        description = "serializable|repeatable-read|read-committed (default: ${DEFAULT-VALUE})")
    String isolation;

    @Option(names = "--out", description = "directory for tpcc-<label>.json and .html and "
        + DELIVERY_RESULTS + " (default for the latter: the current directory)")
    Path out;

    @Option(names = "--label", defaultValue = "run", description = "(default: ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--no-check", description = "skip the consistency check after the run")
    boolean noCheck;

    @Override
    public Integer call() throws Exception {
      if (!thinkTime.equals("on") && !thinkTime.equals("off")) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "--think-time must be on or off");
      }
      if (!label.matches("[A-Za-z0-9._-]+")) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "--label may use letters, digits, . _ - only");
      }
      Isolation iso = Isolation.parse(isolation);
      Scale scale = common.scale();
      Driver.Options o = new Driver.Options(label, terminals, duration, warmup,
          thinkTime.equals("on"), iso.jdbc, iso.sql(), common.seed);
      Path results = (out == null ? Path.of(".") : out).resolve(DELIVERY_RESULTS);
      Files.createDirectories(results.toAbsolutePath().getParent());
      Report report = Driver.run(common.db(), scale, o, results);
      System.out.print(report.table());
      List<ConsistencyCheck.Outcome> check = null;
      if (!noCheck) {
        check = Check.check(common.db(), scale, Isolation.SERIALIZABLE, false, System.out);
      }
      if (out != null) {
        writeFiles(out, report, check);
        System.out.println("report: " + out.resolve("tpcc-" + label + ".html"));
      }
      System.out.println("deferred delivery results: " + results);
      boolean checkOk = check == null || check.stream().allMatch(ConsistencyCheck.Outcome::ok);
      return checkOk && report.totalErrors() == 0 ? 0 : 1;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Checks the consistency conditions of clause 3.3.2 in one transaction.")
  static final class Check implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--after-load",
        description = "also check 3.3.2.11, which holds only directly after init")
    boolean afterLoad;

    @Option(names = "--isolation", defaultValue = "serializable",
        description = "serializable|repeatable-read (default: ${DEFAULT-VALUE})")
    String isolation;

    @Override
    public Integer call() throws Exception {
      List<ConsistencyCheck.Outcome> outcomes = check(common.db(), common.scale(),
          Isolation.parse(isolation), afterLoad, System.out);
      return outcomes.stream().allMatch(ConsistencyCheck.Outcome::ok) ? 0 : 1;
    }

    static List<ConsistencyCheck.Outcome> check(Db db, Scale scale, Isolation iso,
        boolean afterLoad, PrintStream out) throws SQLException {
      long start = System.nanoTime();
      try (Connection conn = db.connect()) {
        List<ConsistencyCheck.Outcome> outcomes =
            ConsistencyCheck.run(conn, scale, iso.jdbc, afterLoad);
        out.print(ConsistencyCheck.format(outcomes));
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        out.printf(Locale.ROOT, "consistency check (%s): %s in %.1f s%n", iso.sql(),
            failed == 0 ? "all " + outcomes.size() + " conditions pass" : failed + " FAILED",
            (System.nanoTime() - start) / 1e9);
        return outcomes;
      }
    }
  }

  static void writeFiles(Path dir, Report report, List<ConsistencyCheck.Outcome> check)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("report", report);
    json.put("check", check);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    mapper.writeValue(dir.resolve("tpcc-" + report.label() + ".json").toFile(), json);
    Files.writeString(dir.resolve("tpcc-" + report.label() + ".html"), HtmlReport.render(report));
  }
}
