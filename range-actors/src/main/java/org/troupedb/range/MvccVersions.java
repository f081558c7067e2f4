package org.troupedb.range;

import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccEntries.Entry;
import org.troupedb.range.MvccEntries.Node;

/**
 * Writes committed versions into a key's chain (newest first), in timestamp order whatever the
 * order of arrival (a replay, a one-phase commit below a newer version), and with a GC TTL keeps a
 * hot key's chain bounded between {@link MvccGc} runs.
 *
 * <pre>
 *   putCommitted(k, t, v):   t above the head ─▶ new head, then trim behind it by the TTL
 *                            t equal to a node ─▶ that node replaced (a replay)
 *                            t below the head ─▶ linked in at its place
 * </pre>
 *
 * <p>NB: not thread-safe; runs on the owning range actor's thread (applying events and replay).
 */
final class MvccVersions {
  /** A hot key's chain is trimmed once per 1/16 of the TTL, not on every write (see trimBehind). */
  private static final int TRIM_STEPS = 16;

  private final MvccEntries entries;
  private final MvccGc gc;
  private final long gcTtlNanos;

  /** @param gcTtlNanos 0: keep every version until {@link MvccGc#gc} */
  MvccVersions(MvccEntries entries, MvccGc gc, long gcTtlNanos) {
    this.entries = entries;
    this.gc = gc;
    this.gcTtlNanos = gcTtlNanos;
  }

  /** Writes a committed version; a null value is a tombstone. */
  void putCommitted(byte[] key, Timestamp ts, byte[] value) {
    Entry e = entries.getOrCreate(key);
    putInto(e, ts, value);
    entries.changed(key, e);
  }

  /** Writes a committed version into {@code e} (the caller reports the change to the entries). */
  void putInto(Entry e, Timestamp ts, byte[] value) {
    if (value == null || e.head != null) {
      gc.noteGarbage(ts); // a tombstone, or a version that hides (or sits beside) older ones
    }
    if (e.head == null || e.head.ts.compareTo(ts) < 0) {
      e.head = new Node(ts, value, e.head);
      entries.added(e.head);
      trimBehind(e.head);
      return;
    }
    if (e.head.ts.equals(ts)) {
      entries.removed(e.head);
      e.head = new Node(ts, value, e.head.next); // replay of the same version
      entries.added(e.head);
      return;
    }
    Node prev = e.head; // prev.ts > ts
    while (prev.next != null && prev.next.ts.compareTo(ts) > 0) {
      prev = prev.next;
    }
    gc.noteGarbage(prev.ts);
    if (prev.next != null && prev.next.ts.equals(ts)) {
      entries.removed(prev.next);
      prev.next = new Node(ts, value, prev.next.next);
    } else {
      prev.next = new Node(ts, value, prev.next);
    }
    entries.added(prev.next);
  }

  /**
   * Drops the versions below the newest one at or below {@code head.ts - gcTtl}. A trim walks the
   * chain down to that version, so it runs only for the first write in each step of {@code gcTtl /
   * TRIM_STEPS} (by wall time): a key written on every commit would otherwise walk all its versions
   * of the last TTL (4 h by default) on every write. The chain so keeps at most a step more than the
   * TTL; {@link MvccGc} removes the rest. Deterministic: it depends only on the versions, so a
   * replay trims alike.
   */
  private void trimBehind(Node head) {
    if (gcTtlNanos <= 0 || head.next == null || head.ts.wallTime() <= gcTtlNanos) {
      return;
    }
    long step = Math.max(1, gcTtlNanos / TRIM_STEPS);
    if (head.ts.wallTime() / step == head.next.ts.wallTime() / step) {
      return; // an earlier write of this step trimmed the chain
    }
    Timestamp threshold = new Timestamp(head.ts.wallTime() - gcTtlNanos, head.ts.logical());
    for (Node n = head; n != null; n = n.next) {
      if (n.ts.compareTo(threshold) <= 0) {
        for (Node d = n.next; d != null; d = d.next) {
          entries.removed(d);
        }
        n.next = null;
        return;
      }
    }
  }
}
