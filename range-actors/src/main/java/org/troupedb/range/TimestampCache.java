package org.troupedb.range;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * The highest timestamp at which each key or span was read, so that a later write below it is
 * pushed above it (a write must never invalidate a read already served). Bounded in memory:
 * when too many entries accumulate they are folded into a low-water mark that applies to every
 * key. In memory only: a new range starts with a low-water mark of its clock's now, a recovered one
 * (whose previous incarnation served reads it cannot know) at now plus the max clock offset
 * ({@link #newIncarnationLowWater}).
 *
 * <p>A read by the writing transaction itself does not push its own write. Points are a hash map,
 * spans a {@link SpanReadIndex}: each write asks both, in O(1) and O(log spans).
 */
public final class TimestampCache {

  private record Read(Timestamp ts, UUID txnId) {}

  private final int maxPoints;
  private final int maxSpans;
  private Timestamp lowWater;
  private final HashMap<HashedKey, Read> points = new HashMap<>();
  private final SpanReadIndex spans = new SpanReadIndex();

  public TimestampCache(Timestamp lowWater, int maxPoints, int maxSpans) {
    this.lowWater = lowWater;
    this.maxPoints = maxPoints;
    this.maxSpans = maxSpans;
  }

  /**
   * The low-water mark of a recovered incarnation of a range, which knows nothing of the reads
   * its previous incarnation served: its clock's now plus the max offset, or rather the physical
   * clock plus the max offset, which the hybrid clock never exceeds (a remote timestamp further
   * ahead is refused). The previous incarnation may have run on another node whose clock was
   * ahead of ours by up to the max offset, and served reads up to that clock, so no write may land
   * at or below it. (CockroachDB starts a new lease's timestamp cache at the lease start, past the
   * previous lease's expiration, for the same reason.) A write pushed above it commits above the
   * gateway's clock; the coordinator's commit-wait holds the acknowledgement until the clock
   * passes it.
   */
  public static Timestamp newIncarnationLowWater(HybridClock clock) {
    return Timestamp.max(clock.now(), new Timestamp(clock.physicalNow() + clock.maxOffset().toNanos(), 0));
  }

  /** {@link #newIncarnationLowWater}, as a fresh cache. */
  public static TimestampCache forNewIncarnation(HybridClock clock, int maxPoints, int maxSpans) {
    return new TimestampCache(newIncarnationLowWater(clock), maxPoints, maxSpans);
  }

  /** Raises the low-water mark to {@code ts} (never lowers it). */
  public void forwardLowWater(Timestamp ts) {
    lowWater = Timestamp.max(lowWater, ts);
  }

  public void recordPoint(byte[] key, Timestamp ts, UUID txnId) {
    if (ts.compareTo(lowWater) <= 0) {
      return;
    }
    HashedKey k = new HashedKey(key);
    Read prev = points.get(k);
    if (prev == null || prev.ts.compareTo(ts) < 0) {
      points.put(k, new Read(ts, txnId));
    } else if (prev.ts.equals(ts) && prev.txnId != null && !prev.txnId.equals(txnId)) {
      points.put(k, new Read(ts, null));
    }
    if (points.size() > maxPoints) {
      for (Read r : points.values()) {
        lowWater = Timestamp.max(lowWater, r.ts);
      }
      points.clear();
    }
  }

  public void recordSpan(byte[] start, byte[] end, Timestamp ts, UUID txnId) {
    if (ts.compareTo(lowWater) <= 0) {
      return;
    }
    spans.record(start, end, ts, txnId);
    if (spans.size() > maxSpans) {
      lowWater = Timestamp.max(lowWater, spans.maxTs());
      spans.clear();
    }
  }

  /**
   * The highest read timestamp of {@code key} by a transaction other than {@code txnId}
   * (including the low-water mark, which belongs to no transaction).
   */
  public Timestamp maxReadByOthers(byte[] key, UUID txnId) {
    Timestamp max = lowWater;
    Read p = points.get(new HashedKey(key));
    if (p != null && !txnId.equals(p.txnId) && p.ts.compareTo(max) > 0) {
      max = p.ts;
    }
    Timestamp span = spans.maxReadByOthers(key, txnId);
    return span != null && span.compareTo(max) > 0 ? span : max;
  }

  /**
   * Drops entries at or after {@code splitKey} (their range moved away), folding their timestamps
   * into the low-water mark. O(entries): splits are rare, point reads are not.
   */
  public void forgetFrom(byte[] splitKey) {
    for (Iterator<Map.Entry<HashedKey, Read>> it = points.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HashedKey, Read> e = it.next();
      if (Keys.compare(e.getKey().bytes(), splitKey) >= 0) {
        lowWater = Timestamp.max(lowWater, e.getValue().ts);
        it.remove();
      }
    }
  }

  public Timestamp lowWater() {
    return lowWater;
  }
}
