package org.troupedb.range;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.AbortTransfer;
import org.troupedb.range.RangeActor.ChunkAckReply;
import org.troupedb.range.RangeActor.ChunkAcked;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.ReceiveChunk;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.Split;
import org.troupedb.range.RangeActor.TransferAbortDone;

/**
 * One split's right half on its way to the new range, as the splitting range streams it: chunks
 * of at most {@code chunk-bytes} serialized ({@link SplitChunks}' upper-bound estimate, checked
 * with the real serializer, see {@link #build}), numbered from 0, at most {@code window} unacknowledged. The new
 * range persists each chunk in order and acknowledges it once durable with the next number it
 * expects ({@link RangeReceiver}); it is complete, and serves, once the last chunk is durable.
 *
 * <pre>
 *   sender (left range, SPLITTING)                    receiver (new range, no descriptor yet)
 *   ReceiveChunk 0..W-1 ───────────────────────────▶  seq == next: persist ChunkReceived ─▶ ack(next+1)
 *   ◀── ChunkAckReply(next) ─ ChunkAcked: send more     seq != next: ack(next) (duplicate or gap)
 *   ...                                                 last: persist ChunkReceived + TransferCompleted
 *   ◀── ChunkAckReply(complete) ─▶ COMPLETE: persist RangeSplit
 *
 *   a chunk times out, or a gap is reported ─▶ go back: send again from the oldest unacknowledged
 *   (at most `retries` times without progress) ─▶ FAILED: AbortTransfer ─▶ the receiver drops what
 *   it got (TransferAborted), or answers that it is complete after all (the split goes ahead)
 * </pre>
 *
 * Replies of an earlier round (sent before the last go-back) are ignored, so one loss triggers one
 * go-back. NB: confined to the splitting range's thread.
 */
final class SplitTransfer {

  enum Outcome { CONTINUE, COMPLETE, FAILED }

  /** Room kept below {@code chunk-bytes} for a reply address longer than the one measured with. */
  static final int REPLY_TO_MARGIN = 512;

  final long id = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
  final Split split;
  final RangeDescriptor left;
  final RangeDescriptor right;
  final long startNanos = System.nanoTime();

  private final RangeEnv env;
  private final TransferSettings settings;
  private final SplitChunks chunks;
  private final Timestamp readFloor;
  private final EntityRef<Command> receiver;
  private final Serialization serialization;

  /** Where each chunk built so far starts (index: its number), to build it again after a regression. */
  private final List<SplitChunks.Position> starts = new ArrayList<>();
  /** Chunks built and not yet acknowledged, by number. */
  private final TreeMap<Integer, ReceiveChunk> unacked = new TreeMap<>();
  /** The receiver holds chunks [0, acked). */
  private int acked;
  /** The next chunk number to build; -1 once the last one is built. */
  private int nextToBuild;
  private int lastSeq = -1;
  /** Bumped by every go-back; replies of an older round are stale. */
  private int round;
  private int retries;
  private String lastFailure;

  // what the log line reports
  private int sent;
  private long bytes;
  private long largest;
  /** Measure every chunk with the serializer (a measurement found the estimate short once). */
  private static volatile boolean measureAll;

  SplitTransfer(RangeEnv env, TransferSettings settings, Split split, RangeDescriptor left, RangeDescriptor right,
      MvccStore store, List<TxnRecord> records, Timestamp readFloor) {
    this.env = env;
    this.settings = settings;
    this.split = split;
    this.left = left;
    this.right = right;
    this.chunks = new SplitChunks(store, records, right);
    this.readFloor = readFloor;
    this.receiver = env.sharding.entityRefFor(RangeActor.ENTITY_TYPE_KEY, right.entityId());
    this.serialization = SerializationExtension.get(Adapter.toClassic(env.ctx.getSystem()));
    starts.add(SplitChunks.start(right.startKey()));
  }

  /** Sends the first window; FAILED if the first chunk cannot be built. */
  Outcome start() {
    return fill();
  }

  /** Handles the answer to one chunk. */
  Outcome onAcked(ChunkAcked c) {
    if (c.failure() == null && c.complete()) {
      return Outcome.COMPLETE;
    }
    boolean current = c.attempt() == round; // else sent before the last go-back: a loss it reports is handled
    if (c.failure() != null) {
      lastFailure = "chunk " + c.seq() + ": " + c.failure();
      return current && c.seq() >= acked ? goBack(acked) : Outcome.CONTINUE;
    }
    int next = c.nextSeq();
    if (next > acked) {
      unacked.headMap(next).clear();
      acked = next;
      retries = 0;
    }
    if (next <= c.seq() && current) {
      // The receiver expects an earlier chunk than this one: one went missing (or it lost track).
      lastFailure = "chunk " + c.seq() + " met a gap: the receiver expects " + next;
      return goBack(next);
    }
    return fill();
  }

  /** Asks the receiver to give the transfer up; the answer comes as {@link TransferAbortDone}. */
  void abort() {
    env.ctx.pipeToSelf(receiver.<Reply>ask(r -> new AbortTransfer(id, right, r), settings.chunkTimeout()),
        (reply, err) -> new TransferAbortDone(id, reply instanceof ChunkAckReply a && a.complete(),
            err != null ? err.toString() : reply instanceof RangeActor.AckReply ? null : String.valueOf(reply)));
  }

  String lastFailure() {
    return lastFailure;
  }

  /** For the log: chunks sent (resends included), their bytes, the largest, and go-backs. */
  String summary() {
    return (lastSeq >= 0 ? (lastSeq + 1) + " chunks" : "last chunk not built yet") + " (" + sent + " sent, "
        + bytes + " bytes built, the largest " + largest + ")";
  }

  /** Sends again from chunk {@code from} (earlier ones, if the receiver lost track, are built again). */
  private Outcome goBack(int from) {
    if (++retries > settings.retries()) {
      return Outcome.FAILED;
    }
    round++;
    env.ctx.getLog().info("split of range {} into range {}: sending again from chunk {} ({})", left.rangeId(),
        right.rangeId(), from, lastFailure);
    if (from < acked || (!unacked.isEmpty() && from < unacked.firstKey())) {
      unacked.clear(); // the receiver regressed: build everything from there again
      acked = from;
      nextToBuild = from;
      lastSeq = -1;
    }
    for (ReceiveChunk c : unacked.tailMap(from).values()) {
      if (c.seq() >= acked + settings.window()) {
        break;
      }
      send(c);
    }
    return fill();
  }

  /** Builds and sends chunks until the window is full or the last one is out. */
  private Outcome fill() {
    while (nextToBuild >= 0 && nextToBuild < acked + settings.window()) {
      ReceiveChunk c;
      try {
        c = build(nextToBuild);
      } catch (IllegalStateException e) {
        lastFailure = e.getMessage();
        return Outcome.FAILED;
      }
      unacked.put(c.seq(), c);
      nextToBuild = c.last() ? -1 : nextToBuild + 1;
      if (c.last()) {
        lastSeq = c.seq();
      }
      send(c);
    }
    return Outcome.CONTINUE;
  }

  /**
   * Chunk {@code seq}, within {@code chunk-bytes} serialized. {@link SplitChunks}' estimate is an
   * upper bound of the encoding, so a chunk built within it fits; the real serializer checks that
   * on the first chunk of every transfer (a serialization costs about as much as the journal's own),
   * and on every chunk once a check has ever found the estimate short (the budget then shrinks).
   */
  private ReceiveChunk build(int seq) {
    SplitChunks.Position from = starts.get(seq);
    long limit = settings.chunkBytes() - REPLY_TO_MARGIN;
    long budget = limit;
    for (int tries = 0; tries < 8; tries++, budget = budget * 3 / 4) {
      SplitChunks.Chunk ch = chunks.build(from, budget);
      ReceiveChunk c = new ReceiveChunk(id, right, seq, ch.data(), ch.continues(), ch.records(), ch.last(),
          readFloor, env.ctx.getSelf().unsafeUpcast());
      long size = seq == 0 || measureAll ? serializedSize(c) : ch.estimate();
      if (size > ch.estimate()) {
        measureAll = true;
        env.ctx.getLog().warn("split of range {}: chunk {} serialized to {} bytes, above its estimate {}",
            left.rangeId(), seq, size, ch.estimate());
      }
      if (size <= limit) {
        if (starts.size() == seq + 1) {
          starts.add(ch.next());
        } else {
          starts.set(seq + 1, ch.next());
        }
        largest = Math.max(largest, size);
        bytes += size;
        return c;
      }
    }
    throw new IllegalStateException("chunk " + seq + " does not fit in " + settings.chunkBytes() + " bytes");
  }

  private int serializedSize(ReceiveChunk c) {
    return serialization.serialize(c).get().length;
  }

  private void send(ReceiveChunk c) {
    sent++;
    int attempt = round;
    env.ctx.pipeToSelf(receiver.<Reply>ask(r -> new ReceiveChunk(c.transferId(), c.desc(), c.seq(), c.data(),
            c.continues(), c.txnRecords(), c.last(), c.readFloor(), r), settings.chunkTimeout()),
        (reply, err) -> {
          if (reply instanceof ChunkAckReply a && a.transferId() == id) {
            return new ChunkAcked(id, c.seq(), attempt, a.nextSeq(), a.complete(), null);
          }
          return new ChunkAcked(id, c.seq(), attempt, -1, false, err != null ? err.toString() : String.valueOf(reply));
        });
  }
}
