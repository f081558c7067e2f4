package org.troupedb.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.troupedb.range.LocalRanges;
import org.troupedb.range.RangeStats;

/**
 * Prometheus meters of this node's range storage: what the ranges in memory hold (ranges, keys,
 * versions, bytes: live data and not yet collected garbage), MVCC GC and passivation counts.
 */
final class StoreMetrics {
  private StoreMetrics() {}

  static void register(MeterRegistry metrics, RangeStats stats, LocalRanges ranges) {
    gauge(metrics, "troupe_ranges_in_memory", "ranges running on this node", ranges, t -> t.totals().ranges());
    gauge(metrics, "troupe_store_keys", "keys held by the running ranges (tombstones included)", ranges,
        t -> t.totals().keys());
    gauge(metrics, "troupe_store_versions", "MVCC versions held by the running ranges", ranges,
        t -> t.totals().versions());
    gauge(metrics, "troupe_store_bytes", "bytes of keys, versions and intents held by the running ranges", ranges,
        t -> t.totals().bytes());
    counter(metrics, "troupe_mvcc_gc_runs", "MVCC GC rounds that collected something", stats, RangeStats::gcRuns);
    counter(metrics, "troupe_mvcc_gc_versions_removed", "versions removed by MVCC GC", stats,
        RangeStats::gcVersionsRemoved);
    counter(metrics, "troupe_mvcc_gc_keys_removed", "keys removed entirely by MVCC GC", stats,
        RangeStats::gcKeysRemoved);
    counter(metrics, "troupe_range_passivations", "ranges stopped because they were idle", stats,
        RangeStats::passivations);
    counter(metrics, "troupe_range_events_replayed", "journal events applied by range recoveries", stats,
        RangeStats::eventsReplayed);
    counter(metrics, "troupe_range_events_skipped",
        "journal events read by range recoveries but skipped: the disk store had applied them", stats,
        RangeStats::eventsSkipped);
  }

  private static void gauge(MeterRegistry m, String name, String help, LocalRanges r, ToDoubleFunction<LocalRanges> f) {
    Gauge.builder(name, r, f).description(help).register(m);
  }

  private static void counter(MeterRegistry m, String name, String help, RangeStats s, ToDoubleFunction<RangeStats> f) {
    FunctionCounter.builder(name, s, f).description(help).register(m);
  }
}
