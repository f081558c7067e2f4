package org.troupedb.range;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.Reply;

/**
 * What one range shares with threads other than its actor's, under one lock (CockroachDB's
 * {@code mu}): the state as of the last command or event, the lifecycle phase, and the
 * group-commit queue (whose keys latch reads).
 *
 * <pre>
 *   thread                           holds the lock while it          touches
 *   the actor's (command handler)    handles a command                everything the range has
 *   the actor's (event handler)      applies an event                 the state, the phase
 *   the actor's (RecoveryCompleted)  publishes the recovered state    the state, the phase
 *   a local reader (RangeClient)     answers a Get or Scan            the state, the phase, the queue's
 *                                                                     latches, the timestamp cache, the
 *                                                                     GC floor, the passivation clock
 *   a metrics reader (LocalRanges)   reads the store's size           the state's store
 *
 *   the actor's (flush callback)     marks the batch durable, replies  the phase, the flushing latches,
 *                                    and runs the ends' continuations  whatever the callbacks touch
 *   the actor's (snapshot)           copies the state for a snapshot   the state
 * </pre>
 *
 * <p>NB: a local read evaluates against the published state with the actor's own code ({@link
 * RangeReads}), so it records its read in the timestamp cache before any later write is
 * evaluated, exactly as if it had gone through the mailbox; that is why the whole command
 * handler, not just the publication, runs under the lock. Local readers run while a group
 * commit's batch is in flight (FLUSHING, see {@link RangeLifecycle}), so the flush's callback
 * and a snapshot's copy (Pekko takes it right after a persist) hold the lock too. The callbacks
 * of other persists (a push's aborted record, GC, splits) run without it: their event left the
 * phase WRITING, so no local reader looks at the state until the next command.
 */
final class RangeSharedState {
  private final ReentrantLock lock = new ReentrantLock();
  /** The state as of the last command or event; null until recovered. */
  private RangeState published;
  final RangeLifecycle lifecycle = new RangeLifecycle();
  final RangeGroupCommit pending = new RangeGroupCommit();

  /** Actor thread: publishes {@code state} and runs the command's {@code handler} under the lock. */
  <T> T handle(RangeState state, Supplier<T> handler) {
    lock.lock();
    try {
      published = state;
      return handler.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Actor thread: applies an event under the lock and publishes the result. Pekko applies an
   * event before its journal write completes: until the next command (Pekko runs none while a
   * persist is in flight) the state may hold what is not durable, hence EVENT_APPLIED.
   */
  RangeState apply(RangeState state, Event event) {
    lock.lock();
    try {
      lifecycle.on(RangeLifecycle.Signal.EVENT_APPLIED);
      published = state.apply(event);
      return published;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Actor thread, in the flush's persist callback: the drained batch is durable; releases its
   * latches and returns to SERVING before {@code then} (the replies) runs, all under the lock.
   */
  void flushDurable(Runnable then) {
    lock.lock();
    try {
      pending.flushed();
      lifecycle.on(RangeLifecycle.Signal.FLUSH_DURABLE);
      then.run();
    } finally {
      lock.unlock();
    }
  }

  /** Actor thread: {@code read} of the state under the lock (a snapshot's copy). */
  <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  /** Actor thread: recovery is complete; {@code state} is durable and may be read locally. */
  void recovered(RangeState state) {
    lock.lock();
    try {
      lifecycle.on(RangeLifecycle.Signal.RECOVERED);
      published = state;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Caller's thread: {@code read} of the published state under the lock when the phase and the
   * queue allow a local answer ({@link RangeLifecycle#localReadRefusal}); else null (use the
   * mailbox), counting why in {@code stats}.
   */
  Reply readLocally(Command cmd, BiFunction<RangeState, Command, Reply> read, RangeStats stats) {
    lock.lock();
    try {
      RangeState s = published;
      RangeStats.DeclinedRead refusal = s == null ? RangeStats.DeclinedRead.RECOVERING
          : lifecycle.localReadRefusal(cmd, pending);
      if (refusal != null) {
        stats.declined(refusal);
        return null;
      }
      return read.apply(s, cmd);
    } finally {
      lock.unlock();
    }
  }

  /** Any thread: the size of the store as of the last command or event (null before recovery). */
  MvccStore.Size storeSize() {
    lock.lock();
    try {
      return published == null ? null : published.store.size();
    } finally {
      lock.unlock();
    }
  }
}
