package org.troupedb.bench.tpcc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs the terminals for warm-up plus duration, with a {@link DeferredDelivery} queue behind them
 * (waited for up to {@link #DELIVERY_DRAIN} at the end), and turns what they measured into a
 * {@link Report}.
 */
public final class Driver {

  /** Everything one run needs. */
  public record Options(String label, int terminals, Duration duration, Duration warmup,
      boolean thinkTimes, int isolation, String isolationName, long seed) {

    public Options {
      if (terminals < 1) {
        throw new IllegalArgumentException("--terminals must be >= 1");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be positive");
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("--warmup must not be negative");
      }
    }
  }

  private Driver() {}

  /** How long the end of a run waits for queued deliveries to complete. */
  static final Duration DELIVERY_DRAIN = Duration.ofMinutes(2);

  /** Runs the terminals; deferred deliveries append to {@code deliveryResults} (clause 2.7.2.3). */
  public static Report run(Db db, Scale scale, Options o, Path deliveryResults)
      throws InterruptedException, IOException {
    long intervalMillis = Math.max(1000, o.duration().toMillis() / 300);
    int intervals = (int) ((o.duration().toMillis() + intervalMillis - 1) / intervalMillis);
    RunStats stats = new RunStats(intervalMillis, intervals);
    CConstants run = CConstants.forRun(CConstants.forLoad(o.seed()), o.seed());
    long start = System.nanoTime();
    long measureFrom = start + o.warmup().toNanos();
    Terminal.Window window = new Terminal.Window(measureFrom, measureFrom + o.duration().toNanos());
    DeferredDelivery deliveries = new DeferredDelivery(db, o.isolation(), scale,
        i -> new TpccRandom(o.seed() * 7_919L - 31L * i - 1, run), window, DELIVERY_DRAIN, stats,
        deliveryResults, 1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < o.terminals(); i++) {
      TpccRandom r = new TpccRandom(o.seed() * 7_919L + 31L * i + 1, run);
      Terminal t = new Terminal(db, o.isolation(), scale, Terminal.homeOf(i, scale.warehouses()),
          r, o.thinkTimes(), window, stats, deliveries);
      Thread th = new Thread(t, "tpcc-terminal-" + i);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    long deadline = window.endNanos() + TimeUnit.SECONDS.toNanos(330); // socketTimeout + slack
    for (Thread th : threads) {
      th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    for (Thread th : threads) {
      th.interrupt(); // a terminal stuck past every timeout: stop waiting for it
    }
    int unfinished = deliveries.finish(DELIVERY_DRAIN);
    return report(scale, o, stats, unfinished);
  }

  static Report report(Scale scale, Options o, RunStats stats, int unfinishedDeliveries) {
    double seconds = o.duration().toMillis() / 1000.0;
    long all = 0;
    for (TxnType t : TxnType.values()) {
      RunStats.PerType p = stats.of(t);
      all += p.commits.sum() + p.rollbacks.sum();
    }
    List<Report.TxnSummary> summaries = new ArrayList<>();
    for (TxnType t : TxnType.values()) {
      RunStats.PerType p = stats.of(t);
      long done = p.commits.sum() + p.rollbacks.sum();
      Histogram h = p.latency;
      summaries.add(new Report.TxnSummary(t.title(), p.commits.sum(), p.rollbacks.sum(),
          p.retries.sum(), p.errors.sum(), all == 0 ? 0 : 100.0 * done / all, ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99),
          h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0));
    }
    double tpmC = summaries.get(TxnType.NEW_ORDER.ordinal()).completed() / (seconds / 60);
    double efficiency = 100 * tpmC / (Report.MAX_TPMC_PER_WAREHOUSE * scale.warehouses());
    List<Report.Point> points = new ArrayList<>();
    double intervalSeconds = stats.intervalMillis() / 1000.0;
    for (int i = 0; i < stats.intervals(); i++) {
      long n = 0;
      for (TxnType t : TxnType.values()) {
        n += stats.completions(i, t);
      }
      Histogram h = stats.intervalLatency(i);
      points.add(new Report.Point(i * intervalSeconds,
          stats.completions(i, TxnType.NEW_ORDER) * 60 / intervalSeconds, n / intervalSeconds,
          ms(h, 50), ms(h, 99)));
    }
    Map<String, String> errors = new LinkedHashMap<>(new TreeMap<>(stats.errorSamples()));
    return new Report(o.label(), scale.warehouses(), o.terminals(), o.isolationName(),
        o.thinkTimes(), o.warmup().toMillis() / 1000.0, seconds, tpmC, efficiency,
        "tpmC / (12.86 x " + scale.warehouses() + " warehouses) x 100%", summaries,
        deferred(stats.deferred(), unfinishedDeliveries), errors,
        new Report.Timeline(intervalSeconds, points));
  }

  private static Report.DeferredDeliveries deferred(RunStats.Deferred d, int unfinished) {
    Histogram h = d.latency;
    long queued = d.queued.sum();
    double within = queued == 0 ? 100 : 100.0 * d.within80s.sum() / queued;
    return new Report.DeferredDeliveries(queued, d.completed.sum(), unfinished,
        d.skippedDistricts.sum(), ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99),
        h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0, within, within >= 90);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
