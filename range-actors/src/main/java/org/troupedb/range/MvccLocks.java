package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccEntries.Entry;
import org.troupedb.range.MvccStore.WriteCheck;

/**
 * Intents and locks of an {@link MvccStore}: whether a write may be laid, laying intents and
 * locks, rolling them back to a savepoint and resolving them at commit or abort.
 *
 * <pre>
 *   per key:   intent (one: a write, or a lock-only intent)  +  sharers (shared locks, any number)
 *
 *   checkWrite ─▶ ok ─▶ putIntent / putLock / putSharedLock      (events, applied)
 *       │                    │ savepoint rollback ─▶ rollbackIntent (restore from the intent's history)
 *       ▼                    ▼ commit / abort    ─▶ resolveIntent  (a version via MvccVersions, or dropped)
 *   conflict (another's intent or sharer), key exists, or the write must move above a version
 * </pre>
 *
 * <p>NB: not thread-safe; runs on the owning range actor's thread (evaluating and applying).
 */
final class MvccLocks {
  private final MvccEntries entries;
  private final MvccVersions versions;

  MvccLocks(MvccEntries entries, MvccVersions versions) {
    this.entries = entries;
    this.versions = versions;
  }

  /** See {@link MvccStore#checkWrite}. */
  WriteCheck checkWrite(WriteOp op, UUID txnId, Timestamp readTs, Timestamp writeTs, Boolean ownValueInBatch) {
    Entry e = entries.get(op.key());
    if (e == null) {
      return op.kind() == WriteOp.Kind.INSERT && Boolean.TRUE.equals(ownValueInBatch)
          ? new WriteCheck(null, true, null) : WriteCheck.OK;
    }
    Intent in = e.intent;
    if (in != null && !in.txn().id().equals(txnId)) {
      return new WriteCheck(in, false, null);
    }
    Intent sharer = op.kind() == WriteOp.Kind.SHARED_LOCK ? null : e.otherSharer(txnId);
    if (sharer != null) {
      return new WriteCheck(sharer, false, null);
    }
    if (op.kind() == WriteOp.Kind.INSERT) {
      boolean live;
      if (in != null && in.lockOnly() && ownValueInBatch == null) {
        in = null; // a lock of our own: the committed value decides
      }
      if (ownValueInBatch != null) {
        live = ownValueInBatch;
      } else if (in != null) {
        live = in.value() != null;
      } else {
        live = e.head != null && e.head.value != null;
      }
      if (live) {
        boolean sinceRead = ownValueInBatch == null && in == null && e.head.ts.compareTo(readTs) > 0
            && MvccEntries.visible(e.head, readTs) == null;
        return new WriteCheck(null, true, null, sinceRead);
      }
    }
    if (e.head != null && e.head.ts.compareTo(writeTs) >= 0) {
      return new WriteCheck(null, false, e.head.ts.next());
    }
    return WriteCheck.OK;
  }

  /** The intent at {@code key}, or null. */
  Intent intentAt(byte[] key) {
    Entry e = entries.get(key);
    return e == null ? null : e.intent;
  }

  /** Whether {@code txnId} holds an intent or a shared lock at {@code key}. */
  boolean holds(byte[] key, UUID txnId) {
    Entry e = entries.get(key);
    return e != null && (e.ownIntent(txnId) || e.sharerIndex(txnId) >= 0);
  }

  /** See {@link MvccStore#putIntent}. */
  void putIntent(byte[] key, TxnMeta txn, byte[] value) {
    Entry e = entries.getOrCreate(key);
    Intent old = e.intent;
    List<Intent.Prior> history = List.of();
    if (old != null && old.txn().id().equals(txn.id())) {
      history = old.history();
      if (old.txn().seq() < txn.savepointSeq()) {
        List<Intent.Prior> longer = new ArrayList<>(history.size() + 1);
        longer.addAll(history);
        longer.add(new Intent.Prior(old.txn().seq(), old.value(), old.lockOnly()));
        history = List.copyOf(longer);
      }
    }
    entries.setIntent(e, new Intent(key, txn, value, false, history));
    entries.changed(key, e);
  }

  /** See {@link MvccStore#putLock}. */
  void putLock(byte[] key, TxnMeta txn) {
    Entry e = entries.getOrCreate(key);
    if (e.ownIntent(txn.id())) {
      return;
    }
    entries.setIntent(e, new Intent(key, txn, null, true));
    entries.changed(key, e);
  }

  /** See {@link MvccStore#putSharedLock}. */
  void putSharedLock(byte[] key, TxnMeta txn) {
    Entry e = entries.getOrCreate(key);
    if (e.ownIntent(txn.id()) || e.sharerIndex(txn.id()) >= 0) {
      return;
    }
    entries.addSharer(e, new Intent(key, txn, null, true));
    entries.changed(key, e);
  }

  /** See {@link MvccStore#rollbackIntent}. */
  boolean rollbackIntent(byte[] key, UUID txnId, int fromSeq) {
    Entry e = entries.get(key);
    if (e == null) {
      return false;
    }
    boolean changed = rollback(key, e, txnId, fromSeq);
    if (changed) {
      entries.changed(key, e);
    }
    return changed;
  }

  /** Rolls back {@code e}; true if anything changed. */
  private boolean rollback(byte[] key, Entry e, UUID txnId, int fromSeq) {
    if (!e.ownIntent(txnId) || e.intent.txn().seq() < fromSeq) {
      return dropSharer(key, e, txnId, fromSeq);
    }
    dropSharer(key, e, txnId, fromSeq);
    Intent in = e.intent;
    List<Intent.Prior> h = in.history();
    int i = h.size() - 1;
    while (i >= 0 && h.get(i).seq() >= fromSeq) {
      i--;
    }
    if (i < 0) {
      dropIntent(key, e);
      return true;
    }
    Intent.Prior p = h.get(i);
    entries.setIntent(e,
        new Intent(key, in.txn().withSeq(p.seq()), p.value(), p.lockOnly(), List.copyOf(h.subList(0, i))));
    return true;
  }

  /** See {@link MvccStore#resolveIntent}. */
  boolean resolveIntent(byte[] key, UUID txnId, boolean commit, Timestamp commitTs) {
    Entry e = entries.get(key);
    if (e == null) {
      return false;
    }
    boolean changed = resolve(key, e, txnId, commit, commitTs);
    if (changed) {
      entries.changed(key, e);
    }
    return changed;
  }

  /** Resolves {@code txnId}'s intent or shared lock in {@code e}; true if anything changed. */
  private boolean resolve(byte[] key, Entry e, UUID txnId, boolean commit, Timestamp commitTs) {
    boolean shared = dropSharer(key, e, txnId, Integer.MIN_VALUE);
    if (!e.ownIntent(txnId)) {
      return shared;
    }
    Intent in = e.intent;
    if (commit && !in.lockOnly()) {
      entries.setIntent(e, null);
      versions.putInto(e, commitTs, in.value());
    } else {
      dropIntent(key, e);
    }
    return true;
  }

  /** Drops {@code txnId}'s shared lock at {@code key} if it was taken at sequence number ≥ {@code fromSeq}. */
  private boolean dropSharer(byte[] key, Entry e, UUID txnId, int fromSeq) {
    int i = e.sharerIndex(txnId);
    if (i < 0 || e.sharers.get(i).txn().seq() < fromSeq) {
      return false;
    }
    entries.removeSharer(e, i);
    if (e.sharers == null) {
      entries.removeIfEmpty(key, e);
    }
    return true;
  }

  private void dropIntent(byte[] key, Entry e) {
    entries.setIntent(e, null);
    entries.removeIfEmpty(key, e);
  }
}
