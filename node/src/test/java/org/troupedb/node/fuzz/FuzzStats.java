package org.troupedb.node.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of a fuzz run, shared by its workers: inputs executed, outcomes, the first SQLSTATE
 * per connection, findings, and where the wall time of the inputs went ({@link
 * FuzzConnection.Phases}, summed over the workers). {@link #progress} is the line a long run prints
 * now and then.
 */
final class FuzzStats {
  private final long startNanos = System.nanoTime();
  private final AtomicLong executed = new AtomicLong();
  private final Map<FuzzConnection.Outcome, LongAdder> outcomes = new EnumMap<>(FuzzConnection.Outcome.class);
  private final Map<String, LongAdder> firstErrors = new ConcurrentHashMap<>();
  private final List<String> findings = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder connect = new LongAdder();
  private final LongAdder send = new LongAdder();
  private final LongAdder pad = new LongAdder();
  private final LongAdder end = new LongAdder();
  /** The end phase by outcome: how long classifying each kind of ending takes. */
  private final Map<FuzzConnection.Outcome, LongAdder> endByOutcome = new EnumMap<>(FuzzConnection.Outcome.class);
  /** Guarded by this: the executed count and time of the previous progress line. */
  private long lastCount;
  private long lastNanos = startNanos;

  FuzzStats() {
    for (FuzzConnection.Outcome o : FuzzConnection.Outcome.values()) {
      outcomes.put(o, new LongAdder());
      endByOutcome.put(o, new LongAdder());
    }
  }

  void add(FuzzConnection.Result r) {
    outcomes.get(r.outcome()).increment();
    firstErrors.computeIfAbsent(r.firstError().isEmpty() ? "none" : r.firstError(), k -> new LongAdder()).increment();
    connect.add(r.phases().connect());
    send.add(r.phases().send());
    pad.add(r.phases().pad());
    end.add(r.phases().end());
    endByOutcome.get(r.outcome()).add(r.phases().end());
    executed.incrementAndGet();
  }

  void finding(String text) {
    findings.add(text);
  }

  int findingCount() {
    return findings.size();
  }

  long executed() {
    return executed.get();
  }

  Map<FuzzConnection.Outcome, Long> outcomes() {
    Map<FuzzConnection.Outcome, Long> counts = new EnumMap<>(FuzzConnection.Outcome.class);
    outcomes.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  Map<String, Long> firstErrors() {
    Map<String, Long> errors = new TreeMap<>();
    firstErrors.forEach((k, v) -> errors.put(k, v.sum()));
    return errors;
  }

  List<String> findings() {
    return List.copyOf(findings);
  }

  /** Mean milliseconds per input in each phase (a worker's wall time, not the run's). */
  String phases() {
    long n = Math.max(1, executed.get());
    StringBuilder byOutcome = new StringBuilder();
    outcomes.forEach((o, count) -> {
      if (count.sum() > 0) {
        byOutcome.append(byOutcome.isEmpty() ? "" : ", ").append(o).append(' ')
            .append(String.format("%.1f", ms(endByOutcome.get(o)) / count.sum()));
      }
    });
    return String.format("connect %.2f, send %.2f, pad %.2f, end %.2f ms per input (end by outcome: %s)", ms(connect) / n,
        ms(send) / n, ms(pad) / n, ms(end) / n, byOutcome);
  }

  /** Inputs per second since the start. */
  double rate() {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    return executed.get() / seconds;
  }

  /** One progress line: inputs, the rate since the previous line and overall, outcomes, findings. */
  synchronized String progress() {
    long now = System.nanoTime();
    long count = executed.get();
    double recent = (count - lastCount) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastCount = count;
    lastNanos = now;
    return String.format("%d inputs in %d s, %.0f/s (last interval %.0f/s), outcomes %s, %d findings; %s", count,
        TimeUnit.NANOSECONDS.toSeconds(now - startNanos), rate(), recent, outcomes(), findings.size(), phases());
  }

  private static double ms(LongAdder nanos) {
    return nanos.sum() / 1e6;
  }
}
