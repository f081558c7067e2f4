package org.troupedb.range;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Per-ActorSystem counters of the range actors' write path, to compare write commands with
 * the journal writes they cost (group commit makes the second smaller). Cheap ({@link LongAdder}).
 */
public final class RangeStats implements Extension {

  private static final ExtensionId<RangeStats> ID = new ExtensionId<>() {
    @Override
    public RangeStats createExtension(ActorSystem<?> system) {
      return new RangeStats();
    }
  };

  final LongAdder writeCommands = new LongAdder();
  final LongAdder writeJournalWrites = new LongAdder();
  final LongAdder localReads = new LongAdder();
  final LongAdder gcRuns = new LongAdder();
  final LongAdder gcVersionsRemoved = new LongAdder();
  final LongAdder gcKeysRemoved = new LongAdder();
  final LongAdder passivations = new LongAdder();

  public static RangeStats get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** Write commands accepted (each becomes one event). */
  public long writeCommands() {
    return writeCommands.sum();
  }

  /** Gets and scans answered on the caller's thread, without a trip through a range's mailbox. */
  public long localReads() {
    return localReads.sum();
  }

  /** MVCC GC rounds that collected something (one GarbageCollected event each). */
  public long gcRuns() {
    return gcRuns.sum();
  }

  /** Versions (tombstones included) removed by MVCC GC. */
  public long gcVersionsRemoved() {
    return gcVersionsRemoved.sum();
  }

  /** Keys removed entirely by MVCC GC (nothing left of them). */
  public long gcKeysRemoved() {
    return gcKeysRemoved.sum();
  }

  /** Ranges stopped because they were idle. */
  public long passivations() {
    return passivations.sum();
  }

  /** Journal writes (persist calls) that carried those events. */
  public long writeJournalWrites() {
    return writeJournalWrites.sum();
  }
}
