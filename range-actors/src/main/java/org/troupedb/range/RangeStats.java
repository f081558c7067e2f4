package org.troupedb.range;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
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
  private final LongAdder[] localReadsDeclined = new LongAdder[DeclinedRead.values().length];
  final LongAdder commands = new LongAdder();
  final LongAdder txnJournalWrites = new LongAdder();
  final LongAdder intentsWritten = new LongAdder();
  final LongAdder intentsResolved = new LongAdder();
  final LongAdder onePhaseCommits = new LongAdder();
  final LongAdder txnEnds = new LongAdder();
  final LongAdder resolveBatchTxns = new LongAdder();
  final LongAdder gcRuns = new LongAdder();
  final LongAdder gcVersionsRemoved = new LongAdder();
  final LongAdder gcKeysRemoved = new LongAdder();
  final LongAdder passivations = new LongAdder();
  final LongAdder eventsReplayed = new LongAdder();
  final LongAdder eventsSkipped = new LongAdder();
  private volatile LongConsumer journalWriteNanos = nanos -> { };

  /**
   * Why a Get or Scan of a range on this node went through the mailbox instead of being answered
   * on the caller's thread ({@link RangeLifecycle#localReadRefusal}): the range's phase, a
   * write queued for the next flush that latches the keys read, or a key of the batch whose
   * persist is in flight (FLUSHING).
   */
  public enum DeclinedRead { RECOVERING, WRITING, SPLITTING, LATCHED, FLUSHING }

  RangeStats() {
    for (int i = 0; i < localReadsDeclined.length; i++) {
      localReadsDeclined[i] = new LongAdder();
    }
  }

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

  /** Gets and scans of a local range sent to its mailbox because of {@code reason}. */
  public long localReadsDeclined(DeclinedRead reason) {
    return localReadsDeclined[reason.ordinal()].sum();
  }

  void declined(DeclinedRead reason) {
    localReadsDeclined[reason.ordinal()].increment();
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

  /**
   * Journal events applied by recoveries (range starts) on this node: with disk ranges and marker
   * snapshots only those after the store's applied sequence number ({@link RangeStoreSync}).
   */
  public long eventsReplayed() {
    return eventsReplayed.sum();
  }

  /** Journal events read by recoveries but skipped, because the disk store had already applied them. */
  public long eventsSkipped() {
    return eventsSkipped.sum();
  }

  /** Group-commit flushes: journal writes (persist calls) carrying queued writes and transaction ends. */
  public long writeJournalWrites() {
    return writeJournalWrites.sum();
  }

  /** Commands handled by range actors' mailboxes (round trips that did not stay on the caller's thread). */
  public long commands() {
    return commands.sum();
  }

  /**
   * Journal writes (persist calls) for transaction records and intent resolution that did not go
   * through a group-commit flush (counted in {@link #writeJournalWrites()}): PushTxn always;
   * EndTxn, ResolveIntents, RollbackIntents and GcTxnRecord only with group commit off.
   */
  public long txnJournalWrites() {
    return txnJournalWrites.sum();
  }

  /** Keys laid as intents (or locks) by write commands. */
  public long intentsWritten() {
    return intentsWritten.sum();
  }

  /** Intents resolved (committed or aborted) by EndTxn and ResolveIntents. */
  public long intentsResolved() {
    return intentsResolved.sum();
  }

  /** Write commands that committed their transaction in the same persist (no intents left). */
  public long onePhaseCommits() {
    return onePhaseCommits.sum();
  }

  /** Transaction ends (EndTxn, ResolveIntents, RollbackIntents, GcTxnRecord) that persisted something. */
  public long txnEnds() {
    return txnEnds.sum();
  }

  /**
   * Transactions whose intents a {@link RangeActor.ResolveIntentsBatch} resolved (each batch that
   * persisted something is also one of {@link #txnEnds}): with the ends, how many shared a command.
   */
  public long resolveBatchTxns() {
    return resolveBatchTxns.sum();
  }

  /**
   * Where the time of each group-commit flush goes, from its persist call to the journal's
   * acknowledgement (the node feeds a histogram: {@code troupe_range_journal_write_seconds}).
   */
  public void onJournalWrite(LongConsumer nanos) {
    journalWriteNanos = nanos;
  }

  void journalWriteTook(long nanos) {
    journalWriteNanos.accept(nanos);
  }
}
