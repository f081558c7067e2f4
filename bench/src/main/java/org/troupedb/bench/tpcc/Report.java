package org.troupedb.bench.tpcc;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one `tpcc run`, as written to JSON and rendered as a console table and an HTML
 * page ({@link HtmlReport}). Delivery's row is the terminal's response time (queueing the request);
 * its deferred execution is reported apart.
 *
 * <p>tpmC counts New-Order transactions completed in the measured window per minute, the 1%
 * rolled back by the unused item included (they are completed business transactions, clause
 * 2.4.2.3). Efficiency is tpmC / (12.86 × W): 12.86 tpmC per warehouse is the ceiling with the
 * specification's keying and think times, so it only means something with think times on.
 */
public record Report(
    String label, int warehouses, int terminals, String isolation, boolean thinkTimes,
    double warmupSeconds, double measuredSeconds, double tpmC, double efficiencyPercent,
    String efficiencyFormula, List<TxnSummary> transactions, DeferredDeliveries deferredDelivery,
    Map<String, String> errorSamples, Timeline timeline) {

  public static final double MAX_TPMC_PER_WAREHOUSE = 12.86;

  /** Counts and latency percentiles (milliseconds) of one transaction type. */
  public record TxnSummary(
      String name, long commits, long rollbacks, long retries, long errors, double mixPercent, double p50Ms, double p90Ms, double p95Ms,
      double p99Ms, double maxMs) {

    public long completed() {
      return commits + rollbacks;
    }
  }

  /**
   * The deferred executions of the Delivery requests queued in the measured window (clause
   * 2.7.2): latency from queueing to completion in milliseconds, districts skipped for want of a
   * new order, requests still unfinished when the driver stopped waiting, and the clause 5.2.5.4
   * requirement that at least 90% of them complete within 80 s.
   */
  public record DeferredDeliveries(long queued, long completed, long unfinished,
      long skippedDistricts, double p50Ms, double p90Ms, double p95Ms, double p99Ms, double maxMs,
      double percentWithin80s, boolean pass) {

    public String requirement() {
      return String.format(Locale.ROOT,
          "clause 5.2.5.4: %.1f%% of %d deferred deliveries completed within 80 s (>= 90%%): %s",
          percentWithin80s, queued, pass ? "PASS" : "FAIL");
    }
  }

  /** Per interval: completed New-Orders per minute, all transactions per second, latencies. */
  public record Timeline(double intervalSeconds, List<Point> points) {}

  /** One interval of the timeline, starting {@code atSeconds} after the measured window began. */
  public record Point(double atSeconds, double tpmC, double txPerSecond, double p50Ms,
      double p99Ms) {}

  public TxnSummary of(TxnType t) {
    return transactions.stream().filter(s -> s.name().equals(t.title())).findFirst().orElseThrow();
  }

  public long totalRetries() {
    return transactions.stream().mapToLong(TxnSummary::retries).sum();
  }

  public long totalErrors() {
    return transactions.stream().mapToLong(TxnSummary::errors).sum();
  }

  /** The human-readable summary printed on the console. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "TPC-C %s: %d warehouses, %d terminals, %s, think times %s, %.0f s measured"
            + " (after %.0f s warm-up)%n",
        label, warehouses, terminals, isolation, thinkTimes ? "on" : "off", measuredSeconds,
        warmupSeconds));
    sb.append(String.format(Locale.ROOT, "tpmC %.1f   efficiency %.1f%% = %s%s%n", tpmC,
        efficiencyPercent, efficiencyFormula,
        thinkTimes ? "" : " (think times off: not a spec efficiency)"));
    sb.append(String.format(Locale.ROOT, "%-13s %6s %8s %6s %8s %7s %9s %9s %9s %9s %9s%n",
        "transaction", "mix%", "commits", "rbk", "retries", "errors", "p50 ms", "p90 ms",
        "p95 ms", "p99 ms", "max ms"));
    for (TxnSummary s : transactions) {
      sb.append(String.format(Locale.ROOT,
          "%-13s %6.1f %8d %6d %8d %7d %9.1f %9.1f %9.1f %9.1f %9.1f%n", s.name(),
          s.mixPercent(), s.commits(), s.rollbacks(), s.retries(), s.errors(), s.p50Ms(),
          s.p90Ms(), s.p95Ms(), s.p99Ms(), s.maxMs()));
    }
    DeferredDeliveries dd = deferredDelivery;
    sb.append(String.format(Locale.ROOT,
        "deferred Delivery (queued -> completed): %d queued, %d completed, %d unfinished,"
            + " %d districts skipped; p50 %.1f  p90 %.1f  p95 %.1f  p99 %.1f  max %.1f ms%n",
        dd.queued(), dd.completed(), dd.unfinished(), dd.skippedDistricts(), dd.p50Ms(),
        dd.p90Ms(), dd.p95Ms(), dd.p99Ms(), dd.maxMs()));
    sb.append(dd.requirement()).append('\n');
    errorSamples.forEach((k, v) -> sb.append("error ").append(k).append(": ").append(v)
        .append('\n'));
    return sb.toString();
  }
}
