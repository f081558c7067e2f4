package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.range.RangeActor.AckReply;
import org.troupedb.range.RangeActor.EndTxn;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.GcTxnRecord;
import org.troupedb.range.RangeActor.GcTxnRecords;
import org.troupedb.range.RangeActor.Heartbeat;
import org.troupedb.range.RangeActor.IntentsResolved;
import org.troupedb.range.RangeActor.IntentsRolledBack;
import org.troupedb.range.RangeActor.PushTxn;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.ResolveIntents;
import org.troupedb.range.RangeActor.RollbackIntents;
import org.troupedb.range.RangeActor.TxnRecordRemoved;
import org.troupedb.range.RangeActor.TxnRecordWritten;
import org.troupedb.range.RangeActor.TxnStatusReply;
import org.troupedb.range.RangeActor.WaitForTxn;

/**
 * A range's part in the life of transactions (DESIGN §5): the records of the transactions
 * anchored here (end, push, heartbeat, GC), the resolution and rollback of intents, and the
 * in-memory queues of transactions waiting for another one's intents to go.
 *
 * <p>NB: heartbeats, the waiting set and the waiter queues live only in memory: a range that
 * restarts (or moves to another node) forgets them; a grace period of one expiry from the
 * incarnation's start keeps a live transaction's PENDING record from looking abandoned before its
 * coordinator's next heartbeat arrives. Confined to the actor's thread.
 */
final class RangeTxnRecords {
  private final RangeEnv env;
  private final EndPersister persister;
  /** Last heartbeat (physical nanos) of each PENDING transaction anchored here. */
  private final Map<UUID, Long> heartbeats = new HashMap<>();
  /**
   * When this incarnation started (physical nanos): heartbeats sent to a previous one (maybe on
   * another node, before the range moved) are lost, so a PENDING record counts as heartbeated then
   * too: a live transaction gets a full expiry period to reach the new incarnation.
   */
  private final long incarnationStart;
  /** Transactions anchored here that said (by heartbeat) they are waiting on another one. */
  private final Set<UUID> waiting = new HashSet<>();
  /** Who waits for each holder's intents here to go. */
  private final Map<UUID, List<ActorRef<Reply>>> waiters = new HashMap<>();

  /**
   * How a transaction's end is persisted: the range's group commit (one journal write with the
   * writes and ends around it); {@code after} runs once durable and replies.
   */
  @FunctionalInterface
  interface EndPersister {
    ReplyEffect<Event, RangeState> persist(List<Event> events, List<byte[]> keys, List<UUID> txnIds, Runnable after);
  }

  RangeTxnRecords(RangeEnv env, EndPersister persister) {
    this.env = env;
    this.persister = persister;
    this.incarnationStart = env.clock.physicalNow();
  }

  /** Whether anyone waits here for another transaction's intents (such a range must not stop). */
  boolean hasWaiters() {
    return !waiters.isEmpty();
  }

  ReplyEffect<Event, RangeState> onEndTxn(RangeState s, EndTxn c) {
    TxnMeta txn = c.txn();
    if (!s.owns(txn.anchorKey())) {
      return env.mismatch(s, c.replyTo());
    }
    for (byte[] k : c.localKeys()) {
      if (!s.owns(k)) {
        return env.mismatch(s, c.replyTo());
      }
    }
    TxnRecord rec = s.txnRecords.get(txn.id());
    if (rec != null && rec.status() == TxnStatus.COMMITTED) {
      return env.effect.reply(c.replyTo(), new TxnStatusReply(TxnStatus.COMMITTED, rec.commitTs(), env.clock.now()));
    }
    if (rec != null && rec.status() == TxnStatus.ABORTED && c.commit()) {
      return env.effect.reply(c.replyTo(), new TxnStatusReply(TxnStatus.ABORTED, null, env.clock.now()));
    }
    TxnStatus status = c.commit() ? TxnStatus.COMMITTED : TxnStatus.ABORTED;
    List<Event> events = new ArrayList<>(2);
    if (!c.localKeys().isEmpty()) {
      events.add(new IntentsResolved(txn.id(), c.commit(), c.commitTs(), c.localKeys()));
    }
    if (c.keepRecord()) {
      long start = rec == null ? env.clock.physicalNow() : rec.startWall();
      events.add(new TxnRecordWritten(new TxnRecord(txn, status, c.commitTs(), start)));
    } else if (rec != null) {
      events.add(new TxnRecordRemoved(txn.id()));
    }
    heartbeats.remove(txn.id());
    waiting.remove(txn.id());
    if (events.isEmpty()) {
      return env.effect.reply(c.replyTo(), statusReply(status, c));
    }
    env.stats.intentsResolved.add(c.localKeys().size());
    return persister.persist(events, c.localKeys(), List.of(txn.id()), () -> {
      wake(txn.id());
      c.replyTo().tell(statusReply(status, c));
    });
  }

  private TxnStatusReply statusReply(TxnStatus status, EndTxn c) {
    return new TxnStatusReply(status, c.commitTs(), env.clock.now());
  }

  ReplyEffect<Event, RangeState> onResolve(RangeState s, ResolveIntents c) {
    return changeOwnIntents(s, c.txnId(), c.keys(), c.replyTo(),
        mine -> new IntentsResolved(c.txnId(), c.commit(), c.commitTs(), mine));
  }

  /**
   * ResolveIntents for many transactions: one persist resolves, per transaction, the keys at which
   * it still holds an intent or lock (one {@link IntentsResolved} event each), then wakes each
   * one's waiters; acknowledges at once when none holds any of them.
   */
  ReplyEffect<Event, RangeState> onResolveBatch(RangeState s, RangeActor.ResolveIntentsBatch c) {
    List<Event> events = new ArrayList<>(c.resolutions().size());
    List<byte[]> latched = new ArrayList<>();
    List<UUID> ids = new ArrayList<>(c.resolutions().size());
    for (RangeActor.Resolution res : c.resolutions()) {
      List<byte[]> mine = new ArrayList<>(res.keys().size());
      for (byte[] k : res.keys()) {
        if (!s.owns(k)) {
          return env.mismatch(s, c.replyTo()); // the sender re-groups by the new ranges
        }
        if (s.store.holds(k, res.txnId())) {
          mine.add(k);
        }
      }
      if (!mine.isEmpty()) {
        events.add(new IntentsResolved(res.txnId(), res.commit(), res.commitTs(), mine));
        latched.addAll(mine);
        ids.add(res.txnId());
      }
    }
    if (events.isEmpty()) {
      return env.effect.reply(c.replyTo(), env.ack());
    }
    env.stats.intentsResolved.add(latched.size());
    env.stats.resolveBatchTxns.add(ids.size());
    return persister.persist(events, latched, ids, () -> {
      for (UUID id : ids) {
        wake(id);
      }
      c.replyTo().tell(env.ack());
    });
  }

  ReplyEffect<Event, RangeState> onRollbackIntents(RangeState s, RollbackIntents c) {
    return changeOwnIntents(s, c.txnId(), c.keys(), c.replyTo(),
        mine -> new IntentsRolledBack(c.txnId(), c.fromSeq(), mine));
  }

  /**
   * Persists {@code event} for the {@code keys} at which {@code txnId} still holds an intent or a
   * shared lock, then wakes the transactions waiting for it (they re-check: a key may now be free,
   * or hold a restored intent); acknowledges at once when it holds none of them.
   */
  private ReplyEffect<Event, RangeState> changeOwnIntents(RangeState s, UUID txnId, List<byte[]> keys,
      ActorRef<Reply> replyTo, Function<List<byte[]>, Event> event) {
    List<byte[]> mine = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      if (!s.owns(k)) {
        return env.mismatch(s, replyTo);
      }
      if (s.store.holds(k, txnId)) {
        mine.add(k);
      }
    }
    if (mine.isEmpty()) {
      return env.effect.reply(replyTo, env.ack());
    }
    env.stats.intentsResolved.add(mine.size());
    return persister.persist(List.of(event.apply(mine)), mine, List.of(txnId), () -> {
      wake(txnId);
      replyTo.tell(env.ack());
    });
  }

  ReplyEffect<Event, RangeState> onWait(RangeState s, WaitForTxn c) {
    if (!s.owns(c.key())) {
      return env.mismatch(s, c.replyTo());
    }
    if (!s.store.holds(c.key(), c.holder())) {
      return env.effect.reply(c.replyTo(), env.ack());
    }
    List<ActorRef<Reply>> list = waiters.computeIfAbsent(c.holder(), k -> new ArrayList<>());
    if (list.size() < 1000) {
      list.add(c.replyTo());
    }
    return env.effect.noReply();
  }

  /** Wakes the waiters of {@code txnId} (its intents here were resolved); they re-check. */
  private void wake(UUID txnId) {
    List<ActorRef<Reply>> list = waiters.remove(txnId);
    if (list != null) {
      AckReply ack = env.ack();
      for (ActorRef<Reply> w : list) {
        w.tell(ack);
      }
    }
  }

  /** Wakes every waiter (after a split moved intents away); they re-check and re-route. */
  void wakeAll() {
    for (UUID id : new ArrayList<>(waiters.keySet())) {
      wake(id);
    }
  }

  ReplyEffect<Event, RangeState> onPush(RangeState s, PushTxn c) {
    TxnMeta pushee = c.pushee();
    if (!s.owns(pushee.anchorKey())) {
      return env.mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(pushee.id());
    if (rec != null && rec.status().isFinal()) {
      return env.effect.reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), env.clock.now()));
    }
    long now = env.clock.physicalNow();
    if (rec != null) {
      long last = Math.max(Math.max(rec.startWall(), incarnationStart), heartbeats.getOrDefault(pushee.id(), 0L));
      boolean expired = now - last > env.settings.txnExpiry().toNanos();
      // Only a pushee that is itself waiting can be in a deadlock cycle; in a cycle every member
      // waits, so the highest-priority one aborts its holder and the cycle breaks.
      boolean breaksCycle = c.pusherPriority() > rec.meta().priority() && waiting.contains(pushee.id());
      if (!expired && !breaksCycle) {
        return env.effect.reply(c.replyTo(), new TxnStatusReply(TxnStatus.PENDING, null, env.clock.now()));
      }
    }
    // Absent (never written, or its writer has not reached this range yet) or abandoned: abort,
    // which also keeps a late first write of the pushee from creating a PENDING record.
    TxnRecord aborted = new TxnRecord(rec == null ? pushee : rec.meta(), TxnStatus.ABORTED, null, now);
    heartbeats.remove(pushee.id());
    waiting.remove(pushee.id());
    env.stats.txnJournalWrites.increment();
    return env.effect.persist(new TxnRecordWritten(aborted))
        .thenReply(c.replyTo(), st -> new TxnStatusReply(TxnStatus.ABORTED, null, env.clock.now()));
  }

  ReplyEffect<Event, RangeState> onHeartbeat(RangeState s, Heartbeat c) {
    if (!s.owns(c.anchorKey())) {
      return env.mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(c.txnId());
    if (rec == null || rec.status() == TxnStatus.PENDING) {
      heartbeats.put(c.txnId(), env.clock.physicalNow());
      if (c.waiting()) {
        waiting.add(c.txnId());
      } else {
        waiting.remove(c.txnId());
      }
      return env.effect.reply(c.replyTo(), new TxnStatusReply(TxnStatus.PENDING, null, env.clock.now()));
    }
    return env.effect.reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), env.clock.now()));
  }

  ReplyEffect<Event, RangeState> onGc(RangeState s, GcTxnRecord c) {
    if (!s.owns(c.anchorKey())) {
      return env.mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(c.txnId());
    if (rec == null || !rec.status().isFinal()) {
      return env.effect.reply(c.replyTo(), env.ack());
    }
    return persister.persist(List.of(new TxnRecordRemoved(c.txnId())), List.of(), List.of(c.txnId()),
        () -> c.replyTo().tell(env.ack()));
  }

  /**
   * GcTxnRecord for many transactions: one persist removes every final record among them (the
   * sender asks only once each one's intents are all resolved); PENDING or absent ones are left.
   */
  ReplyEffect<Event, RangeState> onGcBatch(RangeState s, GcTxnRecords c) {
    for (byte[] anchor : c.anchorKeys()) {
      if (!s.owns(anchor)) {
        return env.mismatch(s, c.replyTo()); // the sender re-groups by the new ranges
      }
    }
    List<Event> events = new ArrayList<>(c.txnIds().size());
    List<UUID> ids = new ArrayList<>(c.txnIds().size());
    for (UUID id : c.txnIds()) {
      TxnRecord rec = s.txnRecords.get(id);
      if (rec != null && rec.status().isFinal()) {
        events.add(new TxnRecordRemoved(id));
        ids.add(id);
      }
    }
    if (events.isEmpty()) {
      return env.effect.reply(c.replyTo(), env.ack());
    }
    return persister.persist(events, List.of(), ids, () -> c.replyTo().tell(env.ack()));
  }
}
