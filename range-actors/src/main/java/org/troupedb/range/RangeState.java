package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The event-sourced state of one range: its descriptor, its MVCC data, the transaction records
 * anchored in it and, for the meta range only, the range directory. Changed only by
 * {@link #apply(RangeActor.Event)}, which the actor calls for persisted and replayed events.
 *
 * <p>NB: mutable for speed (a range may hold a million versions); the actor's command handler
 * only reads it, and snapshots go through {@link #toSnapshot()}, which copies.
 */
public final class RangeState {

  /** The serialized form of a range's state. */
  public record Snapshot(
      RangeDescriptor desc,
      RangeDescriptor rightSibling,
      RangeDescriptor metaPending,
      List<MvccStore.KeySnapshot> data,
      List<TxnRecord> txnRecords,
      List<RangeDescriptor> directory,
      long nextRangeId,
      org.troupedb.hlc.Timestamp gcThreshold,
      RangeReceipt receipt) implements KvSerializable {} // receipt: null in older snapshots

  RangeDescriptor desc; // null until the range is initialized
  RangeDescriptor rightSibling; // the range split off this one most recently
  RangeDescriptor metaPending; // a split-off range the meta range has not acknowledged yet
  RangeReceipt receipt; // a split's right half being received (desc is null until it completes)
  final MvccStore store;
  final Map<UUID, TxnRecord> txnRecords = new HashMap<>();
  /** Meta range only: range start key → descriptor. Lookups use the floor entry. */
  final TreeMap<byte[], RangeDescriptor> directory = new TreeMap<>(Keys.COMPARATOR);
  long nextRangeId;

  public RangeState() {
    this(0);
  }

  /** @param gcTtlNanos MVCC garbage collection window (0: keep every version) */
  public RangeState(long gcTtlNanos) {
    this(new MvccStore(gcTtlNanos));
  }

  /** A state over {@code store} (empty; on disk, see {@link RangeStorage}). */
  RangeState(MvccStore store) {
    this.store = store;
  }

  public RangeDescriptor descriptor() {
    return desc;
  }

  public MvccStore store() {
    return store;
  }

  public TxnRecord txnRecord(UUID id) {
    return txnRecords.get(id);
  }

  public List<RangeDescriptor> directory() {
    return new ArrayList<>(directory.values());
  }

  boolean owns(byte[] key) {
    return desc != null && desc.contains(key);
  }

  RangeState apply(RangeActor.Event event) {
    if (event instanceof RangeActor.IntentsWritten e) {
      List<WriteOp> ops = e.ops();
      for (int i = 0; i < ops.size(); i++) {
        WriteOp op = ops.get(i);
        if (op.kind() == WriteOp.Kind.LOCK) {
          store.putLock(op.key(), e.txn());
        } else if (op.kind() == WriteOp.Kind.SHARED_LOCK) {
          store.putSharedLock(op.key(), e.txn());
        } else {
          store.putIntent(op.key(), e.txn(), op.kind() == WriteOp.Kind.DELETE ? null : op.value());
        }
      }
      if (e.createRecord()) {
        txnRecords.put(e.txn().id(), new TxnRecord(e.txn(), TxnStatus.PENDING, null, e.wallTime()));
      }
    } else if (event instanceof RangeActor.ValuesCommitted e) {
      List<WriteOp> ops = e.ops();
      for (int i = 0; i < ops.size(); i++) {
        WriteOp op = ops.get(i);
        store.putCommitted(op.key(), e.commitTs(), op.kind() == WriteOp.Kind.DELETE ? null : op.value());
      }
    } else if (event instanceof RangeActor.IntentsResolved e) {
      for (byte[] key : e.keys()) {
        store.resolveIntent(key, e.txnId(), e.commit(), e.commitTs());
      }
    } else if (event instanceof RangeActor.IntentsRolledBack e) {
      for (byte[] key : e.keys()) {
        store.rollbackIntent(key, e.txnId(), e.fromSeq());
      }
    } else if (event instanceof RangeActor.TxnRecordWritten e) {
      txnRecords.put(e.record().meta().id(), e.record());
    } else if (event instanceof RangeActor.TxnRecordRemoved e) {
      txnRecords.remove(e.txnId());
    } else if (event instanceof RangeActor.RangeInitialized e) {
      desc = e.desc();
      store.importAll(e.data());
      for (TxnRecord r : e.txnRecords()) {
        txnRecords.put(r.meta().id(), r);
      }
    } else if (event instanceof RangeActor.ChunkReceived || event instanceof RangeActor.TransferCompleted
        || event instanceof RangeActor.TransferAborted) {
      RangeReceipt.apply(this, event);
    } else if (event instanceof RangeActor.GarbageCollected e) {
      store.gc(e.threshold());
    } else if (event instanceof RangeActor.RangeSplit e) {
      desc = e.left();
      rightSibling = e.right();
      metaPending = e.right();
      store.splitOff(e.right().startKey());
      txnRecords.values().removeIf(r -> !desc.contains(r.meta().anchorKey()));
    } else if (event instanceof RangeActor.DirectoryRecorded e) {
      if (metaPending != null && metaPending.rangeId() == e.right().rangeId()) {
        metaPending = null;
      }
    } else if (event instanceof RangeActor.MetaBootstrapped e) {
      for (RangeDescriptor d : e.descriptors()) {
        directory.put(d.startKey(), d);
      }
      nextRangeId = e.nextRangeId();
    } else if (event instanceof RangeActor.RangeIdAllocated e) {
      nextRangeId = Math.max(nextRangeId, e.rangeId() + 1);
    } else if (event instanceof RangeActor.DirectoryUpdated e) {
      for (RangeDescriptor d : e.descriptors()) {
        putDirectory(d);
      }
    } else if (event instanceof RangeActor.IncarnationStarted || event instanceof RangeActor.StaleEventSkipped) {
      // fencing (IncarnationFence): no change to the data
    } else {
      throw new IllegalStateException("unknown event " + event);
    }
    return this;
  }

  /** Adds {@code d}, clipping the entry before it so starts stay the only source of truth. */
  private void putDirectory(RangeDescriptor d) {
    RangeDescriptor old = directory.get(d.startKey());
    if (old != null && old.generation() > d.generation() && old.rangeId() == d.rangeId()) {
      return;
    }
    directory.put(d.startKey(), d);
    Map.Entry<byte[], RangeDescriptor> before = directory.lowerEntry(d.startKey());
    if (before != null) {
      RangeDescriptor b = before.getValue();
      if (b.endKey() == null || Keys.compare(b.endKey(), d.startKey()) > 0) {
        directory.put(b.startKey(), new RangeDescriptor(b.rangeId(), b.startKey(), d.startKey(), b.generation() + 1));
      }
    }
  }

  Snapshot toSnapshot() {
    return new Snapshot(desc, rightSibling, metaPending, store.exportFrom(null), new ArrayList<>(txnRecords.values()),
        new ArrayList<>(directory.values()), nextRangeId, store.gcThreshold(), receipt);
  }

  /**
   * Everything but the MVCC data, as a snapshot with no data: what a durable range keeps beside its
   * data on disk ({@link RangeStoreSync}).
   */
  Snapshot smallSnapshot() {
    return new Snapshot(desc, rightSibling, metaPending, List.of(), new ArrayList<>(txnRecords.values()),
        new ArrayList<>(directory.values()), nextRangeId, store.gcThreshold(), receipt);
  }

  static RangeState fromSnapshot(Snapshot s) {
    return fromSnapshot(s, 0);
  }

  static RangeState fromSnapshot(Snapshot s, long gcTtlNanos) {
    return fromSnapshot(s, new MvccStore(gcTtlNanos));
  }

  /** The state of snapshot {@code s}, its data imported into the empty {@code store}. */
  static RangeState fromSnapshot(Snapshot s, MvccStore store) {
    RangeState st = new RangeState(store);
    st.desc = s.desc();
    st.rightSibling = s.rightSibling();
    st.metaPending = s.metaPending();
    st.store.importAll(s.data());
    st.store.restoreGcThreshold(s.gcThreshold()); // null in snapshots written before GC was an event
    for (TxnRecord r : s.txnRecords()) {
      st.txnRecords.put(r.meta().id(), r);
    }
    for (RangeDescriptor d : s.directory()) {
      st.directory.put(d.startKey(), d);
    }
    st.nextRangeId = s.nextRangeId();
    st.receipt = s.receipt();
    return st;
  }

  /** Transaction records whose anchor key is at or after {@code key} (they move with a split). */
  List<TxnRecord> recordsFrom(byte[] key) {
    List<TxnRecord> out = new ArrayList<>();
    for (Iterator<TxnRecord> it = txnRecords.values().iterator(); it.hasNext(); ) {
      TxnRecord r = it.next();
      if (Keys.compare(r.meta().anchorKey(), key) >= 0) {
        out.add(r);
      }
    }
    return out;
  }
}
