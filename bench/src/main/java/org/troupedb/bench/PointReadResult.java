package org.troupedb.bench;

import java.util.Locale;

/**
 * What one {@link PointReadBench} run measured. Latencies are in microseconds, taken from an
 * HdrHistogram of the measured (post-warmup) queries.
 *
 * @param label name of the run (e.g. {@code postgres}, {@code troupedb}); names the JSON file
 * @param url JDBC URL with any password masked
 * @param rowsLoaded rows inserted by this run (0 with {@code --skip-load})
 * @param loadSeconds wall time of the load phase
 * @param queries measured point reads (warmup excluded), each verified to return its one row
 * @param measuredSeconds wall time of the measured phase
 */
public record PointReadResult(
    String label,
    String url,
    long rows,
    int batch,
    int loadClients,
    int clients,
    long rowsLoaded,
    double loadSeconds,
    double warmupSeconds,
    long queries,
    double measuredSeconds,
    double p50Micros,
    double p90Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    double meanMicros) {

  /** Rows inserted per second during the load (0 when nothing was loaded). */
  public double loadRowsPerSecond() {
    return loadSeconds > 0 ? rowsLoaded / loadSeconds : 0;
  }

  /** Measured queries per second over all clients. */
  public double queriesPerSecond() {
    return measuredSeconds > 0 ? queries / measuredSeconds : 0;
  }

  /** A small human-readable table, one fact per line. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    row(sb, "run", label);
    row(sb, "url", url);
    row(sb, "rows", Long.toString(rows));
    row(sb, "load", rowsLoaded == 0
        ? "skipped"
        : f("%d rows in %.1f s = %.0f rows/s (batch %d, %d connection%s)", rowsLoaded,
            loadSeconds, loadRowsPerSecond(), batch, loadClients, loadClients == 1 ? "" : "s"));
    row(sb, "clients", Integer.toString(clients));
    row(sb, "measured", f("%.1f s after %.1f s warmup", measuredSeconds, warmupSeconds));
    row(sb, "queries", f("%d = %.0f queries/s", queries, queriesPerSecond()));
    row(sb, "latency ms", f("p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f",
        p50Micros / 1000, p90Micros / 1000, p99Micros / 1000, p999Micros / 1000,
        maxMicros / 1000, meanMicros / 1000));
    return sb.toString();
  }

  /** The result as one JSON object (hand-written: the bench depends on pgjdbc only). */
  public String toJson() {
    return "{\n"
        + "  \"benchmark\": \"point-reads\",\n"
        + "  \"label\": " + str(label) + ",\n"
        + "  \"url\": " + str(url) + ",\n"
        + "  \"rows\": " + rows + ",\n"
        + "  \"batch\": " + batch + ",\n"
        + "  \"loadClients\": " + loadClients + ",\n"
        + "  \"clients\": " + clients + ",\n"
        + "  \"rowsLoaded\": " + rowsLoaded + ",\n"
        + "  \"loadSeconds\": " + num(loadSeconds) + ",\n"
        + "  \"loadRowsPerSecond\": " + num(loadRowsPerSecond()) + ",\n"
        + "  \"warmupSeconds\": " + num(warmupSeconds) + ",\n"
        + "  \"measuredSeconds\": " + num(measuredSeconds) + ",\n"
        + "  \"queries\": " + queries + ",\n"
        + "  \"queriesPerSecond\": " + num(queriesPerSecond()) + ",\n"
        + "  \"latencyMicros\": {\"p50\": " + num(p50Micros) + ", \"p90\": " + num(p90Micros)
        + ", \"p99\": " + num(p99Micros) + ", \"p999\": " + num(p999Micros)
        + ", \"max\": " + num(maxMicros) + ", \"mean\": " + num(meanMicros) + "}\n"
        + "}\n";
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append(String.format(Locale.ROOT, "%-11s %s%n", name, value));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
