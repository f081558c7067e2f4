package org.troupedb.range;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.troupedb.hlc.ClockOffsetException;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * One range of the key space as a sharded, event-sourced actor (entity id = range id). It
 * sequences commands, evaluates them against its {@link MvccStore} (no MVCC rules live here),
 * persists the resulting events and replies. Every reply carries the range's clock.
 *
 * <pre>
 *  Get / Scan ─────────────▶ evaluate ─▶ reply (no persist; reads recorded in the ts cache)
 *  Write ──▶ evaluate ─▶ persist IntentsWritten (or ValuesCommitted for 1PC) ─▶ reply
 *  EndTxn / PushTxn / ResolveIntents / GcTxnRecord ─▶ persist record/intent events ─▶ reply
 *  Split ─▶ InitRange(right half) to the new range ─(ack)─▶ persist RangeSplit ─▶ reply
 *           (every other command is stashed meanwhile)
 * </pre>
 *
 * <p>A command for a key this range does not own gets a {@link MismatchReply} carrying this
 * range's descriptor and its most recent right sibling, so routers can fix their caches.
 *
 * <p>NB: a batch of writes is one persist (one event carrying the list). Group commit across
 * concurrent commands is not done yet: commands arriving during a persist are stashed by Pekko
 * and persisted one by one afterwards; a front batching stage would merge them into one Write.
 */
public final class RangeActor
    extends EventSourcedBehaviorWithEnforcedReplies<RangeActor.Command, RangeActor.Event, RangeState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Range");

  /** Tuning of range actors, from {@code troupedb.kv} in the config. */
  public record Settings(int snapshotEvery, Duration txnExpiry, int tsCachePoints, int tsCacheSpans, int splitKeys,
      boolean groupCommit, Duration gcTtl) {
    public static Settings fromConfig(com.typesafe.config.Config root) {
      com.typesafe.config.Config c = root.getConfig("troupedb.kv");
      return new Settings(c.getInt("snapshot-every"), c.getDuration("txn-expiry"),
          c.getInt("ts-cache-points"), c.getInt("ts-cache-spans"), c.getInt("split-keys"),
          c.getBoolean("group-commit"), c.getDuration("gc-ttl"));
    }
  }

  // ------------------------------------------------------------------ commands

  /** Everything a range actor accepts. {@code replyTo} is always the last field. */
  public sealed interface Command extends KvSerializable {}

  /**
   * Reads {@code key} at {@code readTs} for transaction {@code txnId}; {@code locking} (a read that
   * will lock what it finds): other transactions' lock-only intents are conflicts too. A committed
   * version in {@code (readTs, uncertaintyLimit]} (null: none) is answered with
   * {@link UncertainReply}.
   */
  public record Get(byte[] key, UUID txnId, Timestamp readTs, boolean locking, Timestamp uncertaintyLimit,
      ActorRef<Reply> replyTo) implements Command {
    public Get(byte[] key, UUID txnId, Timestamp readTs, boolean locking, ActorRef<Reply> replyTo) {
      this(key, txnId, readTs, locking, null, replyTo);
    }

    public Get(byte[] key, UUID txnId, Timestamp readTs, ActorRef<Reply> replyTo) {
      this(key, txnId, readTs, false, null, replyTo);
    }
  }

  /**
   * Reads live rows in {@code [start, end)} (end within this range; null: to its end), ≤ limit
   * (≤0: all); {@code locking} as for {@link Get}. {@code skipLocked} (SKIP LOCKED): rows held by
   * other transactions are left out and listed in {@link RowsReply#skipped()} instead of failing
   * the scan with a conflict.
   */
  public record Scan(byte[] start, byte[] end, UUID txnId, Timestamp readTs, int limit, boolean locking,
      boolean skipLocked, Timestamp uncertaintyLimit, ActorRef<Reply> replyTo) implements Command {
    public Scan(byte[] start, byte[] end, UUID txnId, Timestamp readTs, int limit, boolean locking,
        ActorRef<Reply> replyTo) {
      this(start, end, txnId, readTs, limit, locking, false, null, replyTo);
    }

    public Scan(byte[] start, byte[] end, UUID txnId, Timestamp readTs, int limit, ActorRef<Reply> replyTo) {
      this(start, end, txnId, readTs, limit, false, false, null, replyTo);
    }
  }

  /**
   * Lays the batch as intents of {@code txn} (one persist), or with {@code onePhase} commits it
   * directly: the whole transaction is this batch. {@code mayPush}: a 1PC may commit above the
   * transaction's read timestamp (it read nothing that a push could invalidate).
   */
  public record Write(TxnMeta txn, List<WriteOp> ops, boolean onePhase, boolean mayPush, ActorRef<Reply> replyTo)
      implements Command {}

  /** Fails if anything in {@code spans} changed in (from, to]; else records the reads at {@code to}. */
  public record Refresh(List<Span> spans, UUID txnId, Timestamp from, Timestamp to, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Finishes {@code txn} at its anchor range: resolves {@code localKeys} here and, when
   * {@code keepRecord} (intents elsewhere remain), writes the final record; else drops it.
   */
  public record EndTxn(TxnMeta txn, boolean commit, Timestamp commitTs, List<byte[]> localKeys, boolean keepRecord,
      ActorRef<Reply> replyTo) implements Command {}

  /** Commits or aborts {@code txnId}'s intents at {@code keys} (all in this range). */
  public record ResolveIntents(UUID txnId, boolean commit, Timestamp commitTs, List<byte[]> keys,
      ActorRef<Reply> replyTo) implements Command {}

  /**
   * ROLLBACK TO SAVEPOINT: undoes {@code txnId}'s writes and locks with sequence number ≥
   * {@code fromSeq} at {@code keys} (all in this range), restoring its earlier intents there.
   */
  public record RollbackIntents(UUID txnId, int fromSeq, List<byte[]> keys, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Asks the status of {@code pushee} at its anchor range, aborting it if absent or expired —
   * or, when {@code pusherPriority} is higher than the pushee's, even if alive (that is how a
   * waiter breaks a deadlock). Pass 0 to only learn the status.
   */
  public record PushTxn(TxnMeta pushee, int pusherPriority, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Keeps a PENDING record alive (in memory); replies the record's status. {@code waiting}: the
   * transaction is blocked on another one's intent, so a higher-priority pusher may abort it (it
   * may be part of a deadlock cycle); a transaction that is not waiting is never aborted by a push
   * while its heartbeat is fresh.
   */
  public record Heartbeat(UUID txnId, byte[] anchorKey, boolean waiting, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Replies {@link AckReply} once {@code holder}'s intent at {@code key} is gone (resolved or
   * moved away by a split); immediately if it already is. The wait is bounded by the asker's
   * timeout; nothing is persisted (the waiters live in memory).
   */
  public record WaitForTxn(UUID holder, byte[] key, ActorRef<Reply> replyTo) implements Command {}

  /** Drops a final transaction record once all its intents are resolved. */
  public record GcTxnRecord(UUID txnId, byte[] anchorKey, ActorRef<Reply> replyTo) implements Command {}

  /** Creates this range (idempotent): descriptor and initial data (the right half of a split). */
  public record InitRange(RangeDescriptor desc, List<MvccStore.KeySnapshot> data, List<TxnRecord> txnRecords,
      ActorRef<Reply> replyTo) implements Command {}

  /** Splits this range at {@code splitKey}; the right half becomes range {@code newRangeId}. */
  public record Split(byte[] splitKey, long newRangeId, ActorRef<Reply> replyTo) implements Command {}

  /** Meta range: creates the initial layout on first start (idempotent); replies the directory. */
  public record BootstrapMeta(ActorRef<Reply> replyTo) implements Command {}

  /** Meta range: the range directory. */
  public record GetDirectory(ActorRef<Reply> replyTo) implements Command {}

  /** Meta range: reserves a fresh range id. */
  public record AllocateRangeId(ActorRef<Reply> replyTo) implements Command {}

  /** Meta range: records new or changed descriptors (after a split). */
  public record UpdateDirectory(List<RangeDescriptor> descriptors, ActorRef<Reply> replyTo) implements Command {}

  /** Internal: the right half of a split is durable (or failed). */
  record SplitRightDone(Split split, RangeDescriptor left, RangeDescriptor right, String failure)
      implements Command {}

  /** Internal: a range id for a size-triggered split was allocated (or not: -1). */
  record AutoSplit(long newRangeId) implements Command {}

  /** Internal: the reply to a size-triggered split. */
  record AutoSplitDone(Reply reply) implements Command {}

  /** Internal: the meta range acknowledged (or not) the record of a split-off range. */
  record MetaRecorded(RangeDescriptor right, boolean ok) implements Command {}

  /** Internal: persist the writes evaluated since the last flush as one journal write. */
  enum Flush implements Command { INSTANCE }

  /** A key span {@code [start, end)}; null end: unbounded. */
  public record Span(byte[] start, byte[] end) implements KvSerializable {}

  // ------------------------------------------------------------------ events

  /** Everything a range persists. */
  public sealed interface Event extends KvSerializable {}

  public record IntentsWritten(TxnMeta txn, List<WriteOp> ops, boolean createRecord, long wallTime)
      implements Event {}

  public record ValuesCommitted(Timestamp commitTs, List<WriteOp> ops) implements Event {}

  public record IntentsResolved(UUID txnId, boolean commit, Timestamp commitTs, List<byte[]> keys)
      implements Event {}

  public record IntentsRolledBack(UUID txnId, int fromSeq, List<byte[]> keys) implements Event {}

  public record TxnRecordWritten(TxnRecord record) implements Event {}

  public record TxnRecordRemoved(UUID txnId) implements Event {}

  public record RangeInitialized(RangeDescriptor desc, List<MvccStore.KeySnapshot> data, List<TxnRecord> txnRecords)
      implements Event {}

  public record RangeSplit(RangeDescriptor left, RangeDescriptor right) implements Event {}

  /** The meta range has recorded the split-off range {@code right}. */
  public record DirectoryRecorded(RangeDescriptor right) implements Event {}

  public record MetaBootstrapped(List<RangeDescriptor> descriptors, long nextRangeId) implements Event {}

  public record RangeIdAllocated(long rangeId) implements Event {}

  public record DirectoryUpdated(List<RangeDescriptor> descriptors) implements Event {}

  // ------------------------------------------------------------------ replies

  /** Every reply carries the replying range's clock reading. */
  public sealed interface Reply extends KvSerializable {
    Timestamp clock();
  }

  public record ValueReply(byte[] value, Timestamp clock) implements Reply {}

  /** Rows in key order; a non-null {@code resumeKey} means the reply was cut short: continue there. */
  public record RowsReply(List<Kv> rows, byte[] resumeKey, List<Intent> skipped, Timestamp clock) implements Reply {
    public RowsReply(List<Kv> rows, byte[] resumeKey, Timestamp clock) {
      this(rows, resumeKey, List.of(), clock);
    }
  }

  /** A scan reply carries about this many bytes at most (cluster messages must stay small). */
  static final long MAX_SCAN_BYTES = 128 * 1024;

  /** The writes were laid (or committed) at {@code writeTs}, possibly pushed above the requested one. */
  public record WrittenReply(Timestamp writeTs, Timestamp clock) implements Reply {}

  /** The key is not in this range; {@code actual} is null if the range does not exist (yet). */
  public record MismatchReply(RangeDescriptor actual, RangeDescriptor rightSibling, Timestamp clock)
      implements Reply {}

  /**
   * A committed version at {@code valueTs} lies in the reader's uncertainty window: it may precede
   * the reader in real time, so the reader must read again at or above it.
   */
  public record UncertainReply(Timestamp valueTs, Timestamp clock) implements Reply {}

  /** Other transactions' intents are in the way. */
  public record ConflictReply(List<Intent> intents, Timestamp clock) implements Reply {}

  public record KeyExistsReply(byte[] key, boolean sinceRead, Timestamp clock) implements Reply {}

  /** A one-phase commit would have had to move to {@code writeTs}, which it may not. */
  public record PushedReply(Timestamp writeTs, Timestamp clock) implements Reply {}

  public record TxnStatusReply(TxnStatus status, Timestamp commitTs, Timestamp clock) implements Reply {}

  public record AckReply(Timestamp clock) implements Reply {}

  public record RefreshFailedReply(Timestamp clock) implements Reply {}

  public record DirectoryReply(List<RangeDescriptor> descriptors, Timestamp clock) implements Reply {}

  public record RangeIdReply(long rangeId, Timestamp clock) implements Reply {}

  public record SplitReply(RangeDescriptor left, RangeDescriptor right, Timestamp clock) implements Reply {}

  /** A request that cannot be served (e.g. clock offset too large, split failed). */
  public record FailedReply(String message, Timestamp clock) implements Reply {}

  // ------------------------------------------------------------------ construction

  private final ActorContext<Command> ctx;
  private final HybridClock clock;
  private final Settings settings;
  private final ClusterSharding sharding;
  private final TimestampCache tsCache;
  private final RangeStats stats;
  private final LocalRanges local;
  private final long rangeId;
  private final Map<UUID, Long> heartbeats = new HashMap<>();
  /** Transactions anchored here that said (by heartbeat) they are waiting on another one. */
  private final java.util.Set<UUID> waiting = new java.util.HashSet<>();
  private final Map<UUID, List<ActorRef<Reply>>> waiters = new HashMap<>();
  private volatile boolean splitting;
  // Local reads (readLocally): the state as of the last command or event, whether an event of
  // an in-flight persist may be in it, and whether recovery (replay of durable events) is over.
  private final java.util.concurrent.locks.ReentrantLock stateLock = new java.util.concurrent.locks.ReentrantLock();
  private RangeState published;
  private boolean persisting;
  private boolean recovered;
  private boolean autoSplitPending;
  // Group commit: writes evaluated but not yet persisted, their keys (latched) and repliers.
  private final List<Event> pendingEvents = new ArrayList<>();
  private final List<ActorRef<Reply>> pendingRepliers = new ArrayList<>();
  private final List<Timestamp> pendingTs = new ArrayList<>();
  private final TreeMap<byte[], Boolean> pendingKeys = new TreeMap<>(Keys.COMPARATOR);

  /** Registers the sharded range entity on this node; returns the shard region. */
  public static ActorRef<org.apache.pekko.cluster.sharding.typed.ShardingEnvelope<Command>> init(
      ActorSystem<?> system, HybridClock clock) {
    Settings settings = Settings.fromConfig(system.settings().config());
    ClusterSharding sharding = ClusterSharding.get(system);
    return sharding.init(Entity.of(ENTITY_TYPE_KEY, ec -> create(ec.getEntityId(), clock, settings, sharding))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(String rangeId, HybridClock clock, Settings settings, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new RangeActor(ctx, PersistenceId.of(ENTITY_TYPE_KEY.name(), rangeId), clock,
        settings, sharding));
  }

  private RangeActor(ActorContext<Command> ctx, PersistenceId pid, HybridClock clock, Settings settings,
      ClusterSharding sharding) {
    super(pid);
    this.ctx = ctx;
    this.clock = clock;
    this.settings = settings;
    this.sharding = sharding;
    // Reads served by a previous incarnation are unknown: no write may land at or below now.
    this.tsCache = new TimestampCache(clock.now(), settings.tsCachePoints(), settings.tsCacheSpans());
    this.stats = RangeStats.get(ctx.getSystem());
    this.local = LocalRanges.get(ctx.getSystem());
    this.rangeId = sharding == null ? -1 : Long.parseLong(pid.entityId());
  }

  @Override
  public RangeState emptyState() {
    return new RangeState(settings.gcTtl().toNanos());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Events before the older of the two kept snapshots are deleted: no reader needs them, and the
    // journal would otherwise grow with every write ever made.
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SnapshotAdapter<RangeState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RangeState state) {
        return state.toSnapshot();
      }

      @Override
      public RangeState fromJournal(Object from) {
        return RangeState.fromSnapshot((RangeState.Snapshot) from, settings.gcTtl().toNanos());
      }
    };
  }

  @Override
  public EventHandler<RangeState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
      stateLock.lock();
      try {
        // Pekko applies an event before its journal write completes: until the next command
        // (Pekko runs none while a persist is in flight) the state may hold what is not durable.
        persisting |= recovered;
        published = state.apply(event);
        return published;
      } finally {
        stateLock.unlock();
      }
    });
  }

  @Override
  public CommandHandlerWithReply<Command, Event, RangeState> commandHandler() {
    return (state, cmd) -> {
      stateLock.lock();
      try {
        published = state;
        ReplyEffect<Event, RangeState> effect = handle(state, cmd);
        // No command runs while a persist is in flight, so the state is durable now; but the
        // effect of a mutating command may persist (Pekko applies its events after this
        // returns): local reads wait for the next command, which runs only once that is done.
        persisting = !readOnly(cmd);
        return effect;
      } finally {
        stateLock.unlock();
      }
    };
  }

  /**
   * Answers a Get or Scan on the calling thread, without a trip through the mailbox, when that
   * is safe: the range is running, no split is in progress, its state holds only durable
   * writes, and no queued (group-commit) write latches the keys read. Otherwise null: send the
   * command to the actor. Evaluation is the actor's own ({@link #evalGet}, {@link #evalScan})
   * under {@code stateLock}, which the actor holds whenever it handles a command or applies an
   * event, so reads and writes stay serialized exactly as in the mailbox (the timestamp cache
   * records the read before any later write is evaluated).
   */
  Reply readLocally(Command cmd) {
    if (!(cmd instanceof Get) && !(cmd instanceof Scan)) {
      return null;
    }
    stateLock.lock();
    try {
      RangeState s = published;
      if (s == null || persisting || splitting || (!pendingEvents.isEmpty() && latched(cmd))) {
        return null;
      }
      stats.localReads.increment();
      return cmd instanceof Get g ? evalGet(s, g) : evalScan(s, (Scan) cmd);
    } finally {
      stateLock.unlock();
    }
  }

  ActorRef<Command> self() {
    return ctx.getSelf();
  }

  private static boolean readOnly(Command cmd) {
    return cmd instanceof Get || cmd instanceof Scan || cmd instanceof Refresh || cmd instanceof GetDirectory
        || cmd instanceof WaitForTxn;
  }

  private ReplyEffect<Event, RangeState> handle(RangeState state, Command cmd) {
    if (splitting && !(cmd instanceof SplitRightDone)) {
      return Effect().stash();
    }
    if (cmd == Flush.INSTANCE) {
      return onFlush();
    }
    if (!pendingEvents.isEmpty() && latched(cmd)) {
      return Effect().stash();
    }
    if (cmd instanceof Get c) {
      return onGet(state, c);
    } else if (cmd instanceof Scan c) {
      return onScan(state, c);
    } else if (cmd instanceof Write c) {
      return onWrite(state, c);
    } else if (cmd instanceof Refresh c) {
      return onRefresh(state, c);
    } else if (cmd instanceof EndTxn c) {
      return onEndTxn(state, c);
    } else if (cmd instanceof ResolveIntents c) {
      return onResolve(state, c);
    } else if (cmd instanceof RollbackIntents c) {
      return onRollbackIntents(state, c);
    } else if (cmd instanceof PushTxn c) {
      return onPush(state, c);
    } else if (cmd instanceof Heartbeat c) {
      return onHeartbeat(state, c);
    } else if (cmd instanceof WaitForTxn c) {
      return onWait(state, c);
    } else if (cmd instanceof GcTxnRecord c) {
      return onGc(state, c);
    } else if (cmd instanceof InitRange c) {
      return onInit(state, c);
    } else if (cmd instanceof Split c) {
      return onSplit(state, c);
    } else if (cmd instanceof SplitRightDone c) {
      return onSplitRightDone(state, c);
    } else if (cmd instanceof MetaRecorded c) {
      if (!c.ok()) {
        ctx.getLog().warn("meta range did not record {}; retrying", c.right());
        recordInMeta(state);
        return Effect().noReply();
      }
      return Effect().persist(new DirectoryRecorded(c.right())).thenNoReply().thenUnstashAll();
    } else if (cmd instanceof AutoSplit c) {
      return onAutoSplit(state, c);
    } else if (cmd instanceof AutoSplitDone c) {
      return onAutoSplitDone(c);
    } else if (cmd instanceof BootstrapMeta c) {
      return onBootstrap(state, c);
    } else if (cmd instanceof GetDirectory c) {
      return Effect().reply(c.replyTo(), new DirectoryReply(state.directory(), clock.now()));
    } else if (cmd instanceof AllocateRangeId c) {
      return onAllocate(state, c);
    } else if (cmd instanceof UpdateDirectory c) {
      return Effect().persist(new DirectoryUpdated(c.descriptors()))
          .thenReply(c.replyTo(), s -> new AckReply(clock.now()));
    }
    throw new IllegalStateException("unhandled command " + cmd);
  }

  // ------------------------------------------------------------------ reads

  private ReplyEffect<Event, RangeState> onGet(RangeState s, Get c) {
    return Effect().reply(c.replyTo(), evalGet(s, c));
  }

  private Reply evalGet(RangeState s, Get c) {
    if (!s.owns(c.key())) {
      return mismatchReply(s);
    }
    if (!observe(c.readTs())) {
      return offsetReply();
    }
    MvccStore.GetResult r = s.store.get(c.key(), c.readTs(), c.txnId(), c.locking(), c.uncertaintyLimit());
    if (r.uncertain() != null) {
      return new UncertainReply(r.uncertain(), clock.now());
    }
    if (r.conflict() != null) {
      return new ConflictReply(List.of(r.conflict()), clock.now());
    }
    tsCache.recordPoint(c.key(), c.readTs(), c.txnId());
    return new ValueReply(r.value(), clock.now());
  }

  private ReplyEffect<Event, RangeState> onScan(RangeState s, Scan c) {
    return Effect().reply(c.replyTo(), evalScan(s, c));
  }

  private Reply evalScan(RangeState s, Scan c) {
    if (!s.owns(c.start()) || !endWithin(s.desc, c.end())) {
      return mismatchReply(s);
    }
    if (!observe(c.readTs())) {
      return offsetReply();
    }
    byte[] end = c.end() == null ? s.desc.endKey() : c.end();
    MvccStore.ScanResult r = s.store.scan(c.start(), end, c.readTs(), c.txnId(), c.limit(), MAX_SCAN_BYTES,
        c.locking(), c.uncertaintyLimit());
    if (r.uncertain() != null) {
      return new UncertainReply(r.uncertain(), clock.now());
    }
    if (!r.conflicts().isEmpty() && !c.skipLocked()) {
      return new ConflictReply(r.conflicts(), clock.now());
    }
    // With a limit, only the part actually returned was read.
    byte[] readEnd = r.resumeKey() != null ? r.resumeKey() : end;
    if (c.limit() > 0 && r.rows().size() >= c.limit()) {
      readEnd = Keys.next(r.rows().get(r.rows().size() - 1).key());
    }
    tsCache.recordSpan(c.start(), readEnd, c.readTs(), c.txnId());
    return new RowsReply(r.rows(), r.resumeKey(), r.conflicts(), clock.now());
  }

  private ReplyEffect<Event, RangeState> onRefresh(RangeState s, Refresh c) {
    for (Span sp : c.spans()) {
      if (!s.owns(sp.start()) || !endWithin(s.desc, sp.end())) {
        return mismatch(s, c.replyTo());
      }
    }
    for (Span sp : c.spans()) {
      if (s.store.changedBetween(sp.start(), sp.end(), c.from(), c.to(), c.txnId())) {
        return Effect().reply(c.replyTo(), new RefreshFailedReply(clock.now()));
      }
    }
    for (Span sp : c.spans()) {
      tsCache.recordSpan(sp.start(), sp.end(), c.to(), c.txnId());
    }
    return Effect().reply(c.replyTo(), new AckReply(clock.now()));
  }

  // ------------------------------------------------------------------ writes and transactions

  private ReplyEffect<Event, RangeState> onWrite(RangeState s, Write c) {
    TxnMeta txn = c.txn();
    List<WriteOp> ops = c.ops();
    for (int i = 0; i < ops.size(); i++) {
      if (!s.owns(ops.get(i).key())) {
        return mismatch(s, c.replyTo());
      }
    }
    if (!observe(txn.writeTs())) {
      return offset(c.replyTo());
    }
    boolean anchorHere = s.owns(txn.anchorKey());
    TxnRecord rec = anchorHere ? s.txnRecords.get(txn.id()) : null;
    if (rec != null && rec.status() != TxnStatus.PENDING) {
      return Effect().reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), clock.now()));
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
        return Effect().reply(c.replyTo(), new KeyExistsReply(op.key(), check.keyExistsSinceRead(), clock.now()));
      }
      if (check.minWriteTs() != null && check.minWriteTs().compareTo(writeTs) > 0) {
        writeTs = check.minWriteTs();
      }
      if (batchLive != null) {
        batchLive.put(op.key(), op.kind() != WriteOp.Kind.DELETE);
      }
    }
    if (conflicts != null) {
      return Effect().reply(c.replyTo(), new ConflictReply(conflicts, clock.now()));
    }
    Timestamp finalTs = writeTs;
    if (c.onePhase()) {
      if (finalTs.compareTo(txn.writeTs()) > 0 && !c.mayPush()) {
        return Effect().reply(c.replyTo(), new PushedReply(finalTs, clock.now()));
      }
      return persistWrite(new ValuesCommitted(finalTs, ops), ops, finalTs, c.replyTo());
    }
    boolean createRecord = anchorHere && rec == null;
    return persistWrite(new IntentsWritten(txn.withWriteTs(finalTs), ops, createRecord, clock.physicalNow()), ops,
        finalTs, c.replyTo());
  }

  /**
   * Group commit (DESIGN §4): a write is evaluated against durable state and queued; one Flush,
   * sent to self, persists everything queued by then as ONE journal write and replies to all.
   * Commands that arrive while a persist is in flight are stashed by Pekko and replayed after
   * it, so they pile up into the next flush. Keys of queued writes are latched: a command
   * touching them (or any non-read command) waits in the stash until the flush is durable.
   */
  private ReplyEffect<Event, RangeState> persistWrite(Event event, List<WriteOp> ops, Timestamp ts,
      ActorRef<Reply> replyTo) {
    stats.writeCommands.increment();
    if (!settings.groupCommit()) {
      stats.writeJournalWrites.increment();
      return Effect().persist(event).thenRun(this::maybeSplit)
          .thenReply(replyTo, st -> new WrittenReply(ts, clock.now()));
    }
    if (pendingEvents.isEmpty()) {
      ctx.getSelf().tell(Flush.INSTANCE);
    }
    pendingEvents.add(event);
    pendingRepliers.add(replyTo);
    pendingTs.add(ts);
    for (int i = 0; i < ops.size(); i++) {
      pendingKeys.put(ops.get(i).key(), Boolean.TRUE);
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, RangeState> onFlush() {
    if (pendingEvents.isEmpty()) {
      return Effect().noReply();
    }
    stats.writeJournalWrites.increment();
    List<Event> events = new ArrayList<>(pendingEvents);
    List<ActorRef<Reply>> repliers = new ArrayList<>(pendingRepliers);
    List<Timestamp> stamps = new ArrayList<>(pendingTs);
    pendingEvents.clear();
    pendingRepliers.clear();
    pendingTs.clear();
    pendingKeys.clear();
    return Effect().persist(events).thenRun(st -> {
      Timestamp now = clock.now();
      for (int i = 0; i < repliers.size(); i++) {
        repliers.get(i).tell(new WrittenReply(stamps.get(i), now));
      }
      maybeSplit(st);
    }).thenNoReply().thenUnstashAll();
  }

  /** Whether {@code cmd} must wait for the queued writes: it reads a latched key or mutates. */
  private boolean latched(Command cmd) {
    if (cmd instanceof Get c) {
      return pendingKeys.containsKey(c.key());
    } else if (cmd instanceof Scan c) {
      return overlapsPending(c.start(), c.end());
    } else if (cmd instanceof Refresh c) {
      for (Span sp : c.spans()) {
        if (overlapsPending(sp.start(), sp.end())) {
          return true;
        }
      }
      return false;
    } else if (cmd instanceof Write c) {
      for (WriteOp op : c.ops()) {
        if (pendingKeys.containsKey(op.key())) {
          return true;
        }
      }
      return false;
    } else {
      return !(cmd instanceof GetDirectory);
    }
  }

  private boolean overlapsPending(byte[] start, byte[] end) {
    byte[] k = pendingKeys.ceilingKey(start);
    return k != null && (end == null || Keys.compare(k, end) < 0);
  }

  private ReplyEffect<Event, RangeState> onEndTxn(RangeState s, EndTxn c) {
    TxnMeta txn = c.txn();
    if (!s.owns(txn.anchorKey())) {
      return mismatch(s, c.replyTo());
    }
    for (byte[] k : c.localKeys()) {
      if (!s.owns(k)) {
        return mismatch(s, c.replyTo());
      }
    }
    TxnRecord rec = s.txnRecords.get(txn.id());
    if (rec != null && rec.status() == TxnStatus.COMMITTED) {
      return Effect().reply(c.replyTo(), new TxnStatusReply(TxnStatus.COMMITTED, rec.commitTs(), clock.now()));
    }
    if (rec != null && rec.status() == TxnStatus.ABORTED && c.commit()) {
      return Effect().reply(c.replyTo(), new TxnStatusReply(TxnStatus.ABORTED, null, clock.now()));
    }
    TxnStatus status = c.commit() ? TxnStatus.COMMITTED : TxnStatus.ABORTED;
    List<Event> events = new ArrayList<>(2);
    if (!c.localKeys().isEmpty()) {
      events.add(new IntentsResolved(txn.id(), c.commit(), c.commitTs(), c.localKeys()));
    }
    if (c.keepRecord()) {
      long start = rec == null ? clock.physicalNow() : rec.startWall();
      events.add(new TxnRecordWritten(new TxnRecord(txn, status, c.commitTs(), start)));
    } else if (rec != null) {
      events.add(new TxnRecordRemoved(txn.id()));
    }
    heartbeats.remove(txn.id());
    waiting.remove(txn.id());
    TxnStatusReply reply = new TxnStatusReply(status, c.commitTs(), null);
    if (events.isEmpty()) {
      return Effect().reply(c.replyTo(), withClock(reply));
    }
    return Effect().persist(events).thenRun(st -> wake(txn.id())).thenReply(c.replyTo(), st -> withClock(reply));
  }

  private ReplyEffect<Event, RangeState> onResolve(RangeState s, ResolveIntents c) {
    return changeOwnIntents(s, c.txnId(), c.keys(), c.replyTo(),
        mine -> new IntentsResolved(c.txnId(), c.commit(), c.commitTs(), mine));
  }

  private ReplyEffect<Event, RangeState> onRollbackIntents(RangeState s, RollbackIntents c) {
    return changeOwnIntents(s, c.txnId(), c.keys(), c.replyTo(),
        mine -> new IntentsRolledBack(c.txnId(), c.fromSeq(), mine));
  }

  /**
   * Persists {@code event} for the {@code keys} at which {@code txnId} still holds an intent or a
   * shared lock, then wakes the transactions waiting for it (they re-check: a key may now be free,
   * or hold a restored intent); acknowledges at once when it holds none of them.
   */
  private ReplyEffect<Event, RangeState> changeOwnIntents(RangeState s, UUID txnId, List<byte[]> keys,
      ActorRef<Reply> replyTo, java.util.function.Function<List<byte[]>, Event> event) {
    List<byte[]> mine = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      if (!s.owns(k)) {
        return mismatch(s, replyTo);
      }
      if (s.store.holds(k, txnId)) {
        mine.add(k);
      }
    }
    if (mine.isEmpty()) {
      return Effect().reply(replyTo, new AckReply(clock.now()));
    }
    return Effect().persist(event.apply(mine))
        .thenRun(st -> wake(txnId))
        .thenReply(replyTo, st -> new AckReply(clock.now()));
  }

  private ReplyEffect<Event, RangeState> onWait(RangeState s, WaitForTxn c) {
    if (!s.owns(c.key())) {
      return mismatch(s, c.replyTo());
    }
    if (!s.store.holds(c.key(), c.holder())) {
      return Effect().reply(c.replyTo(), new AckReply(clock.now()));
    }
    List<ActorRef<Reply>> list = waiters.computeIfAbsent(c.holder(), k -> new ArrayList<>());
    if (list.size() < 1000) {
      list.add(c.replyTo());
    }
    return Effect().noReply();
  }

  /** Wakes the waiters of {@code txnId} (its intents here were resolved); they re-check. */
  private void wake(UUID txnId) {
    List<ActorRef<Reply>> list = waiters.remove(txnId);
    if (list != null) {
      AckReply ack = new AckReply(clock.now());
      for (ActorRef<Reply> w : list) {
        w.tell(ack);
      }
    }
  }

  private void wakeAll() {
    for (UUID id : new ArrayList<>(waiters.keySet())) {
      wake(id);
    }
  }

  private ReplyEffect<Event, RangeState> onPush(RangeState s, PushTxn c) {
    TxnMeta pushee = c.pushee();
    if (!s.owns(pushee.anchorKey())) {
      return mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(pushee.id());
    if (rec != null && rec.status().isFinal()) {
      return Effect().reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), clock.now()));
    }
    long now = clock.physicalNow();
    if (rec != null) {
      long last = Math.max(rec.startWall(), heartbeats.getOrDefault(pushee.id(), 0L));
      boolean expired = now - last > settings.txnExpiry().toNanos();
      // Only a pushee that is itself waiting can be in a deadlock cycle; in a cycle every member
      // waits, so the highest-priority one aborts its holder and the cycle breaks.
      boolean breaksCycle = c.pusherPriority() > rec.meta().priority() && waiting.contains(pushee.id());
      if (!expired && !breaksCycle) {
        return Effect().reply(c.replyTo(), new TxnStatusReply(TxnStatus.PENDING, null, clock.now()));
      }
    }
    // Absent (never written, or its writer has not reached this range yet) or abandoned: abort,
    // which also keeps a late first write of the pushee from creating a PENDING record.
    TxnRecord aborted = new TxnRecord(rec == null ? pushee : rec.meta(), TxnStatus.ABORTED, null, now);
    heartbeats.remove(pushee.id());
    waiting.remove(pushee.id());
    return Effect().persist(new TxnRecordWritten(aborted))
        .thenReply(c.replyTo(), st -> new TxnStatusReply(TxnStatus.ABORTED, null, clock.now()));
  }

  private ReplyEffect<Event, RangeState> onHeartbeat(RangeState s, Heartbeat c) {
    if (!s.owns(c.anchorKey())) {
      return mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(c.txnId());
    if (rec == null || rec.status() == TxnStatus.PENDING) {
      heartbeats.put(c.txnId(), clock.physicalNow());
      if (c.waiting()) {
        waiting.add(c.txnId());
      } else {
        waiting.remove(c.txnId());
      }
      return Effect().reply(c.replyTo(), new TxnStatusReply(TxnStatus.PENDING, null, clock.now()));
    }
    return Effect().reply(c.replyTo(), new TxnStatusReply(rec.status(), rec.commitTs(), clock.now()));
  }

  private ReplyEffect<Event, RangeState> onGc(RangeState s, GcTxnRecord c) {
    if (!s.owns(c.anchorKey())) {
      return mismatch(s, c.replyTo());
    }
    TxnRecord rec = s.txnRecords.get(c.txnId());
    if (rec == null || !rec.status().isFinal()) {
      return Effect().reply(c.replyTo(), new AckReply(clock.now()));
    }
    return Effect().persist(new TxnRecordRemoved(c.txnId())).thenReply(c.replyTo(), st -> new AckReply(clock.now()));
  }

  // ------------------------------------------------------------------ range lifecycle

  private ReplyEffect<Event, RangeState> onInit(RangeState s, InitRange c) {
    if (s.desc != null) {
      return Effect().reply(c.replyTo(), s.desc.rangeId() == c.desc().rangeId()
          ? new AckReply(clock.now())
          : new FailedReply("range already initialized as " + s.desc, clock.now()));
    }
    return Effect().persist(new RangeInitialized(c.desc(), c.data(), c.txnRecords()))
        .thenReply(c.replyTo(), st -> new AckReply(clock.now()));
  }

  private ReplyEffect<Event, RangeState> onSplit(RangeState s, Split c) {
    if (!s.owns(c.splitKey())) {
      return mismatch(s, c.replyTo());
    }
    if (Keys.compare(c.splitKey(), s.desc.startKey()) == 0) {
      return Effect().reply(c.replyTo(), new SplitReply(null, s.desc, clock.now()));
    }
    if (s.metaPending != null) {
      return Effect().stash(); // one unrecorded split at a time; unstashed once the meta range has it
    }
    RangeDescriptor left = new RangeDescriptor(s.desc.rangeId(), s.desc.startKey(), c.splitKey(),
        s.desc.generation() + 1);
    RangeDescriptor right = new RangeDescriptor(c.newRangeId(), c.splitKey(), s.desc.endKey(), 0);
    splitting = true;
    List<MvccStore.KeySnapshot> data = s.store.exportFrom(c.splitKey());
    List<TxnRecord> records = s.recordsFrom(c.splitKey());
    ctx.pipeToSelf(
        sharding.entityRefFor(ENTITY_TYPE_KEY, right.entityId())
            .<Reply>ask(r -> new InitRange(right, data, records, r), Duration.ofSeconds(30)),
        (reply, err) -> new SplitRightDone(c, left, right,
            err != null ? err.toString() : reply instanceof AckReply ? null : reply.toString()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, RangeState> onSplitRightDone(RangeState s, SplitRightDone c) {
    splitting = false;
    if (c.failure() != null) {
      return Effect().reply(c.split().replyTo(), new FailedReply("split failed: " + c.failure(), clock.now()))
          .thenUnstashAll();
    }
    tsCache.forgetFrom(c.right().startKey());
    return Effect().persist(new RangeSplit(c.left(), c.right()))
        .thenRun(this::recordInMeta)
        .thenRun(this::wakeAll)
        .thenReply(c.split().replyTo(), st -> new SplitReply(c.left(), c.right(), clock.now()))
        .thenUnstashAll();
  }

  /**
   * Size-based splitting: once a range holds more than {@code splitKeys} keys it asks the meta
   * range for a new range id and splits itself at its median key, then records the new range in
   * the meta range (routers that miss it learn it from mismatch replies meanwhile).
   */
  private void maybeSplit(RangeState s) {
    if (settings.splitKeys() <= 0 || sharding == null || autoSplitPending || splitting || s.desc == null
        || s.desc.rangeId() == RangeDescriptor.META_RANGE_ID || s.metaPending != null
        || s.store.keyCount() <= settings.splitKeys()) {
      return;
    }
    autoSplitPending = true;
    ctx.pipeToSelf(
        sharding.entityRefFor(ENTITY_TYPE_KEY, Long.toString(RangeDescriptor.META_RANGE_ID))
            .<Reply>ask(AllocateRangeId::new, Duration.ofSeconds(30)),
        (reply, err) -> new AutoSplit(reply instanceof RangeIdReply r ? r.rangeId() : -1));
  }

  private ReplyEffect<Event, RangeState> onAutoSplit(RangeState s, AutoSplit c) {
    byte[] mid = s.store.medianKey();
    if (c.newRangeId() < 0 || mid == null || !s.owns(mid) || Keys.compare(mid, s.desc.startKey()) == 0) {
      autoSplitPending = false;
      return Effect().noReply();
    }
    ActorRef<Reply> done = ctx.messageAdapter(Reply.class, AutoSplitDone::new);
    return onSplit(s, new Split(mid, c.newRangeId(), done));
  }

  private ReplyEffect<Event, RangeState> onAutoSplitDone(AutoSplitDone c) {
    autoSplitPending = false;
    if (!(c.reply() instanceof SplitReply r) || r.left() == null) {
      ctx.getLog().warn("size-triggered split of {} failed: {}", ctx.getSelf(), c.reply());
    }
    return Effect().noReply();
  }

  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<RangeState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.class, (state, sig) -> {
          stateLock.lock();
          try {
            recovered = true;
            published = state;
          } finally {
            stateLock.unlock();
          }
          if (rangeId >= 0) {
            local.started(rangeId, this);
          }
          recordInMeta(state);
        })
        .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), sig -> local.stopped(rangeId, this))
        .build();
  }

  /**
   * Makes sure the meta range knows the range split off this one: after the split and again
   * after every recovery until acknowledged (a crash between the split and the meta update must
   * not leave the new range unknown to routers).
   */
  private void recordInMeta(RangeState s) {
    RangeDescriptor right = s.metaPending;
    if (right == null || sharding == null) {
      return;
    }
    ctx.pipeToSelf(
        sharding.entityRefFor(ENTITY_TYPE_KEY, Long.toString(RangeDescriptor.META_RANGE_ID))
            .<Reply>ask(r -> new UpdateDirectory(List.of(right), r), Duration.ofSeconds(30)),
        (reply, err) -> new MetaRecorded(right, reply instanceof AckReply));
  }

  private ReplyEffect<Event, RangeState> onBootstrap(RangeState s, BootstrapMeta c) {
    if (s.desc != null) {
      return Effect().reply(c.replyTo(), new DirectoryReply(s.directory(), clock.now()));
    }
    RangeDescriptor meta = new RangeDescriptor(RangeDescriptor.META_RANGE_ID, Keys.EMPTY, Keys.META_END, 0);
    RangeDescriptor data = new RangeDescriptor(RangeDescriptor.FIRST_DATA_RANGE_ID, Keys.META_END, null, 0);
    return Effect().persist(List.of(new RangeInitialized(meta, List.of(), List.of()),
            new MetaBootstrapped(List.of(meta, data), RangeDescriptor.FIRST_DATA_RANGE_ID + 1)))
        .thenReply(c.replyTo(), st -> new DirectoryReply(st.directory(), clock.now()));
  }

  private ReplyEffect<Event, RangeState> onAllocate(RangeState s, AllocateRangeId c) {
    long id = Math.max(s.nextRangeId, RangeDescriptor.FIRST_DATA_RANGE_ID + 1);
    return Effect().persist(new RangeIdAllocated(id)).thenReply(c.replyTo(), st -> new RangeIdReply(id, clock.now()));
  }

  // ------------------------------------------------------------------ helpers

  private ReplyEffect<Event, RangeState> mismatch(RangeState s, ActorRef<Reply> replyTo) {
    return Effect().reply(replyTo, mismatchReply(s));
  }

  private MismatchReply mismatchReply(RangeState s) {
    return new MismatchReply(s.desc, s.rightSibling, clock.now());
  }

  private ReplyEffect<Event, RangeState> offset(ActorRef<Reply> replyTo) {
    return Effect().reply(replyTo, offsetReply());
  }

  private FailedReply offsetReply() {
    return new FailedReply("clock offset too large", clock.now());
  }

  /** Merges a timestamp carried by a request into the range's clock; false if it is too far ahead. */
  private boolean observe(Timestamp ts) {
    try {
      clock.update(ts);
      return true;
    } catch (ClockOffsetException e) {
      return false;
    }
  }

  private static boolean endWithin(RangeDescriptor desc, byte[] end) {
    if (desc.endKey() == null) {
      return true;
    }
    return end != null && Keys.compare(end, desc.endKey()) <= 0;
  }

  private TxnStatusReply withClock(TxnStatusReply r) {
    return new TxnStatusReply(r.status(), r.commitTs(), clock.now());
  }
}
