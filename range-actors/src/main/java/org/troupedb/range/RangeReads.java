package org.troupedb.range;

import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.BelowGcThresholdReply;
import org.troupedb.range.RangeActor.ConflictReply;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.Get;
import org.troupedb.range.RangeActor.Refresh;
import org.troupedb.range.RangeActor.RefreshFailedReply;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.RowsReply;
import org.troupedb.range.RangeActor.Scan;
import org.troupedb.range.RangeActor.Span;
import org.troupedb.range.RangeActor.UncertainReply;
import org.troupedb.range.RangeActor.ValueReply;

/**
 * A range's reads (DESIGN §4): Get, Scan and Refresh evaluated against the {@link MvccStore},
 * with every read recorded in the {@link TimestampCache} so that later writes land above it.
 * Nothing here persists.
 *
 * <pre>
 *   Get / Scan ─ owns the keys? ─ clock offset ok? ─ above the GC floor? ─▶ MvccStore
 *     ─ uncertain ─▶ UncertainReply │ conflict ─▶ ConflictReply │ else record in ts cache ─▶ Value/RowsReply
 * </pre>
 *
 * <p>NB: {@link #get} and {@link #scan} run on the actor's thread (from the command handler) and
 * on local readers' threads ({@link RangeActor#readLocally}); both callers hold the range's state
 * lock, which is what makes the timestamp cache and the store safe to touch here. {@link
 * #refresh} runs on the actor's thread only.
 */
final class RangeReads {
  private final RangeEnv env;
  private final TimestampCache tsCache;
  private final RangeGc gc;

  RangeReads(RangeEnv env, TimestampCache tsCache, RangeGc gc) {
    this.env = env;
    this.tsCache = tsCache;
    this.gc = gc;
  }

  Reply get(RangeState s, Get c) {
    if (!s.owns(c.key())) {
      return env.mismatchReply(s);
    }
    Reply refused = refusal(s, c.readTs());
    if (refused != null) {
      return refused;
    }
    MvccStore.GetResult r = s.store.get(c.key(), c.readTs(), c.txnId(), c.locking(), c.uncertaintyLimit());
    if (r.uncertain() != null) {
      return new UncertainReply(r.uncertain(), env.clock.now());
    }
    if (r.conflict() != null) {
      return new ConflictReply(List.of(r.conflict()), env.clock.now());
    }
    tsCache.recordPoint(c.key(), c.readTs(), c.txnId());
    return new ValueReply(r.value(), env.clock.now());
  }

  Reply scan(RangeState s, Scan c) {
    if (!s.owns(c.start()) || !endWithin(s.desc, c.end())) {
      return env.mismatchReply(s);
    }
    Reply refused = refusal(s, c.readTs());
    if (refused != null) {
      return refused;
    }
    byte[] end = c.end() == null ? s.desc.endKey() : c.end();
    MvccStore.ScanResult r = s.store.scan(c.start(), end, c.readTs(), c.txnId(), c.limit(), RangeActor.MAX_SCAN_BYTES,
        c.locking(), c.uncertaintyLimit());
    if (r.uncertain() != null) {
      return new UncertainReply(r.uncertain(), env.clock.now());
    }
    if (!r.conflicts().isEmpty() && !c.skipLocked()) {
      return new ConflictReply(r.conflicts(), env.clock.now());
    }
    // With a limit, only the part actually returned was read.
    byte[] readEnd = r.resumeKey() != null ? r.resumeKey() : end;
    if (c.limit() > 0 && r.rows().size() >= c.limit()) {
      readEnd = Keys.next(r.rows().get(r.rows().size() - 1).key());
    }
    tsCache.recordSpan(c.start(), readEnd, c.readTs(), c.txnId());
    return new RowsReply(r.rows(), r.resumeKey(), r.conflicts(), env.clock.now());
  }

  /** Fails if anything in the spans changed in (from, to]; else records the reads at {@code to}. */
  ReplyEffect<Event, RangeState> refresh(RangeState s, Refresh c) {
    for (Span sp : c.spans()) {
      if (!s.owns(sp.start()) || !endWithin(s.desc, sp.end())) {
        return env.mismatch(s, c.replyTo());
      }
    }
    if (c.from().compareTo(gc.floor(s)) < 0) {
      // Changes since then may have been collected (a tombstone leaves no trace): cannot validate.
      return env.effect.reply(c.replyTo(), new RefreshFailedReply(env.clock.now()));
    }
    for (Span sp : c.spans()) {
      if (s.store.changedBetween(sp.start(), sp.end(), c.from(), c.to(), c.txnId())) {
        return env.effect.reply(c.replyTo(), new RefreshFailedReply(env.clock.now()));
      }
    }
    for (Span sp : c.spans()) {
      tsCache.recordSpan(sp.start(), sp.end(), c.to(), c.txnId());
    }
    return env.effect.reply(c.replyTo(), env.ack());
  }

  /**
   * Why a read at {@code readTs} cannot be served (null: it can): the timestamp is too far ahead
   * of this range's clock, or below the GC floor ({@link RangeGc#floor}). Merges it into the clock.
   */
  private Reply refusal(RangeState s, Timestamp readTs) {
    if (!env.observe(readTs)) {
      return env.offsetReply();
    }
    Timestamp floor = gc.floor(s);
    return readTs.compareTo(floor) < 0 ? new BelowGcThresholdReply(readTs, floor, env.clock.now()) : null;
  }

  private static boolean endWithin(RangeDescriptor desc, byte[] end) {
    if (desc.endKey() == null) {
      return true;
    }
    return end != null && Keys.compare(end, desc.endKey()) <= 0;
  }
}
