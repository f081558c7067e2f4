package org.troupedb.range;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.troupedb.range.RangeActor.Command;

/**
 * How a stale incarnation of a range finds out that a newer one runs: every
 * {@code troupedb.kv.fence-check-interval}, a range that persisted since its last check asks the
 * journal for the range's highest sequence number; one above its own means another incarnation
 * has written (its fence, then its writes), so this one stops ({@link RangeActor.FenceChecked}).
 *
 * <pre>
 *   Tick (timer) ─[wrote since last check]─▶ journal: ReplayMessages(from = own + 1, max = 0)
 *        ◀── RecoverySuccess(highest) ── FenceChecked(highest): highest > own ⇒ stop (fenced)
 * </pre>
 *
 * NB: a backstop, not the guarantee: the newer incarnation's fence already makes every replay
 * skip what this one writes after it ({@link IncarnationFence}); the check bounds how long a stale
 * incarnation can go on answering (about one interval after the newer one's first writes).
 * Sharding itself never starts a range's new incarnation before the old one stopped (hand-off) or
 * its node was downed. Confined to the actor's thread.
 */
final class FenceCheck {
  private final ActorContext<Command> ctx;
  private final String persistenceId;
  private final Duration interval;
  private boolean wrote;
  private boolean inFlight;

  FenceCheck(ActorContext<Command> ctx, String persistenceId, Duration interval) {
    this.ctx = ctx;
    this.persistenceId = persistenceId;
    this.interval = interval;
  }

  boolean enabled() {
    return !interval.isZero();
  }

  Duration interval() {
    return interval;
  }

  /** A persist of this incarnation completed. */
  void wrote() {
    wrote = true;
  }

  /** Timer tick: asks the journal, if this incarnation wrote since the last check. */
  void tick(long ownSeqNr) {
    if (!wrote || inFlight) {
      return;
    }
    wrote = false;
    inFlight = true;
    ActorRef journal = Persistence.get(Adapter.toClassic(ctx.getSystem())).journalFor("", ConfigFactory.empty());
    ctx.pipeToSelf(Patterns.askWithReplyTo(journal,
            replyTo -> new JournalProtocol.ReplayMessages(ownSeqNr + 1, Long.MAX_VALUE, 0, persistenceId, replyTo),
            interval.multipliedBy(4)),
        (reply, failure) -> new RangeActor.FenceChecked(
            reply instanceof JournalProtocol.RecoverySuccess s ? s.highestSequenceNr() : -1));
  }

  /** The journal answered ({@code highest} -1: it did not); true: a newer incarnation wrote. */
  boolean fenced(long highest, long ownSeqNr) {
    inFlight = false;
    if (highest < 0) {
      wrote = true; // ask again next time
      return false;
    }
    return highest > ownSeqNr;
  }
}
