package org.troupedb.range;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
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
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * One range of the key space as a sharded, event-sourced actor (entity id = range id). It
 * sequences commands, hands each to the part that evaluates it (no MVCC rules live here),
 * persists the resulting events and replies. Every reply carries the range's clock.
 *
 * <pre>
 *  Get / Scan / Refresh ──▶ {@link RangeReads} ─▶ reply (no persist; reads recorded in the ts cache)
 *  Write ──▶ {@link RangeWrites} ─▶ queued for group commit ─▶ Flush: ONE persist for all queued ─▶ replies
 *  EndTxn / PushTxn / ResolveIntents / GcTxnRecords / … ─▶ {@link RangeTxnRecords} ─▶ record/intent events (group commit)
 *  Split ─▶ {@link RangeSplits}: right half streamed in chunks ({@link SplitTransfer}) ─(all acked)─▶ persist RangeSplit
 *  ReceiveChunk / AbortTransfer ─▶ {@link RangeReceiver} (the new range's side)     InitRange ─▶ {@link RangeSplits}
 *  BootstrapMeta / GetDirectory / AllocateRangeId / UpdateDirectory ─▶ {@link MetaRangeHandler}
 *  GcTick ─▶ {@link RangeGc}     IdleCheck ─▶ {@link RangePassivation}     Stop ─▶ stop
 * </pre>
 *
 * <p>Every command passes one gate first: the lifecycle phase ({@link RangeLifecycle#admit})
 * decides whether it is handled now or stashed (while a split runs, or while queued writes latch
 * what it touches); then one builder-made handler dispatches it by type. A command for a key this
 * range does not own gets a {@link MismatchReply} carrying this range's descriptor and its most
 * recent right sibling, so routers can fix their caches.
 *
 * <p>Threads: everything runs on the actor's thread, except reads answered on the caller's thread
 * ({@link #readLocally}) and size reads for metrics ({@link #storeSize}); what those touch is
 * guarded by one lock, and {@link RangeSharedState} lists who holds it where.
 */
public final class RangeActor
    extends EventSourcedBehaviorWithEnforcedReplies<RangeActor.Command, RangeActor.Event, RangeState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Range");

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
   * {@link ResolveIntents} for many transactions in one command and one persist (txn-coordinator's
   * {@code ResolutionBatcher} gathers the resolutions meant for one range while its previous batch
   * is in flight). Every key of every resolution is in this range.
   */
  public record ResolveIntentsBatch(List<Resolution> resolutions, ActorRef<Reply> replyTo) implements Command {}

  /** One transaction's part of a {@link ResolveIntentsBatch}: commit (at {@code commitTs}) or abort its intents at {@code keys}. */
  public record Resolution(UUID txnId, boolean commit, Timestamp commitTs, List<byte[]> keys) implements KvSerializable {}

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

  /**
   * {@link GcTxnRecord} for many transactions in one command and one persist: drops the final
   * records of {@code txnIds}, anchored at {@code anchorKeys} (index by index, all in this range),
   * every one of whose intents is resolved.
   */
  public record GcTxnRecords(List<UUID> txnIds, List<byte[]> anchorKeys, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Creates this range (idempotent): descriptor and initial data (the right half of a split).
   * {@code readFloor} (null: none): the splitting range's clock, at or above every read it served
   * of these keys; the new range's timestamp cache starts there, since it may run on a node whose
   * clock is behind.
   */
  public record InitRange(RangeDescriptor desc, List<MvccStore.KeySnapshot> data, List<TxnRecord> txnRecords,
      Timestamp readFloor, ActorRef<Reply> replyTo) implements Command {
    /** A range that has served no reads before (the first data range, tests). */
    public InitRange(RangeDescriptor desc, List<MvccStore.KeySnapshot> data, List<TxnRecord> txnRecords,
        ActorRef<Reply> replyTo) {
      this(desc, data, txnRecords, null, replyTo);
    }
  }

  /**
   * Chunk {@code seq} of transfer {@code transferId}: part of the right half of a split, streamed
   * by the splitting range to the new range {@code desc} ({@link SplitTransfer}); the receiver
   * persists it and replies {@link ChunkAckReply}. {@code continues}: the last key's versions go
   * on in the next chunk. {@code last}: the range is complete once this chunk is durable;
   * {@code readFloor} as in {@link InitRange}.
   */
  public record ReceiveChunk(long transferId, RangeDescriptor desc, int seq, List<MvccStore.KeySnapshot> data,
      boolean continues, List<TxnRecord> txnRecords, boolean last, Timestamp readFloor, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Gives up transfer {@code transferId}: the receiver drops what arrived and refuses its later
   * chunks (replies {@link AckReply}), unless the range is already complete ({@link ChunkAckReply}
   * with {@code complete}: the split may go ahead after all).
   */
  public record AbortTransfer(long transferId, RangeDescriptor desc, ActorRef<Reply> replyTo) implements Command {}

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

  /**
   * Internal: the answer to chunk {@code seq} (sent as try {@code attempt}) of transfer
   * {@code transferId}: the receiver holds chunks below {@code nextSeq} ({@code complete}: all),
   * or {@code failure} (timeout, refusal).
   */
  record ChunkAcked(long transferId, int seq, int attempt, int nextSeq, boolean complete, String failure)
      implements Command {}

  /** Internal: the answer to {@link AbortTransfer}: {@code complete} if the range was created after all. */
  record TransferAbortDone(long transferId, boolean complete, String failure) implements Command {}

  /** Internal: a range id for a size-triggered split was allocated (or not: -1). */
  record AutoSplit(long newRangeId) implements Command {}

  /** Internal: the reply to a size-triggered split. */
  record AutoSplitDone(Reply reply) implements Command {}

  /** Internal: the meta range acknowledged (or not) the record of a split-off range. */
  record MetaRecorded(RangeDescriptor right, boolean ok) implements Command {}

  /** Internal (a new range receiving a split's chunks): persist the chunks queued since the last one ({@link RangeReceiver}). */
  enum FlushChunks implements Command { INSTANCE }

  /** Internal: persist the writes evaluated since the last flush as one journal write. */
  enum Flush implements Command { INSTANCE }

  /** Internal (timer): collect MVCC garbage below now - gc-ttl, if there is any ({@link RangeGc}). */
  enum GcTick implements Command { INSTANCE }

  /** Internal (timer): passivate if idle ({@link RangePassivation}). */
  enum IdleCheck implements Command { INSTANCE }

  /** Sharding's stop message (passivation, hand-off): stops once queued writes are durable. */
  enum Stop implements Command { INSTANCE }

  /** Internal: persist this incarnation's fence ({@link IncarnationFence}); everything else waits for it. */
  enum StartIncarnation implements Command { INSTANCE }

  /** Internal (timer): ask the journal whether a newer incarnation has written ({@link FenceCheck}). */
  enum FenceTick implements Command { INSTANCE }

  /** Internal: the journal's highest sequence number for this range (-1: no answer). */
  record FenceChecked(long highestSeqNr) implements Command {}

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

  /** A chunk of a split's right half arrived ({@link ReceiveChunk}); applied by {@link RangeReceipt}. */
  public record ChunkReceived(long transferId, int seq, List<MvccStore.KeySnapshot> data, boolean continues,
      List<TxnRecord> txnRecords) implements Event {}

  /** Every chunk of transfer {@code transferId} arrived: this range is {@code desc} and serves. */
  public record TransferCompleted(long transferId, RangeDescriptor desc) implements Event {}

  /** Transfer {@code transferId} was given up: what arrived of it is dropped. */
  public record TransferAborted(long transferId) implements Event {}

  /** MVCC garbage at or below {@code threshold} was collected ({@link MvccStore#gc}). */
  public record GarbageCollected(Timestamp threshold) implements Event {}

  /** The meta range has recorded the split-off range {@code right}. */
  public record DirectoryRecorded(RangeDescriptor right) implements Event {}

  public record MetaBootstrapped(List<RangeDescriptor> descriptors, long nextRangeId) implements Event {}

  public record RangeIdAllocated(long rangeId) implements Event {}

  public record DirectoryUpdated(List<RangeDescriptor> descriptors) implements Event {}

  /**
   * The fence of a new incarnation ({@link IncarnationFence}): persisted first when a range starts;
   * a replay skips every later event of an older epoch.
   */
  public record IncarnationStarted(long epoch, long incarnation) implements Event {}

  /** Never persisted: what a replay applies instead of an event the fence skips (nothing). */
  public record StaleEventSkipped(long epoch) implements Event {}

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

  /**
   * The read timestamp is below the range's GC threshold ({@code threshold}): versions it would
   * need may have been garbage-collected (CockroachDB: "batch timestamp must be after replica GC
   * threshold").
   */
  public record BelowGcThresholdReply(Timestamp readTs, Timestamp threshold, Timestamp clock) implements Reply {}

  public record DirectoryReply(List<RangeDescriptor> descriptors, Timestamp clock) implements Reply {}

  public record RangeIdReply(long rangeId, Timestamp clock) implements Reply {}

  public record SplitReply(RangeDescriptor left, RangeDescriptor right, Timestamp clock) implements Reply {}

  /** The receiver of transfer {@code transferId} holds its chunks below {@code nextSeq}; {@code complete}: all. */
  public record ChunkAckReply(long transferId, int nextSeq, boolean complete, Timestamp clock) implements Reply {}

  /** A request that cannot be served (e.g. clock offset too large, split failed). */
  public record FailedReply(String message, Timestamp clock) implements Reply {}

  // ------------------------------------------------------------------ construction

  private final ActorContext<Command> ctx;
  private final HybridClock clock;
  private final RangeSettings settings;
  private final RangeEnv env;
  private final TimestampCache tsCache;
  /**
   * troupedb.kv.recovered-ts-cache-offset: a recovered incarnation's timestamp cache starts at now +
   * max offset (its previous incarnation may have run on another node); off on a single node.
   */
  private final boolean recoveredTsCacheOffset;
  private final LocalRanges local;
  /** Heap or disk: where this range's MVCC data lives (troupedb.kv.range-storage). */
  private final RangeStorage storage;
  private final long rangeId;
  private final RangeReads reads;
  private final RangeWrites writes;
  private final RangeTxnRecords txns;
  private final RangeSplits splits;
  private final RangeReceiver receiver;
  private final MetaRangeHandler meta;
  private final RangeGc gc;
  private final RangePassivation passivation;
  private final TimerScheduler<Command> timers;
  private final RangeFencing fencing;
  /** Disk ranges with marker snapshots: the store kept in step with the journal; else null. */
  private final RangeStoreSync storeSync;
  /** Events applied before RecoveryCompleted (heap and full-snapshot ranges; counted in {@link RangeStats}). */
  private long replayed;
  private boolean recovered;
  private final CommandHandlerWithReply<Command, Event, RangeState> dispatch;

  /** The state, phase and group-commit queue local readers see, under the lock that guards them. */
  private final RangeSharedState shared = new RangeSharedState();
  private final RangeLifecycle lifecycle = shared.lifecycle;

  /** Registers the sharded range entity on this node; returns the shard region. */
  public static ActorRef<org.apache.pekko.cluster.sharding.typed.ShardingEnvelope<Command>> init(
      ActorSystem<?> system, HybridClock clock) {
    RangeSettings settings = RangeSettings.fromConfig(system.settings().config());
    // Parsed once here, where it refuses to start with chunks too large for Artery.
    TransferSettings transfer = TransferSettings.fromConfig(system.settings().config());
    ClusterSharding sharding = ClusterSharding.get(system);
    // Sharding's idle passivation would not see local reads and writes: ranges passivate themselves.
    return sharding.init(Entity.of(ENTITY_TYPE_KEY, ec -> create(ec.getEntityId(), clock, settings, transfer,
            sharding, ec.getShard()))
        .withStopMessage(Stop.INSTANCE)
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** A range outside sharding's passivation, its transfer settings read from the system's config. */
  public static Behavior<Command> create(String rangeId, HybridClock clock, RangeSettings settings, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> create(rangeId, clock, settings,
        TransferSettings.fromConfig(ctx.getSystem().settings().config()), sharding, null));
  }

  /** @param shard the shard to ask for passivation when idle (null: never passivate) */
  static Behavior<Command> create(String rangeId, HybridClock clock, RangeSettings settings, TransferSettings transfer,
      ClusterSharding sharding, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RangeActor(ctx,
        PersistenceId.of(ENTITY_TYPE_KEY.name(), rangeId), clock, settings, transfer, sharding, timers, shard)));
  }

  private RangeActor(ActorContext<Command> ctx, PersistenceId pid, HybridClock clock, RangeSettings settings,
      TransferSettings transfer, ClusterSharding sharding, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(pid);
    this.ctx = ctx;
    this.timers = timers;
    this.clock = clock;
    this.settings = settings;
    this.env = new RangeEnv(ctx, clock, settings, sharding, Effect());
    // A new range has served no reads; a recovered one raises this to now + max offset (RecoveryCompleted).
    this.tsCache = new TimestampCache(clock.now(), settings.tsCachePoints(), settings.tsCacheSpans());
    this.recoveredTsCacheOffset =
        ctx.getSystem().settings().config().getBoolean("troupedb.kv.recovered-ts-cache-offset");
    this.local = LocalRanges.get(ctx.getSystem());
    this.storage = RangeStorage.get(ctx.getSystem());
    this.rangeId = sharding == null ? -1 : Long.parseLong(pid.entityId());
    this.storeSync = storage.kind() == RangeStorage.Kind.DISK && storage.markerSnapshots()
        ? new RangeStoreSync(ctx.getSystem(), storage, pid.entityId(), settings.gcTtl().toNanos()) : null;
    boolean groupCommitEnds = settings.groupCommit()
        && ctx.getSystem().settings().config().getBoolean("troupedb.kv.group-commit-ends");
    this.gc = new RangeGc(env, env.stats);
    this.reads = new RangeReads(env, tsCache, gc);
    this.writes = new RangeWrites(env, tsCache, shared, groupCommitEnds, this::writeDurable);
    this.txns = new RangeTxnRecords(env, writes::persistEnd);
    this.splits = new RangeSplits(env, lifecycle, tsCache, txns, transfer);
    this.receiver = new RangeReceiver(env, tsCache);
    this.meta = new MetaRangeHandler(env);
    this.fencing = new RangeFencing(env, shared, timers, pid.id(),
        ctx.getSystem().settings().config().getDuration("troupedb.kv.fence-check-interval"));
    this.passivation = new RangePassivation(shard, ctx.getSelf(), settings.passivateIdleAfter().toNanos(),
        env.stats);
    this.dispatch = newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), reads.get(s, c)))
        .onCommand(Scan.class, (s, c) -> Effect().reply(c.replyTo(), reads.scan(s, c)))
        .onCommand(Write.class, writes::onWrite)
        .onCommand(Refresh.class, reads::refresh)
        .onCommand(Flush.class, (s, c) -> writes.onFlush())
        .onCommand(GcTick.class, (s, c) -> gc.onTick(s))
        .onCommand(IdleCheck.class, (s, c) -> onIdleCheck(s))
        .onCommand(Stop.class, (s, c) -> Effect().stop().thenNoReply())
        .onCommand(FenceTick.class, (s, c) -> fencing.onTick(lastSequenceNumber(ctx)))
        .onCommand(FenceChecked.class, (s, c) -> fencing.onChecked(c, lastSequenceNumber(ctx), rangeId,
            () -> local.stopped(rangeId, this)))
        .onCommand(EndTxn.class, txns::onEndTxn)
        .onCommand(ResolveIntents.class, txns::onResolve)
        .onCommand(ResolveIntentsBatch.class, txns::onResolveBatch)
        .onCommand(RollbackIntents.class, txns::onRollbackIntents)
        .onCommand(PushTxn.class, txns::onPush)
        .onCommand(Heartbeat.class, txns::onHeartbeat)
        .onCommand(WaitForTxn.class, txns::onWait)
        .onCommand(GcTxnRecord.class, txns::onGc)
        .onCommand(GcTxnRecords.class, txns::onGcBatch)
        .onCommand(InitRange.class, splits::onInit)
        .onCommand(Split.class, splits::onSplit)
        .onCommand(ChunkAcked.class, splits::onChunkAcked)
        .onCommand(TransferAbortDone.class, splits::onTransferAbortDone)
        .onCommand(ReceiveChunk.class, receiver::onChunk)
        .onCommand(AbortTransfer.class, receiver::onAbort)
        .onCommand(FlushChunks.class, (s, c) -> receiver.onFlush())
        .onCommand(MetaRecorded.class, splits::onMetaRecorded)
        .onCommand(AutoSplit.class, splits::onAutoSplit)
        .onCommand(AutoSplitDone.class, (s, c) -> splits.onAutoSplitDone(c))
        .onCommand(BootstrapMeta.class, meta::onBootstrap)
        .onCommand(GetDirectory.class, meta::onGetDirectory)
        .onCommand(AllocateRangeId.class, meta::onAllocate)
        .onCommand(UpdateDirectory.class, (s, c) -> meta.onUpdateDirectory(c))
        .build();
  }

  @Override
  public RangeState emptyState() {
    if (storeSync != null) {
      return storeSync.emptyState();
    }
    return new RangeState(storage.newStore(persistenceId().entityId(), settings.gcTtl().toNanos()));
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
        // local readers may be reading (FLUSHING)
        return shared.locked(() -> storeSync != null ? fencing.toMarker(storeSync, state) : fencing.toSnapshot(state));
      }

      @Override
      public RangeState fromJournal(Object from) {
        if (from instanceof MarkerSnapshot m) {
          if (storeSync == null) {
            throw new IllegalStateException("range " + persistenceId().entityId() + " has a marker snapshot (its data"
                + " is in a disk store kept across restarts), but this node runs with troupedb.kv.range-storage = "
                + storage.kind().name().toLowerCase(java.util.Locale.ROOT) + " and marker snapshots "
                + (storage.markerSnapshots() ? "on" : "off"));
          }
          fencing.fromMarker(m);
          return storeSync.fromMarker(m);
        }
        RangeState.Snapshot full = fencing.fromSnapshot(from);
        if (storeSync != null) {
          return storeSync.fromFull(full);
        }
        return RangeState.fromSnapshot(full, storage.newStore(persistenceId().entityId(), settings.gcTtl().toNanos()));
      }
    };
  }

  @Override
  public org.apache.pekko.persistence.typed.EventAdapter<Event, ?> eventAdapter() {
    return fencing.eventAdapter();
  }

  @Override
  public EventHandler<RangeState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
      fencing.applied();
      if (storeSync != null) {
        if (!storeSync.admit(lastSequenceNumber(ctx))) {
          return state; // the disk store has applied it already (its data and small state)
        }
        RangeState next = shared.apply(state, event);
        storeSync.applied(next);
        return next;
      }
      if (!recovered) {
        replayed++;
      }
      return shared.apply(state, event);
    });
  }

  @Override
  public CommandHandlerWithReply<Command, Event, RangeState> commandHandler() {
    return (state, cmd) -> shared.handle(state, () -> {
      env.stats.commands.increment();
      if (storeSync != null) {
        storeSync.durable(state); // no command runs while a persist is in flight: what was applied is durable
      }
      if (cmd == Stop.INSTANCE && rangeId >= 0) {
        // Sharding stops this range (hand-off to another node, or passivation): from now on routers
        // send through sharding, which buffers during a hand-off, instead of straight to this actor
        // (whose late letters would bounce until the routing attempts run out) or reading it locally
        // (its next incarnation may already write elsewhere).
        local.stopped(rangeId, this);
      }
      if (cmd != IdleCheck.INSTANCE && cmd != GcTick.INSTANCE) {
        passivation.touch();
      }
      ReplyEffect<Event, RangeState> effect;
      if (!fencing.started() || cmd == StartIncarnation.INSTANCE) {
        // Until this incarnation's fence is durable nothing else runs (reads included: a read
        // served before it could miss a write of an older incarnation the fence then skips).
        effect = cmd == StartIncarnation.INSTANCE ? fencing.start() : Effect().stash();
      } else {
        effect = switch (lifecycle.admit(cmd, shared.pending)) {
          case HANDLE -> dispatch.apply(state, cmd);
          case STASH -> Effect().stash();
        };
      }
      // No command runs while a persist is in flight, so the state is durable now; but the
      // effect of a mutating command may persist (Pekko applies its events after this
      // returns): local reads wait for the next command, which runs only once that is done —
      // except a Flush's, whose batch latches its own keys (FLUSHING, see RangeLifecycle).
      lifecycle.on(RangeLifecycle.handled(cmd, shared.pending));
      return effect;
    });
  }

  /**
   * Answers a Get or Scan on the calling thread, without a trip through the mailbox, when that
   * is safe: the range is SERVING (recovered, not splitting, its state holds only durable
   * writes) or FLUSHING (the same, except the keys of the batch in flight), and no queued or
   * flushing (group-commit) write latches the keys read. Otherwise null: send the
   * command to the actor. Evaluation is the actor's own ({@link RangeReads}) under the lock of
   * {@link RangeSharedState}, so reads and writes stay serialized exactly as in the mailbox (the
   * timestamp cache records the read before any later write is evaluated).
   */
  Reply readLocally(Command cmd) {
    if (!(cmd instanceof Get) && !(cmd instanceof Scan)) {
      return null;
    }
    return shared.readLocally(cmd, (s, c) -> {
      env.stats.localReads.increment();
      passivation.touch();
      return c instanceof Get g ? reads.get(s, g) : reads.scan(s, (Scan) c);
    }, env.stats);
  }

  /** The size of the store as of the last command or event (null before recovery). */
  MvccStore.Size storeSize() {
    return shared.storeSize();
  }

  ActorRef<Command> self() {
    return ctx.getSelf();
  }

  /** After a write is durable: the size check of a split (splits is built after writes). */
  private void writeDurable(RangeState st) {
    splits.maybeSplit(st);
  }

  // ------------------------------------------------------------------ lifecycle signals

  private ReplyEffect<Event, RangeState> onIdleCheck(RangeState s) {
    passivation.check(s, writes.queued() || lifecycle.splitting() || txns.hasWaiters());
    return Effect().noReply();
  }

  @Override
  public SignalHandler<RangeState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, sig) -> {
          recovered = true;
          if (storeSync != null) {
            shared.locked(() -> {
              storeSync.recovered(state, rangeId);
              return null;
            });
          } else {
            env.stats.eventsReplayed.add(replayed);
          }
          if (recoveredTsCacheOffset && lastSequenceNumber(ctx) > 0) {
            // A previous incarnation existed, maybe on another node: the reads it served are unknown.
            tsCache.forwardLowWater(TimestampCache.newIncarnationLowWater(clock));
          }
          if (rangeId >= 0) {
            local.started(rangeId, this);
          }
          if (gc.enabled()) {
            timers.startTimerWithFixedDelay(GcTick.INSTANCE, settings.gcInterval());
          }
          if (passivation.enabled(rangeId)) {
            timers.startTimerWithFixedDelay(IdleCheck.INSTANCE, settings.passivateIdleAfter().dividedBy(2));
          }
          splits.recordInMeta(state);
          fencing.logSkipped(rangeId);
          ctx.getSelf().tell(StartIncarnation.INSTANCE);
        })
        .onSignal(PostStop.instance(), sig -> {
          local.stopped(rangeId, this);
          if (storeSync != null) {
            shared.locked(() -> {
              storeSync.stopped();
              return null;
            });
          }
        })
        .build();
  }
}
