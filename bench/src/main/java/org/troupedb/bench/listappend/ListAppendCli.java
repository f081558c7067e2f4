package org.troupedb.bench.listappend;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.troupedb.bench.JdbcTarget;
import org.troupedb.bench.PointReadBench;
import org.troupedb.bench.tpcc.Db;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code list-append}: runs the list-append workload against a database, writes the history, and
 * checks it; or ({@code --check FILE}) checks a history written before.
 *
 * <p>Exit status: 0 no anomaly, 1 anomalies (or nothing committed, or the G-single search was cut
 * short), 2 usage.
 */
@Command(name = "list-append", mixinStandardHelpOptions = true, version = "TroupeDB list-append 0.1.0",
    description = "Jepsen/Elle-style list-append workload and checker over JDBC: reports G0, G1a, G1b, G1c,"
        + " G-single, G2, lost appends and incompatible orders.")
public final class ListAppendCli implements Callable<Integer> {

  @Mixin JdbcTarget target = new JdbcTarget();

  @Option(names = "--clients", defaultValue = "8", description = "concurrent clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--duration", defaultValue = "30s", converter = PointReadBench.DurationConverter.class,
      description = "how long the clients run (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--keys", defaultValue = "10", description = "active keys (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--max-writes-per-key", defaultValue = "32",
      description = "appends a key takes before a fresh key replaces it (default: ${DEFAULT-VALUE})")
  int maxWritesPerKey;

  @Option(names = "--max-ops", defaultValue = "4",
      description = "micro-operations per transaction, at most (default: ${DEFAULT-VALUE})")
  int maxOps;

  @Option(names = "--isolation", defaultValue = "serializable",
      description = "serializable, repeatable-read or read-committed (default: ${DEFAULT-VALUE})")
  String isolation;

  @Option(names = "--seed", defaultValue = "17", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", defaultValue = "list-append-history.txt",
      description = "where the history is written (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--check", description = "only check this history file; run nothing")
  Path checkOnly;

  @Option(names = "--show", defaultValue = "5", description = "anomalies shown per kind (default: ${DEFAULT-VALUE})")
  int show;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit status (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new ListAppendCli()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PrintStream o = System.out;
    if (checkOnly != null) {
      return verdict(o, ListAppendChecker.check(History.read(checkOnly)));
    }
    ListAppendWorkload.Config config = new ListAppendWorkload.Config(
        new Db(target.url, target.user, target.password), clients, duration, keys, maxWritesPerKey, maxOps,
        isolationLevel(isolation), seed);
    ListAppendWorkload workload = new ListAppendWorkload(config);
    workload.setUp();
    o.printf("list-append: %d clients, %s, %d active keys, %s, against %s%n", clients, duration, keys,
        isolation, target.url);
    ListAppendWorkload.Run run = workload.run();
    run.recorder().write(out);
    History h = run.history();
    o.printf(Locale.ROOT, "transactions: %d ok, %d fail, %d info in %.1f s (%.0f txns/s); history in %s%n",
        h.count(Txn.Outcome.OK), h.count(Txn.Outcome.FAIL), h.count(Txn.Outcome.INFO),
        run.elapsed().toMillis() / 1000.0, run.txnsPerSecond(), out);
    if (!run.errorCodes().isEmpty()) {
      o.println("errors by SQLSTATE: " + run.errorCodes());
    }
    if (h.count(Txn.Outcome.OK) == 0) {
      o.println("nothing committed: no history to check");
      return 1;
    }
    return verdict(o, ListAppendChecker.check(h));
  }

  private int verdict(PrintStream o, ListAppendChecker.Result result) {
    o.print(result.report(show));
    return result.valid() ? 0 : 1;
  }

  static int isolationLevel(String name) {
    return switch (name.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-')) {
      case "serializable" -> Connection.TRANSACTION_SERIALIZABLE;
      case "repeatable-read" -> Connection.TRANSACTION_REPEATABLE_READ;
      case "read-committed" -> Connection.TRANSACTION_READ_COMMITTED;
      default -> throw new CommandLine.ParameterException(new CommandLine(new ListAppendCli()),
          "--isolation: serializable, repeatable-read or read-committed, not " + name);
    };
  }
}
