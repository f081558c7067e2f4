package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccEntries.Entry;
import org.troupedb.range.MvccEntries.Node;
import org.troupedb.range.MvccStore.GetResult;
import org.troupedb.range.MvccStore.ScanResult;

/**
 * The read side of an {@link MvccStore}: what a reader (txn id, read timestamp t, optional
 * uncertainty limit) sees at a key, for point reads, scans and read refreshes. Changes nothing.
 *
 * <pre>
 *   key ─▶ committed version in (t, uncertaintyLimit], not under the reader's own intent?
 *            yes ─▶ uncertain (the reader must move above it)
 *          own intent?                      ─▶ its value (a lock-only one: the committed value ≤ t)
 *          another's intent ≤ max(t, limit)  ─▶ conflict (lock-only: only for locking readers)
 *          else                             ─▶ newest committed version ≤ t (tombstone: absent)
 * </pre>
 *
 * <p>NB: not thread-safe; runs on the owning range actor's thread, like the rest of the store.
 */
final class MvccReader {
  private final MvccEntries entries;

  MvccReader(MvccEntries entries) {
    this.entries = entries;
  }

  /** A point read; see {@link MvccStore#get(byte[], Timestamp, UUID, boolean, Timestamp)}. */
  GetResult get(byte[] key, Timestamp readTs, UUID txnId, boolean locking, Timestamp uncertaintyLimit) {
    Entry e = entries.getForRead(key, readTs);
    Timestamp uncertain = e == null ? null : uncertain(e.head, readTs, uncertaintyLimit);
    if (uncertain != null && !e.ownIntent(txnId)) {
      return new GetResult(null, null, uncertain);
    }
    if (e == null) {
      return new GetResult(null, null);
    }
    Intent in = e.intent;
    if (in != null) {
      if (in.txn().id().equals(txnId)) {
        return new GetResult(in.lockOnly() ? MvccEntries.visible(e.head, readTs) : in.value(), null);
      }
      if (conflicts(in, readTs, locking, uncertaintyLimit)) {
        return new GetResult(null, in);
      }
    }
    return new GetResult(MvccEntries.visible(e.head, readTs), null);
  }

  /** A scan; see {@link MvccStore#scan(byte[], byte[], Timestamp, UUID, int, long, boolean, Timestamp)}. */
  ScanResult scan(byte[] start, byte[] end, Timestamp readTs, UUID txnId, int limit, long maxBytes,
      boolean locking, Timestamp uncertaintyLimit) {
    Timestamp uncertain = null;
    List<Kv> rows = new ArrayList<>();
    long bytes = 0;
    byte[] resume = null;
    List<Intent> conflicts = null;
    try (MvccEntries.Cursor span = entries.span(start, end)) {
      for (Map.Entry<byte[], Entry> me : span) {
        Entry e = me.getValue();
        byte[] value;
        Intent in = e.intent;
        Timestamp u = uncertaintyLimit == null ? null : uncertain(e.head, readTs, uncertaintyLimit);
        if (u != null && !e.ownIntent(txnId)) {
          uncertain = uncertain == null ? u : Timestamp.max(uncertain, u);
          continue;
        }
        if (in != null && in.txn().id().equals(txnId)) {
          value = in.lockOnly() ? MvccEntries.visible(e.head, readTs) : in.value();
        } else if (in != null && conflicts(in, readTs, locking, uncertaintyLimit)) {
          if (conflicts == null) {
            conflicts = new ArrayList<>();
          }
          conflicts.add(in);
          continue;
        } else {
          value = MvccEntries.visible(e.head, readTs);
        }
        if (value != null) {
          rows.add(new Kv(me.getKey(), value));
          if (limit > 0 && rows.size() >= limit) {
            break;
          }
          bytes += me.getKey().length + value.length;
          if (maxBytes > 0 && bytes >= maxBytes) {
            resume = Keys.next(me.getKey());
            break;
          }
        }
      }
    }
    return new ScanResult(rows, conflicts == null ? List.of() : conflicts, resume, uncertain);
  }

  /** See {@link MvccStore#changedBetween}. */
  boolean changedBetween(byte[] start, byte[] end, Timestamp from, Timestamp to, UUID txnId) {
    try (MvccEntries.Cursor span = entries.span(start, end)) {
      for (Map.Entry<byte[], Entry> me : span) {
        Entry e = me.getValue();
        if (e.intent != null && !e.intent.lockOnly() && !e.intent.txn().id().equals(txnId)
            && e.intent.txn().writeTs().compareTo(to) <= 0) {
          return true;
        }
        for (Node n = e.head; n != null && n.ts.compareTo(from) > 0; n = n.next) {
          if (n.ts.compareTo(to) <= 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether another transaction's intent stops a read at {@code readTs}: it is at or below the
   * read, or inside the reader's uncertainty window (≤ {@code uncertaintyLimit}, null: none) —
   * once committed there it would be an uncertain value, so the reader must learn its outcome
   * first, as for an intent below it (CockroachDB does the same).
   */
  private static boolean conflicts(Intent in, Timestamp readTs, boolean locking, Timestamp uncertaintyLimit) {
    if (in.lockOnly()) {
      return locking;
    }
    Timestamp upTo = uncertaintyLimit == null ? readTs : Timestamp.max(readTs, uncertaintyLimit);
    return in.txn().writeTs().compareTo(upTo) <= 0;
  }

  /** The newest committed version in {@code (readTs, limit]}, or null. */
  private static Timestamp uncertain(Node head, Timestamp readTs, Timestamp limit) {
    if (limit == null || limit.compareTo(readTs) <= 0) {
      return null;
    }
    for (Node n = head; n != null && n.ts.compareTo(readTs) > 0; n = n.next) {
      if (n.ts.compareTo(limit) <= 0) {
        return n.ts;
      }
    }
    return null;
  }
}
