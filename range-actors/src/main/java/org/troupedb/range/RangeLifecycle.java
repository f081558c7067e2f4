package org.troupedb.range;

/**
 * The lifecycle phase of one range incarnation, and its transitions in one place.
 *
 * <pre>
 *   RECOVERING ──RECOVERED──▶ SERVING ◀──READ_HANDLED── WRITING
 *                               │  ▲                       ▲
 *                               │  └──────WRITE_HANDLED / EVENT_APPLIED
 *                               │                          │
 *                   SPLIT_STARTED (SERVING or WRITING)     │
 *                               ▼                          │
 *                           SPLITTING ──SPLIT_ENDED────────┘
 * </pre>
 *
 * <ul>
 *   <li>{@code RECOVERING}: the journal is being replayed; nothing is served from outside.
 *   <li>{@code SERVING}: the state holds only durable writes; reads may be answered on the
 *       caller's thread ({@link RangeActor#readLocally}).
 *   <li>{@code WRITING}: a mutating command was handled or an event applied, and its persist may
 *       still be in flight (Pekko applies events before the journal acknowledges them); the next
 *       command runs only once it is durable, and a read-only one returns the range to SERVING.
 *   <li>{@code SPLITTING}: the right half of a split is being created; every command but the
 *       split's completion waits in the stash.
 * </ul>
 *
 * <p>NB: changed only on the actor's thread with the range's state lock held; read under that
 * lock by local readers.
 */
final class RangeLifecycle {

  enum Phase { RECOVERING, SERVING, WRITING, SPLITTING }

  enum Signal { RECOVERED, EVENT_APPLIED, READ_HANDLED, WRITE_HANDLED, SPLIT_STARTED, SPLIT_ENDED }

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
          case SPLIT_STARTED:
            return Phase.SPLITTING;
          default:
            return phase;
        }
      case SPLITTING:
        return signal == Signal.SPLIT_ENDED ? Phase.WRITING : Phase.SPLITTING;
      default:
        throw new IllegalStateException("unknown phase " + phase);
    }
  }

  boolean splitting() {
    return phase == Phase.SPLITTING;
  }

  /** Whether reads may be answered from the published state without the mailbox. */
  boolean servesLocalReads() {
    return phase == Phase.SERVING;
  }
}
