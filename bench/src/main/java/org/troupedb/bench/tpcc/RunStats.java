package org.troupedb.bench.tpcc;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the terminals measured, shared by all of them (thread-safe): per transaction type the
 * counts of commits, rollbacks (New-Order's 1%), retries after serialization failures (40001 /
 * 40P01, counted apart from errors), errors, a latency histogram in
 * microseconds (first attempt to final outcome, retries included), the first message of each
 * distinct error, and a timeline of completions and latencies per interval of
 * {@code intervalMillis}; and, apart, the deferred executions of Delivery.
 */
public final class RunStats {

  /** Latencies above one hour are clamped. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** Counters and histograms of one transaction type. */
  static final class PerType {
    final LongAdder commits = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder errors = new LongAdder();
    final Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
  }

  /** Deferred Delivery (clause 2.7.2): requests queued in the measured window and how they ended. */
  static final class Deferred {
    final LongAdder queued = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder skippedDistricts = new LongAdder();
    final LongAdder within80s = new LongAdder();
    final Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
  }

  private final Deferred deferred = new Deferred();
  private final Map<TxnType, PerType> types = new EnumMap<>(TxnType.class);
  private final Map<String, String> errorSamples = new ConcurrentHashMap<>();
  private final long intervalMillis;
  private final int intervals;
  private final LongAdder[][] completions;
  private final Histogram[] intervalLatency;

  /** @param intervals how many timeline buckets of {@code intervalMillis} the run spans */
  RunStats(long intervalMillis, int intervals) {
    this.intervalMillis = intervalMillis;
    this.intervals = intervals;
    for (TxnType t : TxnType.values()) {
      types.put(t, new PerType());
    }
    completions = new LongAdder[intervals][TxnType.values().length];
    intervalLatency = new Histogram[intervals];
    for (int i = 0; i < intervals; i++) {
      for (int t = 0; t < TxnType.values().length; t++) {
        completions[i][t] = new LongAdder();
      }
      intervalLatency[i] = new ConcurrentHistogram(MAX_MICROS, 2);
    }
  }

  PerType of(TxnType t) {
    return types.get(t);
  }

  long intervalMillis() {
    return intervalMillis;
  }

  int intervals() {
    return intervals;
  }

  long completions(int interval, TxnType t) {
    return completions[interval][t.ordinal()].sum();
  }

  Histogram intervalLatency(int interval) {
    return intervalLatency[interval];
  }

  Map<String, String> errorSamples() {
    return Map.copyOf(errorSamples);
  }

  /** A transaction completed (committed or rolled back) {@code sinceStartMillis} into the run. */
  void completed(TxnType t, TpccTxn.Result result, long micros, long sinceStartMillis) {
    PerType p = types.get(t);
    (result.rolledBack() ? p.rollbacks : p.commits).increment();
    long clamped = Math.min(Math.max(micros, 1), MAX_MICROS);
    p.latency.recordValue(clamped);
    int i = (int) Math.min(intervals - 1, Math.max(0, sinceStartMillis / intervalMillis));
    completions[i][t.ordinal()].increment();
    intervalLatency[i].recordValue(clamped);
  }

  Deferred deferred() {
    return deferred;
  }

  void deferredQueued() {
    deferred.queued.increment();
  }

  /** A deferred Delivery queued in the measured window completed {@code micros} after queueing. */
  void deferredCompleted(long micros, int skippedDistricts) {
    deferred.completed.increment();
    deferred.skippedDistricts.add(skippedDistricts);
    if (micros <= 80_000_000L) {
      deferred.within80s.increment();
    }
    deferred.latency.recordValue(Math.min(Math.max(micros, 1), MAX_MICROS));
  }

  void retried(TxnType t) {
    types.get(t).retries.increment();
  }

  /** An error other than a serialization failure; the first message per (type, SQLSTATE) is kept. */
  void failed(TxnType t, String sqlState, String message) {
    types.get(t).errors.increment();
    errorSamples.putIfAbsent(t.title() + " " + sqlState, message);
  }
}
