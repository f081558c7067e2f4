package org.troupedb.range;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.AckReply;
import org.troupedb.range.RangeActor.AllocateRangeId;
import org.troupedb.range.RangeActor.AutoSplit;
import org.troupedb.range.RangeActor.AutoSplitDone;
import org.troupedb.range.RangeActor.ChunkAcked;
import org.troupedb.range.RangeActor.DirectoryRecorded;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.FailedReply;
import org.troupedb.range.RangeActor.InitRange;
import org.troupedb.range.RangeActor.MetaRecorded;
import org.troupedb.range.RangeActor.RangeIdReply;
import org.troupedb.range.RangeActor.RangeInitialized;
import org.troupedb.range.RangeActor.RangeSplit;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.Split;
import org.troupedb.range.RangeActor.SplitReply;
import org.troupedb.range.RangeActor.TransferAbortDone;
import org.troupedb.range.RangeActor.UpdateDirectory;

/**
 * The split protocol of one range, as its left half runs it:
 *
 * <pre>
 *   Split(key, newId) ─▶ SPLITTING: the right half streamed to range newId in chunks
 *   ({@link SplitTransfer}: ReceiveChunk … ─(each acked once durable there)─▶ ChunkAcked …)
 *   ─(last chunk durable: the new range serves)─▶ persist RangeSplit (this range shrinks;
 *   metaPending = right) ─▶ reply ─▶ UpdateDirectory(right) to the meta range ─(ack)─▶ MetaRecorded
 *   ─▶ persist DirectoryRecorded
 *
 *   a chunk lost for good (retries spent) ─▶ AbortTransfer ─▶ TransferAbortDone ─▶ the split failed:
 *   nothing persisted here, this range whole and serving again (unless the new range answers that
 *   it was complete after all: then as above)
 * </pre>
 *
 * No message carries more than one chunk ({@code troupedb.kv.split-transfer.chunk-bytes}), so a
 * split whose new range starts on another node stays within Artery's frame however large the
 * range. A size-triggered split first asks the meta range for a range id, then splits at the
 * median key with itself as the asker; at most one runs at a time ({@link AutoSplitStep}), and
 * after one failed the next waits {@code split-transfer.retry-after}:
 *
 * <pre>
 *   IDLE ─(durable write, too big)─▶ ALLOCATING_ID ─AutoSplit(id, median)─▶ SPLITTING ─AutoSplitDone─▶ IDLE
 *                                         └────────AutoSplit(no id / no median)──────────────────▶ IDLE
 * </pre>
 *
 * The meta update is retried after every recovery until acknowledged, so a crash between the
 * split and the meta update leaves no range unknown to routers. The step is in memory only: a
 * range that restarts mid-way starts IDLE and asks again on its next durable write (a transfer cut
 * short leaves the unfinished new range without a descriptor: no router ever reaches it).
 *
 * <p>NB: confined to the actor's thread (handlers run inside the command handler, with the state
 * lock held; {@link #maybeSplit} and {@link #recordInMeta} in persist callbacks and on recovery).
 */
final class RangeSplits {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  private final RangeEnv env;
  private final RangeLifecycle lifecycle;
  private final TimestampCache tsCache;
  private final RangeTxnRecords txns;
  /** Where a size-triggered split is; the lifecycle's SPLITTING phase covers any split's middle part. */
  enum AutoSplitStep { IDLE, ALLOCATING_ID, SPLITTING }

  private AutoSplitStep autoSplit = AutoSplitStep.IDLE;
  private final TransferSettings transferSettings;
  /** The split's transfer while SPLITTING, else null. */
  private SplitTransfer transfer;
  /** The transfer failed and the new range was asked to drop it. */
  private boolean aborting;
  /** After a failed split, no size-triggered one before this ({@link System#nanoTime()}). */
  private long retryAfterNanos = System.nanoTime();

  RangeSplits(RangeEnv env, RangeLifecycle lifecycle, TimestampCache tsCache, RangeTxnRecords txns,
      TransferSettings transferSettings) {
    this.env = env;
    this.transferSettings = transferSettings;
    this.lifecycle = lifecycle;
    this.tsCache = tsCache;
    this.txns = txns;
  }

  /** Creates this range (the right half of a split, or the first data range); idempotent. */
  ReplyEffect<Event, RangeState> onInit(RangeState s, InitRange c) {
    if (s.desc != null) {
      return env.effect.reply(c.replyTo(), s.desc.rangeId() == c.desc().rangeId()
          ? env.ack()
          : new FailedReply("range already initialized as " + s.desc, env.clock.now()));
    }
    if (c.readFloor() != null) {
      // The splitting range served reads of these keys up to its clock; ours may be behind it.
      env.observe(c.readFloor());
      tsCache.forwardLowWater(c.readFloor());
    }
    return env.effect.persist(new RangeInitialized(c.desc(), c.data(), c.txnRecords()))
        .thenReply(c.replyTo(), st -> env.ack());
  }

  ReplyEffect<Event, RangeState> onSplit(RangeState s, Split c) {
    if (!s.owns(c.splitKey())) {
      return env.mismatch(s, c.replyTo());
    }
    if (Keys.compare(c.splitKey(), s.desc.startKey()) == 0) {
      return env.effect.reply(c.replyTo(), new SplitReply(null, s.desc, env.clock.now()));
    }
    if (s.metaPending != null) {
      return env.effect.stash(); // one unrecorded split at a time; unstashed once the meta range has it
    }
    RangeDescriptor left = new RangeDescriptor(s.desc.rangeId(), s.desc.startKey(), c.splitKey(),
        s.desc.generation() + 1);
    RangeDescriptor right = new RangeDescriptor(c.newRangeId(), c.splitKey(), s.desc.endKey(), 0);
    lifecycle.on(RangeLifecycle.Signal.SPLIT_STARTED);
    // Every read this range served was merged into its clock first (RangeReads), so its clock now
    // is a floor for the reads of the right half, wherever that starts.
    Timestamp readFloor = env.clock.now();
    transfer = new SplitTransfer(env, transferSettings, c, left, right, s.store, s.recordsFrom(c.splitKey()),
        readFloor);
    return transfer.start() == SplitTransfer.Outcome.FAILED ? giveUp(s) : env.effect.noReply();
  }

  ReplyEffect<Event, RangeState> onChunkAcked(RangeState s, ChunkAcked c) {
    if (transfer == null || transfer.id != c.transferId()) {
      return env.effect.noReply(); // a late answer to a transfer that has ended
    }
    return switch (transfer.onAcked(c)) {
      case CONTINUE -> env.effect.noReply();
      case COMPLETE -> splitDone(s);
      case FAILED -> giveUp(s);
    };
  }

  /** The transfer failed: asks the new range to drop it (it may answer that it is complete after all). */
  private ReplyEffect<Event, RangeState> giveUp(RangeState s) {
    if (aborting) {
      return env.effect.noReply();
    }
    aborting = true;
    transfer.abort();
    return env.effect.noReply();
  }

  ReplyEffect<Event, RangeState> onTransferAbortDone(RangeState s, TransferAbortDone c) {
    if (transfer == null || transfer.id != c.transferId()) {
      return env.effect.noReply();
    }
    if (c.complete()) {
      env.ctx.getLog().info("split of range {} at {}: the new range {} completed after all",
          transfer.left.rangeId(), Keys.toString(transfer.right.startKey()), transfer.right.rangeId());
      return splitDone(s);
    }
    SplitTransfer t = transfer;
    transfer = null;
    aborting = false;
    lifecycle.on(RangeLifecycle.Signal.SPLIT_ENDED);
    retryAfterNanos = System.nanoTime() + transferSettings.retryAfter().toNanos();
    env.ctx.getLog().warn("split of range {} at {} into range {} failed after {} ms ({}; {}); the transfer was {};"
            + " range {} stays whole and serving, a size-triggered split is tried again after {}",
        t.left.rangeId(), Keys.toString(t.right.startKey()), t.right.rangeId(),
        (System.nanoTime() - t.startNanos) / 1_000_000, t.lastFailure(), t.summary(),
        c.failure() == null ? "aborted at the new range" : "not confirmed aborted: " + c.failure(),
        t.left.rangeId(), transferSettings.retryAfter());
    return env.effect.reply(t.split.replyTo(), new FailedReply("split failed: " + t.lastFailure(), env.clock.now()))
        .thenUnstashAll();
  }

  /** Every chunk is durable at the new range, which serves: this range gives its right half up. */
  private ReplyEffect<Event, RangeState> splitDone(RangeState s) {
    SplitTransfer t = transfer;
    transfer = null;
    aborting = false;
    lifecycle.on(RangeLifecycle.Signal.SPLIT_ENDED);
    env.ctx.getLog().info("split of range {} at {} into range {}: {} in {} ms", t.left.rangeId(),
        Keys.toString(t.right.startKey()), t.right.rangeId(), t.summary(), (System.nanoTime() - t.startNanos) / 1_000_000);
    tsCache.forgetFrom(t.right.startKey());
    return env.effect.persist(new RangeSplit(t.left, t.right))
        .thenRun(this::recordInMeta)
        .thenRun(st -> txns.wakeAll())
        .thenReply(t.split.replyTo(), st -> new SplitReply(t.left, t.right, env.clock.now()))
        .thenUnstashAll();
  }

  /**
   * Size-based splitting: once a range holds more than {@code splitKeys} keys (or {@code splitBytes}) it asks the meta
   * range for a new range id and splits itself at its median key, then records the new range in
   * the meta range (routers that miss it learn it from mismatch replies meanwhile).
   */
  void maybeSplit(RangeState s) {
    if (env.settings.splitKeys() <= 0 || env.sharding == null || autoSplit != AutoSplitStep.IDLE
        || lifecycle.splitting() || s.desc == null || s.desc.rangeId() == RangeDescriptor.META_RANGE_ID
        || s.metaPending != null || System.nanoTime() - retryAfterNanos < 0 || !tooBig(s.store)) {
      return;
    }
    autoSplit = AutoSplitStep.ALLOCATING_ID;
    env.ctx.pipeToSelf(
        env.sharding.entityRefFor(RangeActor.ENTITY_TYPE_KEY, Long.toString(RangeDescriptor.META_RANGE_ID))
            .<Reply>ask(AllocateRangeId::new, ASK_TIMEOUT),
        (reply, err) -> new AutoSplit(reply instanceof RangeIdReply r ? r.rangeId() : -1));
  }

  /** Past {@code split-keys} keys or {@code split-bytes} bytes (live and garbage, {@link MvccStore#sizeBytes()}). */
  private boolean tooBig(MvccStore store) {
    return store.keyCount() > env.settings.splitKeys()
        || env.settings.splitBytes() > 0 && store.sizeBytes() > env.settings.splitBytes();
  }

  ReplyEffect<Event, RangeState> onAutoSplit(RangeState s, AutoSplit c) {
    byte[] mid = s.store.medianKey();
    if (c.newRangeId() < 0 || mid == null || !s.owns(mid) || Keys.compare(mid, s.desc.startKey()) == 0) {
      autoSplit = AutoSplitStep.IDLE;
      return env.effect.noReply();
    }
    autoSplit = AutoSplitStep.SPLITTING;
    ActorRef<Reply> done = env.ctx.messageAdapter(Reply.class, AutoSplitDone::new);
    return onSplit(s, new Split(mid, c.newRangeId(), done));
  }

  ReplyEffect<Event, RangeState> onAutoSplitDone(AutoSplitDone c) {
    autoSplit = AutoSplitStep.IDLE;
    if (!(c.reply() instanceof SplitReply r) || r.left() == null) {
      env.ctx.getLog().warn("size-triggered split of {} failed: {}", env.ctx.getSelf(), c.reply());
    }
    return env.effect.noReply();
  }

  ReplyEffect<Event, RangeState> onMetaRecorded(RangeState s, MetaRecorded c) {
    if (!c.ok()) {
      env.ctx.getLog().warn("meta range did not record {}; retrying", c.right());
      recordInMeta(s);
      return env.effect.noReply();
    }
    return env.effect.persist(new DirectoryRecorded(c.right())).thenNoReply().thenUnstashAll();
  }

  /**
   * Makes sure the meta range knows the range split off this one: after the split and again
   * after every recovery until acknowledged.
   */
  void recordInMeta(RangeState s) {
    RangeDescriptor right = s.metaPending;
    if (right == null || env.sharding == null) {
      return;
    }
    env.ctx.pipeToSelf(
        env.sharding.entityRefFor(RangeActor.ENTITY_TYPE_KEY, Long.toString(RangeDescriptor.META_RANGE_ID))
            .<Reply>ask(r -> new UpdateDirectory(List.of(right), r), ASK_TIMEOUT),
        (reply, err) -> new MetaRecorded(right, reply instanceof AckReply));
  }
}
