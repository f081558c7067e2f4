package org.troupedb.node.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mutation fuzzer for the PostgreSQL wire protocol of a live node: seeds recorded from real
 * clients ({@link SeedTraffic}), mutated ({@link WireMutator}) and run one per connection
 * ({@link FuzzConnection}) by several workers, for a time or a number of inputs. Input {@code i}
 * of run seed {@code s} is drawn from {@code new Random(s * 1_000_003 + i)}, so any finding is
 * reproduced by running that one input again; its bytes are also written to {@code findingsDir}.
 */
public final class WireFuzzer {
  private static final Logger LOG = LoggerFactory.getLogger(WireFuzzer.class);

  /**
   * @param budget how long to run
   * @param maxInputs stop after this many inputs (whichever comes first)
   * @param workers concurrent fuzz connections
   * @param seed the run seed
   * @param only run just this input index (reproducing a finding), or -1
   * @param progress how often to log a progress line (inputs/s, outcomes); zero: never
   */
  public record Settings(Duration budget, long maxInputs, int workers, long seed, long only, Duration progress) {
    public Settings(Duration budget, long maxInputs, int workers, long seed, long only) {
      this(budget, maxInputs, workers, seed, only, Duration.ZERO);
    }
  }

  /**
   * What a run did: inputs executed, how their connections ended, the findings, the rate, and
   * where a worker's time per input went.
   */
  public record Report(long inputs, int seeds, Map<FuzzConnection.Outcome, Long> outcomes, Map<String, Long> firstErrors,
      List<String> findings, double inputsPerSecond, String phases) {
    @Override
    public String toString() {
      return inputs + " inputs from " + seeds + " recorded seeds, outcomes " + outcomes + ", first SQLSTATE per connection "
          + firstErrors + ", " + findings.size() + " findings";
    }
  }

  private final InetSocketAddress node;
  private final Path workDir;

  public WireFuzzer(InetSocketAddress node, Path workDir) {
    this.node = node;
    this.workDir = workDir;
  }

  /** Records the seeds (the node must hold {@link #setupSql()}'s tables and role), then fuzzes. */
  public Report run(Settings settings) throws Exception {
    List<byte[]> streams = new SeedTraffic(node, workDir).record();
    WireMutator mutator = new WireMutator(streams);
    LOG.info("fuzzing {} with {} recorded seeds ({} connections recorded)", node, mutator.seedCount(), streams.size());
    AtomicLong next = new AtomicLong(settings.only() >= 0 ? settings.only() : 0);
    long end = System.nanoTime() + settings.budget().toNanos();
    long last = settings.only() >= 0 ? settings.only() + 1 : settings.maxInputs();
    FuzzStats stats = new FuzzStats();
    ExecutorService workers = Executors.newFixedThreadPool(settings.workers());
    ExecutorService writers = Executors.newCachedThreadPool();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
    if (!settings.progress().isZero()) {
      long every = settings.progress().toMillis();
      progress.scheduleAtFixedRate(() -> LOG.info("fuzz progress: {}", stats.progress()), every, every,
          TimeUnit.MILLISECONDS);
    }
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < settings.workers(); w++) {
        running.add(workers.submit(() -> {
          long i;
          while ((i = next.getAndIncrement()) < last && System.nanoTime() < end && stats.findingCount() < 20) {
            Random random = new Random(settings.seed() * 1_000_003 + i);
            byte[] input = mutator.next(random);
            FuzzConnection.Result r = FuzzConnection.run(node, input, random, writers, FuzzConnection.MARKER);
            stats.add(r);
            if (!r.findings().isEmpty()) {
              Path file = save(settings.seed(), i, input);
              stats.finding("input " + i + " (seed " + settings.seed() + ", " + file + "): " + r.findings());
              LOG.warn("finding: input {} {}", i, r.findings());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      progress.shutdownNow();
      workers.shutdownNow();
      writers.shutdownNow();
    }
    LOG.info("fuzz done: {}", stats.progress());
    return new Report(stats.executed(), mutator.seedCount(), stats.outcomes(), stats.firstErrors(), stats.findings(),
        stats.rate(), stats.phases());
  }

  private Path save(long seed, long index, byte[] input) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve("fuzz-findings"));
    return Files.write(dir.resolve("seed" + seed + "-input" + index + ".bin"), input);
  }

  /** The tables and role the seeds use (rows 1..{@link SeedTraffic#ROWS} of the updated table). */
  public static List<String> setupSql() {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE TABLE " + SeedTraffic.TABLE + " (id INT PRIMARY KEY, v INT)");
    StringBuilder rows = new StringBuilder("INSERT INTO " + SeedTraffic.TABLE + " VALUES ");
    for (int id = 1; id <= SeedTraffic.ROWS; id++) {
      rows.append(id == 1 ? "" : ", ").append('(').append(id).append(", 0)");
    }
    sql.add(rows.toString());
    sql.add("CREATE TABLE " + SeedTraffic.COPY_TABLE + " (id INT, s TEXT)");
    sql.add("CREATE USER " + SeedTraffic.USER + " WITH PASSWORD '" + SeedTraffic.PASSWORD + "'");
    sql.add("GRANT ALL ON " + SeedTraffic.TABLE + " TO " + SeedTraffic.USER);
    return sql;
  }

  /** The table whose rows the fuzz clients update, and how many rows it has. */
  public static String table() {
    return SeedTraffic.TABLE;
  }

  public static int rows() {
    return SeedTraffic.ROWS;
  }
}
