package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Keys;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/**
 * Read tracking and refresh (CockroachDB's txnSpanRefresher): remembers the spans a transaction
 * read and owns its read timestamp. When a write was pushed above the read timestamp (or a read
 * met an uncertain value, or a lock landed above it), the spans are re-validated at the new
 * timestamp: if no range saw a write in them since, the reads hold there too and the read
 * timestamp moves up; otherwise the refresh is refused and the transaction must restart (40001).
 *
 * <p>Why here: the refresher sits under the one-phase commit and the locking read because both
 * may need to move the reads up before going on; it needs no other part.
 *
 * <p>Threads: the read timestamp is read on any thread and moved up by a refresh's reply, so it
 * is volatile; the read spans are touched only by the transaction's current operation (one at a
 * time, see {@link Txn}), on the caller's thread or the reply thread it continues on.
 */
final class SpanRefresher {
  private final RangeClient client;
  private final UUID txnId;
  /** NB: true only in tests that must see serializability broken: a refresh then validates nothing. */
  private final boolean skipRefresh;

  private volatile Timestamp readTs;

  // Owned by the current operation (never two at once).
  private final List<RangeActor.Span> readSpans = new ArrayList<>();

  SpanRefresher(RangeClient client, UUID txnId, Timestamp readTs, boolean skipRefresh) {
    this.client = client;
    this.txnId = txnId;
    this.readTs = readTs;
    this.skipRefresh = skipRefresh;
  }

  /** The timestamp reads are served at. */
  Timestamp readTs() {
    return readTs;
  }

  /** Remembers that {@code [start, end)} was read at the read timestamp (null end: unbounded). */
  void record(byte[] start, byte[] end) {
    readSpans.add(new RangeActor.Span(start, end));
  }

  /** Whether nothing was read yet (a write may then simply be pushed: there is nothing to refresh). */
  boolean isEmpty() {
    return readSpans.isEmpty();
  }

  /** A mark for {@link #refreshBefore} and {@link #forgetSince}: the number of spans read so far. */
  int mark() {
    return readSpans.size();
  }

  /** Forgets the spans read since {@code mark} (a read that will run again). */
  void forgetSince(int mark) {
    readSpans.subList(mark, readSpans.size()).clear();
  }

  /** Re-validates every read span at {@code to}; true if nothing changed, after which reads are at {@code to}. */
  CompletionStage<Boolean> refresh(Timestamp to) {
    return refreshSpans(new ArrayList<>(readSpans), to, 0);
  }

  /** As {@link #refresh}, for the spans read before {@code mark} only. */
  CompletionStage<Boolean> refreshBefore(int mark, Timestamp to) {
    return refreshSpans(new ArrayList<>(readSpans.subList(0, mark)), to, 0);
  }

  /**
   * Re-validates {@code spans} at {@code to}; true if nothing changed, after which reads are at {@code to}.
   *
   * <p>NB: a read span may cross ranges (a scan that paged over a split, or a split since the read):
   * each span is cut at the cached range boundaries first, and once more after refreshing the
   * cache if routing still fails.
   */
  private CompletionStage<Boolean> refreshSpans(List<RangeActor.Span> readOnes, Timestamp to, int attempt) {
    if (readOnes.isEmpty() || skipRefresh) {
      readTs = Timestamp.max(readTs, to);
      return CompletableFuture.completedFuture(true);
    }
    Timestamp from = readTs;
    List<RangeActor.Span> spans = cutAtRanges(readOnes, client.cachedDescriptors());
    return client.sendBatch(spans, RangeActor.Span::start, (group, r) -> new RangeActor.Refresh(group, txnId, from, to, r))
        .handle((replies, err) -> {
          if (err != null) {
            return attempt < 1 ? client.refresh().thenCompose(v -> refreshSpans(readOnes, to, attempt + 1))
                : CompletableFuture.completedFuture(false);
          }
          for (RangeClient.Routed routed : replies) {
            if (!(routed.reply() instanceof RangeActor.AckReply)) {
              return CompletableFuture.completedFuture(false);
            }
          }
          readTs = Timestamp.max(readTs, to);
          return CompletableFuture.completedFuture(true);
        }).thenCompose(x -> x);
  }

  /** {@code spans} cut into their intersections with the (cached) {@code ranges}. */
  static List<RangeActor.Span> cutAtRanges(List<RangeActor.Span> spans, List<RangeDescriptor> ranges) {
    List<RangeActor.Span> out = new ArrayList<>();
    for (RangeActor.Span sp : spans) {
      int before = out.size();
      for (RangeDescriptor d : ranges) {
        boolean overlaps = (sp.end() == null || Keys.COMPARATOR.compare(d.startKey(), sp.end()) < 0)
            && (d.endKey() == null || Keys.COMPARATOR.compare(sp.start(), d.endKey()) < 0);
        if (overlaps) {
          byte[] start = Keys.COMPARATOR.compare(d.startKey(), sp.start()) > 0 ? d.startKey() : sp.start();
          byte[] end = d.endKey() == null ? sp.end()
              : sp.end() == null || Keys.COMPARATOR.compare(d.endKey(), sp.end()) < 0 ? d.endKey() : sp.end();
          out.add(new RangeActor.Span(start, end));
        }
      }
      if (out.size() == before) {
        out.add(sp);
      }
    }
    return out;
  }
}
