package org.troupedb.range;

import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Flush;
import org.troupedb.range.RangeActor.Get;
import org.troupedb.range.RangeActor.GcTick;
import org.troupedb.range.RangeActor.GetDirectory;
import org.troupedb.range.RangeActor.IdleCheck;
import org.troupedb.range.RangeActor.Refresh;
import org.troupedb.range.RangeActor.Scan;
import org.troupedb.range.RangeActor.WaitForTxn;
import org.troupedb.range.RangeStats.DeclinedRead;

/**
 * The lifecycle phase of one range incarnation, and its transitions in one place.
 *
 * <pre>
 *   RECOVERING ──RECOVERED──▶ SERVING ◀──READ_HANDLED── WRITING
 *                             │ ▲  ▲                      ▲
 *                             │ │  └──WRITE_HANDLED / EVENT_APPLIED (not in FLUSHING)
 *              FLUSH_STARTED  │ │ FLUSH_DURABLE, READ_HANDLED
 *            (SERVING/WRITING)▼ │
 *                           FLUSHING ── EVENT_APPLIED (the batch's own events): FLUSHING
 *
 *                   SPLIT_STARTED (SERVING, WRITING or FLUSHING)
 *                               ▼
 *                           SPLITTING ──SPLIT_ENDED──▶ WRITING
 * </pre>
 *
 * <p>What a command meets in each phase ({@link #admit}, {@link #answersLocally}):
 *
 * <pre>
 *   phase        local read (Get/Scan)                        command in the mailbox
 *   RECOVERING   no: to the mailbox                           never gets here (Pekko stashes until recovered)
 *   SERVING      yes, unless latched by a queued write        handled, or stashed if latched by queued writes
 *   WRITING      no: to the mailbox                           handled, or stashed if latched by queued writes
 *   FLUSHING     yes, unless it reads a key of the flushing   (Pekko stashes while the persist is in flight;
 *                batch (or of a queued write)                  afterwards as in SERVING)
 *   SPLITTING    no: to the mailbox                           stashed, except the split's own ChunkAcked and
 *                                                              TransferAbortDone (its transfer's progress)
 * </pre>
 *
 * "Latched" is {@link RangeGroupCommit#latched}: the command touches a key or transaction of a
 * write or transaction end queued for the next flush, or mutates; the Flush itself is never
 * latched. A stashed command runs once the flush (or the split) unstashes it.
 *
 * <ul>
 *   <li>{@code RECOVERING}: the journal is being replayed; nothing is served from outside.
 *   <li>{@code SERVING}: the state holds only durable writes; reads may be answered on the
 *       caller's thread ({@link RangeActor#readLocally}).
 *   <li>{@code WRITING}: a mutating command was handled or an event applied, and its persist may
 *       still be in flight (Pekko applies events before the journal acknowledges them); the next
 *       command runs only once it is durable, and a read-only one returns the range to SERVING.
 *   <li>{@code FLUSHING}: a group commit's batch ({@link RangeGroupCommit#drain}) is being
 *       persisted. Why a local read of any key outside the batch is exact then: the Flush
 *       command ran, so everything before it is durable (Pekko runs no command while a persist
 *       is in flight); the batch's events are applied to the state before the journal has them,
 *       but they change only the batch's own keys (intents written, resolved or rolled back
 *       there) and transaction records, which no Get or Scan reads; and until the batch is
 *       durable no other event can be applied (no command runs). So a key outside the batch holds
 *       exactly its durable value, and a key of the batch is latched ({@link
 *       RangeGroupCommit#flushLatched}) until FLUSH_DURABLE, which the flush's persist callback
 *       gives before it replies to anyone. A read answered then records itself in the timestamp
 *       cache, which the next write evaluated (after the flush) sees, as with the mailbox.
 *   <li>{@code SPLITTING}: the right half of a split is being streamed to the new range
 *       ({@link SplitTransfer}); every command but the transfer's own progress waits in the stash.
 * </ul>
 *
 * <p>A size-triggered split's progress before and after its SPLITTING phase (asking the meta
 * range for an id; waiting for the split's reply) is not a phase: it changes nothing about how
 * commands are treated, and lives with the protocol ({@link RangeSplits.AutoSplitStep}).
 *
 * <p>NB: changed only on the actor's thread with the range's state lock held; read under that
 * lock by local readers.
 */
final class RangeLifecycle {

  enum Phase { RECOVERING, SERVING, WRITING, FLUSHING, SPLITTING }

  enum Signal {
    RECOVERED, EVENT_APPLIED, READ_HANDLED, WRITE_HANDLED, FLUSH_STARTED, FLUSH_DURABLE, SPLIT_STARTED, SPLIT_ENDED
  }

  /** What the command handler does with a command that reached the mailbox. */
  enum Admission { HANDLE, STASH }

  private Phase phase = Phase.RECOVERING;

  Phase phase() {
    return phase;
  }

  void on(Signal signal) {
    phase = next(phase, signal);
  }

  /** The phase after {@code signal} in {@code phase}; signals that do not apply leave it as it is. */
  static Phase next(Phase phase, Signal signal) {
    switch (phase) {
      case RECOVERING:
        return signal == Signal.RECOVERED ? Phase.SERVING : Phase.RECOVERING;
      case SERVING:
      case WRITING:
        switch (signal) {
          case READ_HANDLED:
            return Phase.SERVING;
          case WRITE_HANDLED:
          case EVENT_APPLIED:
            return Phase.WRITING;
          case FLUSH_STARTED:
            return Phase.FLUSHING;
          case SPLIT_STARTED:
            return Phase.SPLITTING;
          default:
            return phase;
        }
      case FLUSHING:
        switch (signal) {
          case READ_HANDLED:
          case FLUSH_DURABLE:
            return Phase.SERVING;
          case WRITE_HANDLED:
            return Phase.WRITING;
          case SPLIT_STARTED:
            return Phase.SPLITTING;
          default: // EVENT_APPLIED: the batch's own events, latched; FLUSH_STARTED, RECOVERED: no change
            return phase;
        }
      case SPLITTING:
        return signal == Signal.SPLIT_ENDED ? Phase.WRITING : Phase.SPLITTING;
      default:
        throw new IllegalStateException("unknown phase " + phase);
    }
  }

  /** What to do with {@code cmd} now, given the writes queued for the next flush (see the table above). */
  Admission admit(Command cmd, RangeGroupCommit queued) {
    if (phase == Phase.SPLITTING) {
      return cmd instanceof RangeActor.ChunkAcked || cmd instanceof RangeActor.TransferAbortDone
          ? Admission.HANDLE : Admission.STASH;
    }
    return cmd != Flush.INSTANCE && queued.latched(cmd) ? Admission.STASH : Admission.HANDLE;
  }

  /** Whether a Get or Scan may be answered on the caller's thread now (see the table above). */
  boolean answersLocally(Command read, RangeGroupCommit queued) {
    return (read instanceof Get || read instanceof Scan) && localReadRefusal(read, queued) == null;
  }

  /** Why the Get or Scan {@code read} may not be answered on the caller's thread now; null if it may. */
  DeclinedRead localReadRefusal(Command read, RangeGroupCommit queued) {
    return switch (phase) {
      case RECOVERING -> DeclinedRead.RECOVERING;
      case WRITING -> DeclinedRead.WRITING;
      case SPLITTING -> DeclinedRead.SPLITTING;
      case SERVING -> queued.latched(read) ? DeclinedRead.LATCHED : null;
      case FLUSHING -> queued.flushLatched(read) ? DeclinedRead.FLUSHING
          : queued.latched(read) ? DeclinedRead.LATCHED : null;
    };
  }

  /**
   * The signal a handled (or stashed) command gives, {@code queued} being the group commit after
   * it: FLUSH_STARTED for a Flush that drained a batch (READ_HANDLED for one that found nothing
   * to persist), READ_HANDLED for those that persist nothing, so the state is as durable after
   * them as before. A GC round changes nothing a permitted read can see (reads below the
   * threshold are refused).
   */
  static Signal handled(Command cmd, RangeGroupCommit queued) {
    if (cmd == Flush.INSTANCE) {
      return queued.flushing() ? Signal.FLUSH_STARTED : Signal.READ_HANDLED;
    }
    return handled(cmd);
  }

  /** The signal a handled command other than a Flush gives (see above). */
  static Signal handled(Command cmd) {
    boolean readOnly = cmd instanceof Get || cmd instanceof Scan || cmd instanceof Refresh
        || cmd instanceof GetDirectory || cmd instanceof WaitForTxn || cmd instanceof GcTick
        || cmd instanceof IdleCheck;
    return readOnly ? Signal.READ_HANDLED : Signal.WRITE_HANDLED;
  }

  boolean splitting() {
    return phase == Phase.SPLITTING;
  }

  /** Whether reads (of keys no flush or queued write latches) may be answered without the mailbox. */
  boolean servesLocalReads() {
    return phase == Phase.SERVING || phase == Phase.FLUSHING;
  }
}
