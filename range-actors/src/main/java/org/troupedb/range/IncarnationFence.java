package org.troupedb.range;

/**
 * The fencing rule of one range's journal: which events a replay applies, and the epoch this
 * incarnation writes with. Pure (no actor, no journal), so the rule is tested on its own.
 *
 * <pre>
 *   every event carries (epoch, incarnation)   in its event manifest: "f{epoch}.{incarnation hex}"
 *                                               (journals written before fencing: none = (0, 0))
 *   an incarnation, once recovered:             epoch = highest epoch seen in the journal + 1,
 *                                               incarnation = a random id; persists
 *                                               IncarnationStarted(epoch, incarnation) first, the fence
 *   replay, in journal order:                   fence = (0, 0)
 *     IncarnationStarted(e, i), e > fence.e  →   fence = (e, i); applied
 *     any other event (e, i)                 →   applied iff (e, i) == fence, or e > fence.e
 *                                               (a stale incarnation's write after a newer fence,
 *                                               or a second fence of an epoch already fenced, is
 *                                               skipped: it is replayed as {@link RangeActor.StaleEventSkipped})
 * </pre>
 *
 * Two incarnations that recovered at the same time both take the same epoch; the one whose fence
 * comes first in the journal wins and the other's events are skipped (the incarnation id breaks
 * the tie), so every replay of one journal applies the same events. The epoch of the fence in
 * force is kept in snapshots ({@link FencedSnapshot}), so a replay from a snapshot starts from it.
 *
 * <p>NB: the journal (Cassandra) does not refuse a stale writer's write; the rule makes every
 * later replay ignore it, and {@link FenceCheck} makes the stale incarnation stop once it sees the
 * journal move past it. Confined to the range actor's thread.
 */
final class IncarnationFence {
  /** The fence in force while replaying (or, once started, this incarnation's own). */
  private long fenceEpoch;
  private long fenceIncarnation;
  /** The highest epoch any event of the journal carried, applied or skipped. */
  private long highestSeen;
  private long ownEpoch;
  private long ownIncarnation;
  private boolean started;

  /** The fence a snapshot was taken under (before the events after it replay). */
  void restore(long epoch, long incarnation) {
    fenceEpoch = epoch;
    fenceIncarnation = incarnation;
    highestSeen = Math.max(highestSeen, epoch);
  }

  /**
   * Replay: whether the event with {@code manifest} is applied; {@code isFence}: it is an
   * {@link RangeActor.IncarnationStarted}.
   */
  boolean admit(String manifest, boolean isFence) {
    long epoch = epochOf(manifest);
    long incarnation = incarnationOf(manifest);
    highestSeen = Math.max(highestSeen, epoch);
    if (isFence) {
      if (epoch > fenceEpoch) {
        fenceEpoch = epoch;
        fenceIncarnation = incarnation;
        return true;
      }
      return epoch == fenceEpoch && incarnation == fenceIncarnation; // the same fence again: harmless
    }
    if (epoch > fenceEpoch) {
      // Written by an incarnation whose fence is not in this journal (it was deleted with the events
      // before a snapshot, or came from a journal written before fencing): it is the newest writer.
      fenceEpoch = epoch;
      fenceIncarnation = incarnation;
      return true;
    }
    return epoch == fenceEpoch && incarnation == fenceIncarnation;
  }

  /** Recovery is complete: this incarnation's epoch, above every epoch in the journal. */
  void start(long incarnation) {
    ownEpoch = highestSeen + 1;
    ownIncarnation = incarnation;
    fenceEpoch = ownEpoch;
    fenceIncarnation = incarnation;
    started = true;
  }

  boolean started() {
    return started;
  }

  long epoch() {
    return started ? ownEpoch : fenceEpoch;
  }

  long incarnation() {
    return started ? ownIncarnation : fenceIncarnation;
  }

  /** The manifest every event this incarnation persists carries. */
  String manifest() {
    return manifest(epoch(), incarnation());
  }

  static String manifest(long epoch, long incarnation) {
    return "f" + epoch + "." + Long.toHexString(incarnation);
  }

  /** The epoch in an event manifest; 0 for events written before fencing (no or another manifest). */
  static long epochOf(String manifest) {
    if (manifest == null || !manifest.startsWith("f")) {
      return 0;
    }
    int dot = manifest.indexOf('.');
    return Long.parseLong(manifest.substring(1, dot < 0 ? manifest.length() : dot));
  }

  static long incarnationOf(String manifest) {
    if (manifest == null || !manifest.startsWith("f")) {
      return 0;
    }
    int dot = manifest.indexOf('.');
    return dot < 0 ? 0 : Long.parseUnsignedLong(manifest.substring(dot + 1), 16);
  }
}
