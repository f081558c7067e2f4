package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.ConflictReply;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.Flush;
import org.troupedb.range.RangeActor.IntentsWritten;
import org.troupedb.range.RangeActor.KeyExistsReply;
import org.troupedb.range.RangeActor.PushedReply;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.TxnStatusReply;
import org.troupedb.range.RangeActor.ValuesCommitted;
import org.troupedb.range.RangeActor.Write;
import org.troupedb.range.RangeActor.WrittenReply;

/**
 * A range's write path: a {@link Write} evaluated against durable state (timestamp cache pushes,
 * write checks, 1PC), then persisted through group commit (DESIGN §4), together with the ends of
 * transactions ({@link RangeTxnRecords} hands them in through {@link #persistEnd}).
 *
 * <pre>
 *   Write ─ evaluate ─▶ queue in {@link RangeGroupCommit} (keys latched) ─┐  first in queue:
 *   EndTxn / ResolveIntents / … ─▶ queue (keys and transaction latched) ──┤  Flush to self
 *                                                                         ▼
 *   Flush ─▶ persist every queued event as ONE journal write ─▶ reply to all, run the ends'
 *            continuations, maybe split ─▶ unstash what the latches held back
 * </pre>
 *
 * Commands that arrive while a persist is in flight are stashed by Pekko and replayed after it,
 * so they pile up into the next flush. Without {@code group-commit} (or {@code
 * group-commit-ends}) each write (or end) is persisted on its own, the way Pekko does by default.
 *
 * <p>NB: runs on the actor's thread only, inside the command handler (so with the range's state
 * lock held: local readers look at the queue's latches under that lock).
 */
final class RangeWrites {
  private final RangeEnv env;
  private final TimestampCache tsCache;
  private final RangeGroupCommit pending;
  /** The lock and phase the flush's callback releases the batch's latches under. */
  private final RangeSharedState shared;
  /** troupedb.kv.group-commit-ends: transaction ends join the group commit (else one persist each). */
  private final boolean groupCommitEnds;
  /** Runs once a write is durable (the size-triggered split check). */
  private final Consumer<RangeState> afterDurable;

  RangeWrites(RangeEnv env, TimestampCache tsCache, RangeSharedState shared, boolean groupCommitEnds,
      Consumer<RangeState> afterDurable) {
    this.env = env;
    this.tsCache = tsCache;
    this.shared = shared;
    this.pending = shared.pending;
    this.groupCommitEnds = groupCommitEnds;
    this.afterDurable = afterDurable;
  }

  ReplyEffect<Event, RangeState> onWrite(RangeState s, Write c) {
    TxnMeta txn = c.txn();
    List<WriteOp> ops = c.ops();
    for (int i = 0; i < ops.size(); i++) {
      if (!s.owns(ops.get(i).key())) {
        return env.mismatch(s, c.replyTo());
      }
    }
    if (!env.observe(txn.writeTs())) {
      return env.offset(c.replyTo());
    }
    boolean anchorHere = s.owns(txn.anchorKey());
    TxnRecord rec = anchorHere ? s.txnRecords.get(txn.id()) : null;
    if (rec != null && rec.status() != TxnStatus.PENDING) {
      return env.effect.reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), env.clock.now()));
    }
    Timestamp writeTs = txn.writeTs();
    Map<byte[], Boolean> batchLive = ops.size() > 1 ? new TreeMap<>(Keys.COMPARATOR) : null;
    List<Intent> conflicts = null;
    for (int i = 0; i < ops.size(); i++) {
      WriteOp op = ops.get(i);
      // A lock changes no value: reads by others at or above it need not move it.
      boolean lock = op.kind() == WriteOp.Kind.LOCK || op.kind() == WriteOp.Kind.SHARED_LOCK;
      Timestamp read = lock ? Timestamp.ZERO : tsCache.maxReadByOthers(op.key(), txn.id());
      if (read.compareTo(writeTs) >= 0) {
        writeTs = read.next();
      }
      MvccStore.WriteCheck check = s.store.checkWrite(op, txn.id(), txn.readTs(), writeTs,
          batchLive == null ? null : batchLive.get(op.key()));
      if (check.conflict() != null) {
        if (conflicts == null) {
          conflicts = new ArrayList<>();
        }
        conflicts.add(check.conflict());
        continue;
      }
      if (check.keyExists()) {
        return env.effect.reply(c.replyTo(),
            new KeyExistsReply(op.key(), check.keyExistsSinceRead(), env.clock.now()));
      }
      if (check.minWriteTs() != null && check.minWriteTs().compareTo(writeTs) > 0) {
        writeTs = check.minWriteTs();
      }
      if (batchLive != null) {
        batchLive.put(op.key(), op.kind() != WriteOp.Kind.DELETE);
      }
    }
    if (conflicts != null) {
      return env.effect.reply(c.replyTo(), new ConflictReply(conflicts, env.clock.now()));
    }
    Timestamp finalTs = writeTs;
    if (c.onePhase()) {
      if (finalTs.compareTo(txn.writeTs()) > 0 && !c.mayPush()) {
        return env.effect.reply(c.replyTo(), new PushedReply(finalTs, env.clock.now()));
      }
      env.stats.onePhaseCommits.increment();
      return persistWrite(new ValuesCommitted(finalTs, ops), ops, finalTs, c.replyTo());
    }
    boolean createRecord = anchorHere && rec == null;
    env.stats.intentsWritten.add(ops.size());
    return persistWrite(new IntentsWritten(txn.withWriteTs(finalTs), ops, createRecord, env.clock.physicalNow()),
        ops, finalTs, c.replyTo());
  }

  /**
   * Group commit of one write: queued for the next flush (which the first write in an empty queue
   * schedules); the reply comes from the flush once it is durable.
   */
  private ReplyEffect<Event, RangeState> persistWrite(Event event, List<WriteOp> ops, Timestamp ts,
      ActorRef<Reply> replyTo) {
    env.stats.writeCommands.increment();
    if (!env.settings.groupCommit()) {
      env.stats.writeJournalWrites.increment();
      return env.effect.persist(event).thenRun(afterDurable::accept)
          .thenReply(replyTo, st -> new WrittenReply(ts, env.clock.now()));
    }
    if (pending.add(event, ops, ts, replyTo)) {
      env.ctx.getSelf().tell(Flush.INSTANCE);
    }
    return env.effect.noReply();
  }

  /**
   * Group commit of a transaction's end (EndTxn, ResolveIntents, RollbackIntents, GcTxnRecord[s]):
   * its events join the queue of the next flush, and {@code after} (which replies) runs once they
   * are durable. Its keys and transaction are latched meanwhile ({@link RangeGroupCommit#addEnd}).
   */
  ReplyEffect<Event, RangeState> persistEnd(List<Event> events, List<byte[]> keys, List<UUID> txnIds,
      Runnable after) {
    env.stats.txnEnds.increment();
    if (!groupCommitEnds) {
      env.stats.txnJournalWrites.increment();
      return env.effect.persist(events).thenRun(st -> after.run()).thenNoReply();
    }
    if (pending.addEnd(events, keys, txnIds, after)) {
      env.ctx.getSelf().tell(Flush.INSTANCE);
    }
    return env.effect.noReply();
  }

  /**
   * Persists everything queued as one journal write (the batch's keys stay latched for local
   * reads meanwhile: FLUSHING), then releases the latches and replies.
   */
  ReplyEffect<Event, RangeState> onFlush() {
    if (pending.isEmpty()) {
      return env.effect.noReply();
    }
    env.stats.writeJournalWrites.increment();
    RangeGroupCommit.Batch batch = pending.drain();
    long persistStart = System.nanoTime();
    return env.effect.persist(batch.events()).thenRun(st -> shared.flushDurable(() -> {
      env.stats.journalWriteTook(System.nanoTime() - persistStart);
      Timestamp now = env.clock.now();
      for (int i = 0; i < batch.repliers().size(); i++) {
        batch.repliers().get(i).tell(new WrittenReply(batch.stamps().get(i), now));
      }
      for (Runnable after : batch.afterwards()) {
        after.run();
      }
      afterDurable.accept(st);
    })).thenNoReply().thenUnstashAll();
  }

  /** Whether writes are queued that are not yet persisted (such a range must not stop). */
  boolean queued() {
    return !pending.isEmpty();
  }
}
