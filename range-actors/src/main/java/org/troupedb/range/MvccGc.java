package org.troupedb.range;

import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccEntries.Node;
import org.troupedb.range.MvccStore.GcResult;

/**
 * MVCC garbage collection of one {@link MvccStore} (as CockroachDB's GC queue): the threshold
 * below which reads may miss collected versions, a cheap hint of whether a run would find
 * anything, and the run itself. The per-write trimming of a hot key's chain by the GC TTL is
 * {@link MvccVersions}'; it reports the garbage it leaves here ({@link #noteGarbage}).
 *
 * <pre>
 *   key's chain, newest first:   v@40  v@30  v@20  tomb@10        gc(threshold 25)
 *                                       └ newest ≤ 25 is v@20: kept; everything older goes,
 *                                         and v@20 too were it a tombstone; an empty key goes.
 * </pre>
 *
 * <p>NB: not thread-safe; {@link #gcThreshold} and {@link #oldestGarbage} are touched only by the
 * owning range actor's thread (on applying a write, a GarbageCollected event, or a snapshot).
 */
final class MvccGc {
  private final MvccEntries entries;
  /** Reads below this may miss collected versions; only {@link #gc} raises it. */
  private Timestamp gcThreshold = Timestamp.ZERO;
  /**
   * No garbage becomes collectible below this (a hint, kept conservatively low on writes and
   * recomputed exactly by {@link #gc} and on import): a version hidden by a newer one at t, or a
   * tombstone at t, is collectible at thresholds ≥ t. Null: no garbage.
   */
  private Timestamp oldestGarbage;

  MvccGc(MvccEntries entries) {
    this.entries = entries;
  }

  /** Reads at timestamps below this may miss collected versions; {@link Timestamp#ZERO} before any GC. */
  Timestamp gcThreshold() {
    return gcThreshold;
  }

  /** Whether {@link #gc} at {@code threshold} may remove anything (cheap: a hint kept on writes). */
  boolean hasGarbageAt(Timestamp threshold) {
    return oldestGarbage != null && oldestGarbage.compareTo(threshold) <= 0;
  }

  /** See {@link MvccStore#gc}. O(keys). */
  GcResult gc(Timestamp threshold) {
    if (threshold.compareTo(gcThreshold) > 0) {
      gcThreshold = threshold;
    }
    long versionsBefore = entries.versionCount();
    long bytesBefore = entries.bytes();
    oldestGarbage = null; // recomputed exactly over the chains that stay
    long keys = entries.sweep(e -> {
      Node prev = null;
      Node n = e.head;
      while (n != null && n.ts.compareTo(threshold) > 0) {
        prev = n;
        n = n.next;
      }
      if (n != null) {
        for (Node d = n.next; d != null; d = d.next) {
          entries.removed(d);
        }
        n.next = null;
        if (n.value == null) {
          entries.removed(n);
          if (prev == null) {
            e.head = null;
          } else {
            prev.next = null;
          }
        }
      }
      if (e.head == null && e.intent == null && e.sharers == null) {
        return true;
      }
      noteChain(e.head);
      return false;
    });
    return new GcResult(versionsBefore - entries.versionCount(), keys, bytesBefore - entries.bytes());
  }

  /** Garbage collectible from {@code ts} on was just made (a tombstone, a hidden version). */
  void noteGarbage(Timestamp ts) {
    oldestGarbage = min(oldestGarbage, ts);
  }

  /** Notes the oldest garbage of a chain (imported, or kept by a {@link #gc} run). */
  void noteChain(Node head) {
    oldestGarbage = min(oldestGarbage, oldestGarbage(head));
  }

  /** The garbage hint (null: no garbage), kept in a durable range's applied state. */
  Timestamp oldestGarbage() {
    return oldestGarbage;
  }

  /** Restores the threshold of a snapshot (import does not lower it). */
  void restoreGcThreshold(Timestamp threshold) {
    if (threshold != null && threshold.compareTo(gcThreshold) > 0) {
      gcThreshold = threshold;
    }
  }

  /** The lowest threshold at which {@link #gc} would remove something from this chain, or null. */
  private static Timestamp oldestGarbage(Node head) {
    Timestamp oldest = null;
    for (Node n = head; n != null; n = n.next) {
      if (n.value == null || n.next != null) {
        oldest = n.ts; // the chain is newest first: the last such node is the oldest
      }
    }
    return oldest;
  }

  private static Timestamp min(Timestamp a, Timestamp b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }
}
