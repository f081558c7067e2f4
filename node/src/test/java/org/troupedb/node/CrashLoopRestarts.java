package org.troupedb.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What {@link CrashLoopIT}'s restarts cost: every {@code kill -9} (when, and when the restarted
 * process printed that it was ready) and every successful client transaction (when it started
 * and ended, and which workload ran it), from which each restart's unavailability is computed:
 * the time from the kill to the end of the first successful transaction that started after it.
 * Thread-safe: clients and the killer add concurrently; the report is computed afterwards.
 */
final class CrashLoopRestarts {
  /** The workloads, as the table's columns name them. */
  enum Source { LIST_APPEND, BANK }

  /**
   * One kill -9 and restart ({@code System.nanoTime()} values): the kill, the restarted process
   * printing that it is ready, and a fresh connection's {@code SELECT 1} answered (-1: never).
   */
  record Restart(int number, long killNanos, long readyNanos, long selectOneNanos) {}

  /** A successful client transaction. */
  record Success(Source source, long startNanos, long endNanos) {}

  /** One row of the table: milliseconds after the kill (-1: never). */
  record Row(int number, double killAtSeconds, long readyMillis, long selectOneMillis, long firstOkMillis,
      long listAppendOkMillis, long bankOkMillis) {}

  private final long startNanos;
  private final List<Restart> restarts = new CopyOnWriteArrayList<>();
  private final Queue<Success> successes = new ConcurrentLinkedQueue<>();

  CrashLoopRestarts(long startNanos) {
    this.startNanos = startNanos;
  }

  void restarted(Restart r) {
    restarts.add(r);
  }

  void succeeded(Source source, long startNanos, long endNanos) {
    successes.add(new Success(source, startNanos, endNanos));
  }

  /** Adds the bank's successful attempts (it records them itself). */
  void addBank(Collection<BankWorkload.Attempt> attempts) {
    for (BankWorkload.Attempt a : attempts) {
      if (a.ok()) {
        succeeded(Source.BANK, a.startNanos(), a.endNanos());
      }
    }
  }

  int count() {
    return restarts.size();
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Restart r : restarts) {
      rows.add(new Row(r.number(), (r.killNanos() - startNanos) / 1e9, millis(r.readyNanos() - r.killNanos()),
          r.selectOneNanos() < 0 ? -1 : millis(r.selectOneNanos() - r.killNanos()), firstAfter(r.killNanos(), s -> true), firstAfter(r.killNanos(), s -> s == Source.LIST_APPEND),
          firstAfter(r.killNanos(), s -> s == Source.BANK)));
    }
    return rows;
  }

  /** Kill → the end of the first success (of a source {@code which} accepts) that started after the kill. */
  private long firstAfter(long killNanos, Predicate<Source> which) {
    long first = Long.MAX_VALUE;
    for (Success s : successes) {
      if (which.test(s.source()) && s.startNanos() >= killNanos) {
        first = Math.min(first, s.endNanos());
      }
    }
    return first == Long.MAX_VALUE ? -1 : millis(first - killNanos);
  }

  /** The per-restart table and its totals, as printed after the run and quoted in docs/list-append.md. */
  String table() {
    List<Row> rows = rows();
    StringBuilder b = new StringBuilder(String.format("%3s %9s %9s %11s %12s %14s %9s%n", "#", "kill at s",
        "ready ms", "SELECT 1 ms", "first ok ms", "list-append ms", "bank ms"));
    for (Row r : rows) {
      b.append(String.format("%3d %9.1f %9d %11d %12d %14d %9d%n", r.number(), r.killAtSeconds(), r.readyMillis(),
          r.selectOneMillis(), r.firstOkMillis(), r.listAppendOkMillis(), r.bankOkMillis()));
    }
    long[] ready = rows.stream().mapToLong(Row::readyMillis).sorted().toArray();
    long[] selectOne = rows.stream().mapToLong(Row::selectOneMillis).sorted().toArray();
    long[] firstOk = rows.stream().mapToLong(Row::firstOkMillis).sorted().toArray();
    long unavailable = rows.stream().mapToLong(r -> Math.max(0, r.firstOkMillis())).sum();
    double runSeconds = restarts.isEmpty() ? 0 : (System.nanoTime() - startNanos) / 1e9;
    b.append(String.format("%d restarts; kill -> ready p50 %d ms, max %d ms; kill -> SELECT 1 p50 %d ms, max %d ms;"
            + " kill -> first successful transaction p50 %d ms, max %d ms; unavailable %.1f s in all (%.0f%% of %.0f s)%n",
        rows.size(), percentile(ready, 50), percentile(ready, 100), percentile(selectOne, 50),
        percentile(selectOne, 100), percentile(firstOk, 50), percentile(firstOk, 100),
        unavailable / 1e3, runSeconds == 0 ? 0 : 100 * unavailable / 1e3 / runSeconds, runSeconds));
    return b.toString();
  }

  /** Nearest-rank percentile of sorted values (-1 when there are none). */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
