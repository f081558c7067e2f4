package org.troupedb.range;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a disk range's store in step with its journal when snapshots are markers
 * ({@link RangeStorage#markerSnapshots()}), so that a restart replays only the journal's tail.
 *
 * <pre>
 *   event applied (live)      its data changes go to the store's overlay (DiskEntries.pending), not the store:
 *                             Pekko applies an event before the journal has it
 *   next command / snapshot   the events applied so far are durable (Pekko runs neither while a persist is
 *                             in flight): commit = overlay + AppliedState(seqNr of the last, small state,
 *                             counters) as ONE RocksDB batch (WAL on, not synced: the journal is synced)
 *   snapshot                  commit, sync the WAL, persist MarkerSnapshot(seqNr) — no data
 *   recovery                  state = the store's AppliedState (A); replayed events with seqNr ≤ A are
 *                             skipped whole (their data and small state are already in it), later ones
 *                             applied and committed; a marker above A means the store lost what the
 *                             journal deleted: refused
 * </pre>
 *
 * So the store never holds an event the journal may lack (a crash loses at most the overlay, which
 * the replay re-applies), and the journal never deletes an event the store may lack (the marker's
 * WAL sync precedes it, and Pekko deletes only events before the older of two snapshots).
 *
 * <p>Only on a single node: with a Cassandra journal a range may recover on another node, whose
 * store does not have it, so it keeps full snapshots ({@code troupedb.kv.range-storage-snapshots}).
 * NB: runs on the range actor's thread, with the range's lock held where local readers could be
 * reading the overlay (commands, events).
 */
final class RangeStoreSync {
  private static final Logger LOG = LoggerFactory.getLogger(RangeStoreSync.class);
  /** During replay, the overlay is committed once it holds this many record writes. */
  private static final int REPLAY_COMMIT_RECORDS = 20_000;

  private final RangeStorage storage;
  private final Serialization serialization;
  private final RangeStats stats;
  private final long storeId;
  private final long gcTtlNanos;
  /** The applied sequence number the store had when recovery started: replayed events up to it are skipped. */
  private long recoveredApplied;
  /** The sequence number of the last event applied to the state (in the overlay or committed). */
  private long lastApplied;
  /** The sequence number the store holds (committed). */
  private long committed;
  private boolean replaying = true;
  private long replayed;
  private long skipped;
  private DiskEntries entries;

  RangeStoreSync(ActorSystem<?> system, RangeStorage storage, String entityId, long gcTtlNanos) {
    this.storage = storage;
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    this.stats = RangeStats.get(system);
    this.storeId = RangeStorage.storeId(entityId);
    this.gcTtlNanos = gcTtlNanos;
  }

  // ------------------------------------------------------------------ recovery

  /** The state before any snapshot: what the store holds (empty if it has applied nothing). */
  RangeState emptyState() {
    return loadStored(0);
  }

  /** The state of marker snapshot {@code m}: what the store holds, which must include {@code m}. */
  RangeState fromMarker(MarkerSnapshot m) {
    return loadStored(m.appliedSeqNr());
  }

  /** A full snapshot (written before markers, or under full snapshots): the store is rebuilt from it. */
  RangeState fromFull(RangeState.Snapshot s) {
    DiskEntries fresh = new DiskEntries(storage.db(), storeId, null);
    use(fresh, 0);
    return RangeState.fromSnapshot(s, new MvccStore(gcTtlNanos, fresh));
  }

  private RangeState loadStored(long atLeast) {
    RangeDataDb db = storage.db();
    byte[] rec = db.get(RangeDataDb.appliedKey(storeId));
    AppliedState a = rec == null ? null : serialization.deserialize(rec, AppliedState.class).get();
    long applied = a == null ? 0 : a.seqNr();
    if (applied < atLeast) {
      throw new IllegalStateException("range store " + storeId + " has applied the journal up to " + applied
          + " but the snapshot says " + atLeast + ": the events between were deleted from the journal; the"
          + " range cannot be recovered from this store (was the store directory replaced or restored from a copy?)");
    }
    DiskEntries e = a == null ? new DiskEntries(db, storeId, null)
        : new DiskEntries(db, storeId, new DiskEntries.Counters(a.keys(), a.versions(), a.intents(), a.bytes()));
    use(e, applied);
    MvccStore store = new MvccStore(gcTtlNanos, e);
    if (a == null) {
      return new RangeState(store);
    }
    store.restoreGarbageHint(a.garbageHint());
    return RangeState.fromSnapshot(a.small(), store);
  }

  private void use(DiskEntries e, long applied) {
    if (entries != null && entries != e) {
      entries.close();
    }
    entries = e;
    recoveredApplied = applied;
    lastApplied = applied;
    committed = applied;
  }

  /**
   * Before the event with sequence number {@code seqNr} is applied: false when the store has it
   * already (a replayed event at or below the store's applied number), so it is skipped whole.
   */
  boolean admit(long seqNr) {
    if (replaying) {
      if (seqNr <= recoveredApplied) {
        skipped++;
        return false;
      }
      replayed++;
    }
    lastApplied = seqNr;
    return true;
  }

  /** After an admitted event: during replay, commits a large overlay (replayed events are durable). */
  void applied(RangeState st) {
    if (replaying && entries.pendingCount() >= REPLAY_COMMIT_RECORDS) {
      commit(st);
    }
  }

  /** Recovery is complete: commits what the replay applied; logs and counts what it replayed. */
  void recovered(RangeState st, long rangeId) {
    replaying = false;
    commit(st);
    stats.eventsReplayed.add(replayed);
    stats.eventsSkipped.add(skipped);
    if (replayed + skipped > 0) {
      LOG.debug("range {}: replayed {} events after the store's applied sequence number {} (skipped {})",
          rangeId, replayed, recoveredApplied, skipped);
    }
  }

  // ------------------------------------------------------------------ running

  /** The events applied so far are in the journal (a command runs, a snapshot is taken): commit them. */
  void durable(RangeState st) {
    if (!replaying) {
      commit(st);
    }
  }

  /** A snapshot is due: commits, syncs the store's WAL and returns the marker to persist. */
  MarkerSnapshot marker(RangeState st, long epoch, long incarnation) {
    commit(st);
    storage.db().syncWal();
    return new MarkerSnapshot(epoch, incarnation, committed);
  }

  /** The range stopped: drops the overlay (events in it are in the journal or were never acknowledged). */
  void stopped() {
    if (entries != null) {
      entries.close();
    }
  }

  private void commit(RangeState st) {
    if (lastApplied == committed && !entries.hasPending()) {
      return;
    }
    MvccStore store = st.store();
    DiskEntries.Counters c = entries.counters();
    AppliedState a = new AppliedState(lastApplied, st.smallSnapshot(), store.garbageHint(), c.keys(), c.versions(),
        c.intents(), c.bytes());
    entries.commit(RangeDataDb.appliedKey(storeId), serialization.serialize(a).get());
    committed = lastApplied;
  }

  /** The sequence number the store holds (tests). */
  long committed() {
    return committed;
  }
}
