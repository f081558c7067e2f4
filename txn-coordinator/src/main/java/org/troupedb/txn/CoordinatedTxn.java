package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Intent;
import org.troupedb.range.Keys;
import org.troupedb.range.Kv;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.TxnStatus;
import org.troupedb.range.WriteOp;

/**
 * A transaction driven from this node (CockroachDB's TxnCoordSender, reduced to its parts):
 *
 * <ul>
 *   <li><b>write buffering</b> — an implicit (single-statement) transaction buffers its writes
 *       until commit or its next read, so a statement whose writes land on one range commits in
 *       ONE persist (1PC, no record, no intents). NB: there an Insert conflict surfaces from
 *       {@link #commit()} as {@link KeyExistsException}.
 *   <li><b>write pipelining</b> — an explicit transaction's puts and deletes are sent without
 *       waiting ({@link WritePipeline}); reads and writes of those keys, and COMMIT, wait for them.
 *   <li><b>intent tracking</b> — every key written is remembered for resolution.
 *   <li><b>read tracking + refresh</b> — read spans are remembered; if a write was pushed above
 *       the read timestamp, the reads are re-validated at the new timestamp before committing.
 *   <li><b>commit</b> — {@code EndTxn} at the anchor range (the first key written): intents on
 *       that range are resolved in the same persist; the record is kept COMMITTED only while
 *       intents on other ranges remain, which are resolved asynchronously, then the record is
 *       dropped (2PC).
 *   <li><b>conflicts</b> — other transactions' intents are pushed/resolved by
 *       {@link IntentResolver}; a live owner is waited for (woken by the range when it resolves),
 *       round after round; between rounds this transaction says it is waiting (heartbeat) and
 *       pushes the owner with its priority, which aborts the owner only if the owner waits too —
 *       so a deadlock cycle loses one member within a round or two.
 *   <li><b>locking reads</b> — with {@link Txn.ReadLock} set, rows read are locked with lock-only
 *       intents; when a lock lands above the read timestamp, the read moves up and runs again.
 * </ul>
 *
 * <pre>
 *   PENDING ──commit ok──▶ COMMITTED
 *      └──rollback / any failure──▶ ABORTED (intents resolved as aborted, asynchronously on failure)
 * </pre>
 */
final class CoordinatedTxn implements Txn {
  private static final int MAX_ATTEMPTS = 5;
  /** Conflicts met in a row by one request (each after a wait that ended) before WRITE_CONFLICT. */
  private static final int MAX_CONFLICT_ATTEMPTS = 25;

  private final TxnCoordinator coord;
  private final RangeClient client;
  // Random, not SecureRandom: UUID.randomUUID() contends on one SecureRandom on the hot path.
  private final UUID id = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
  private final TxnOptions options;
  private final int priority;
  private volatile Timestamp readTs;
  private volatile Timestamp writeTs;
  private volatile TxnState state = TxnState.PENDING;
  private volatile boolean abortedByPush;
  private boolean heartbeating; // guarded by this (pipelined writes start it from reply threads)
  private volatile boolean waiting;
  private volatile ReadLock readLock = ReadLock.NONE;
  /** {@link #setLockTimeout}, in ms; 0: none. */
  private volatile long lockTimeoutMillis;
  private byte[] anchorKey;
  /** Every key written, in order (duplicates allowed); added on the caller's thread, guarded by itself. */
  private final List<byte[]> intentKeys = java.util.Collections.synchronizedList(new ArrayList<>());
  private final WritePipeline pipeline = new WritePipeline();
  private final List<WriteOp> buffer = new ArrayList<>();
  private final List<RangeActor.Span> readSpans = new ArrayList<>();
  /**
   * The last sequence number used: each write batch and each savepoint takes the next one, on
   * the caller's thread (a pipelined write carries the numbers it was given when sent).
   */
  private int seq;
  /**
   * The upper end of the uncertainty window, fixed at begin (null: none): a committed value in
   * (readTs, limit] may have been written before this transaction began, on a clock up to the
   * max offset ahead of ours, so reads must move above it.
   */
  private final Timestamp uncertaintyLimit;
  /** Active savepoints, innermost last. */
  private final java.util.ArrayDeque<Savepoint> savepoints = new java.util.ArrayDeque<>();

  CoordinatedTxn(TxnCoordinator coord, TxnOptions options) {
    this(coord, options, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
  }

  private CoordinatedTxn(TxnCoordinator coord, TxnOptions options, int priority) {
    this.priority = priority;
    this.coord = coord;
    this.client = coord.client();
    this.options = options;
    this.readTs = options.asOf() != null ? options.asOf() : coord.clock().now();
    this.writeTs = readTs;
    // Observed timestamp (CockroachDB): a range on the node whose clock stamped readTs cannot
    // hold a value that precedes us in real time yet is stamped above readTs. With every range
    // on this node (a single-node cluster) there is no uncertainty at all.
    this.uncertaintyLimit = options.asOf() != null || coord.observedLocally() ? null
        : new Timestamp(readTs.wallTime() + coord.clock().maxOffset().toNanos(), readTs.logical());
  }

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public Timestamp readTimestamp() {
    return readTs;
  }

  @Override
  public TxnState state() {
    return state;
  }

  byte[] anchorKey() {
    return anchorKey;
  }

  void markAbortedByPush() {
    abortedByPush = true;
  }

  /** Whether this transaction is blocked on another one (told to its record by heartbeats). */
  boolean waiting() {
    return waiting;
  }

  @Override
  public void setLockTimeout(long millis) {
    lockTimeoutMillis = Math.max(0, millis);
  }

  @Override
  public void setReadLock(ReadLock mode) {
    readLock = mode;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public CompletionStage<byte[]> get(byte[] key) {
    if (readLock != ReadLock.NONE) {
      return run(() -> flush().thenCompose(v -> pipeline.awaitKeys(List.of(key)))
          .thenCompose(v -> lockingRead(() -> getAttempt(key, 0),
          value -> value == null ? List.of() : List.of(key), (value, skipped) -> skipped.isEmpty() ? value : null, 0)));
    }
    return run(() -> buffer.isEmpty() ? afterOwnWrites(pipeline.awaitKeys(List.of(key)), () -> getAttempt(key, 0))
        : flush().thenCompose(v -> getAttempt(key, 0)));
  }

  /** Runs {@code op} once {@code writes} (this transaction's in-flight writes it must see) are durable. */
  private static <T> CompletionStage<T> afterOwnWrites(CompletableFuture<Void> writes, Supplier<CompletionStage<T>> op) {
    return writes.isDone() && !writes.isCompletedExceptionally() ? op.get() : writes.thenCompose(v -> op.get());
  }

  private CompletionStage<byte[]> getAttempt(byte[] key, int attempt) {
    return client.send(key, r -> new RangeActor.Get(key, id, readTs, readLock != ReadLock.NONE, uncertainty(), r))
        .thenCompose(routed -> {
      RangeActor.Reply reply = routed.reply();
      if (reply instanceof RangeActor.ValueReply v) {
        readSpans.add(new RangeActor.Span(key, Keys.next(key)));
        return CompletableFuture.completedFuture(v.value());
      }
      if (reply instanceof RangeActor.ConflictReply c) {
        return afterConflict(c.intents(), attempt, () -> getAttempt(key, attempt + 1),
            () -> CompletableFuture.completedFuture(null));
      }
      if (reply instanceof RangeActor.UncertainReply u) {
        return afterUncertain(u.valueTs(), attempt, () -> getAttempt(key, attempt + 1));
      }
      throw unexpected(reply);
    });
  }

  @Override
  public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
    if (readLock != ReadLock.NONE) {
      return run(() -> flush().thenCompose(v -> pipeline.awaitSpan(start, end))
          .thenCompose(v -> lockingRead(() -> scanFrom(start, end, limit, new ArrayList<>(), 0),
          rows -> rows.stream().map(KeyValue::key).toList(),
          (rows, skipped) -> skipped.isEmpty() ? rows : rows.stream().filter(kv -> !skipped.contains(kv.key())).toList(),
          0)));
    }
    return run(() -> flush().thenCompose(v -> afterOwnWrites(pipeline.awaitSpan(start, end),
        () -> scanFrom(start, end, limit, new ArrayList<>(), 0))));
  }

  /**
   * A locking read: reads (other transactions' locks count as conflicts, so a locked row is waited
   * for), then locks the keys read. A lock that lands above the read timestamp met a newer
   * committed version: the earlier reads are refreshed to that timestamp and the read runs again
   * there under the locks just taken (so waiting for a lock does not end in a restart); if the
   * earlier reads changed, the transaction must restart. SKIP LOCKED: rows that another
   * transaction locked between the read and the lock are left out ({@code without}).
   */
  private <T> CompletionStage<T> lockingRead(Supplier<CompletionStage<T>> read,
      java.util.function.Function<T, List<byte[]>> keysOf,
      java.util.function.BiFunction<T, java.util.Set<byte[]>, T> without, int attempt) {
    int mark = readSpans.size();
    return read.get().thenCompose(result -> {
      List<byte[]> keys = keysOf.apply(result);
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(result);
      }
      if (anchorKey == null) {
        anchorKey = keys.get(0);
      }
      WriteOp.Kind kind = readLock.shared() ? WriteOp.Kind.SHARED_LOCK : WriteOp.Kind.LOCK;
      List<WriteOp> locks = new ArrayList<>(keys.size());
      for (byte[] k : keys) {
        locks.add(new WriteOp(kind, k, null));
      }
      TreeSet<byte[]> skipped = new TreeSet<>(Keys.COMPARATOR);
      WriteSeq ws = nextWrite(locks);
      CompletionStage<Void> locked = readLock.skipLocked() ? layLocksSkipping(locks, ws, skipped, 0)
          : layIntents(locks, ws, 0);
      return locked.thenCompose(v -> {
        if (writeTs.compareTo(readTs) <= 0) {
          return CompletableFuture.completedFuture(without.apply(result, skipped));
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD, "locked rows keep changing");
        }
        List<RangeActor.Span> earlier = new ArrayList<>(readSpans.subList(0, mark));
        return refreshSpans(earlier, writeTs, 0).thenCompose(ok -> {
          if (!ok) {
            throw new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD,
                "a locked row was written after this transaction's earlier reads");
          }
          readSpans.subList(mark, readSpans.size()).clear();
          return lockingRead(read, keysOf, without, attempt + 1);
        });
      });
    });
  }

  /** Scans range by range from {@code cur}: each request is clipped to the range holding {@code cur}. */
  private CompletionStage<List<KeyValue>> scanFrom(byte[] cur, byte[] end, int limit, List<KeyValue> acc,
      int attempt) {
    if (end != null && Keys.compare(cur, end) >= 0) {
      return CompletableFuture.completedFuture(acc);
    }
    AtomicReference<byte[]> segEndRef = new AtomicReference<>();
    return client.send(cur, r -> {
      RangeDescriptor d = client.lookup(cur);
      byte[] segEnd = minEnd(end, d.endKey());
      segEndRef.set(segEnd);
      return new RangeActor.Scan(cur, segEnd, id, readTs, limit <= 0 ? 0 : limit - acc.size(),
          readLock != ReadLock.NONE, readLock.skipLocked(), uncertainty(), r);
    }).thenCompose(routed -> {
      RangeActor.Reply reply = routed.reply();
      if (reply instanceof RangeActor.ConflictReply c) {
        return afterConflict(c.intents(), attempt, () -> scanFrom(cur, end, limit, acc, attempt + 1));
      }
      if (reply instanceof RangeActor.UncertainReply u) {
        return afterUncertain(u.valueTs(), attempt, () -> scanFrom(cur, end, limit, acc, attempt + 1));
      }
      if (!(reply instanceof RangeActor.RowsReply rows)) {
        throw unexpected(reply);
      }
      if (!rows.skipped().isEmpty() && attempt < MAX_CONFLICT_ATTEMPTS) {
        // SKIP LOCKED left rows out: skip only those of live holders; a finished or abandoned
        // holder's intents are resolved and the segment read again.
        return coord.resolver().clear(rows.skipped(), 0).thenCompose(pending -> pending.size() < rows.skipped().size()
            ? scanFrom(cur, end, limit, acc, attempt + 1) : acceptRows(rows, cur, end, limit, acc, segEndRef.get()));
      }
      return acceptRows(rows, cur, end, limit, acc, segEndRef.get());
    });
  }

  private CompletionStage<List<KeyValue>> acceptRows(RangeActor.RowsReply rows, byte[] cur, byte[] end, int limit,
      List<KeyValue> acc, byte[] segEnd) {
    for (Kv kv : rows.rows()) {
      acc.add(new KeyValue(kv.key(), kv.value()));
    }
    if (limit > 0 && acc.size() >= limit) {
      readSpans.add(new RangeActor.Span(cur, Keys.next(acc.get(acc.size() - 1).key())));
      return CompletableFuture.completedFuture(acc);
    }
    if (rows.resumeKey() != null) { // the range cut the reply short: continue in the same range
      readSpans.add(new RangeActor.Span(cur, rows.resumeKey()));
      return scanFrom(rows.resumeKey(), end, limit, acc, 0);
    }
    readSpans.add(new RangeActor.Span(cur, segEnd));
    if (segEnd == null || (end != null && Keys.compare(segEnd, end) >= 0)) {
      return CompletableFuture.completedFuture(acc);
    }
    return scanFrom(segEnd, end, limit, acc, 0);
  }

  // ------------------------------------------------------------------ writes

  @Override
  public CompletionStage<Void> write(List<Mutation> mutations) {
    return run(() -> {
      if (options.readOnly()) {
        throw new IllegalStateException("cannot write in a read-only transaction");
      }
      List<WriteOp> ops = new ArrayList<>(mutations.size());
      for (Mutation m : mutations) {
        if (m instanceof Mutation.Put p) {
          ops.add(new WriteOp(WriteOp.Kind.PUT, p.key(), p.value()));
        } else if (m instanceof Mutation.Insert i) {
          ops.add(new WriteOp(WriteOp.Kind.INSERT, i.key(), i.value()));
        } else {
          ops.add(new WriteOp(WriteOp.Kind.DELETE, m.key(), null));
        }
      }
      if (ops.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      if (anchorKey == null) {
        anchorKey = ops.get(0).key();
      }
      if (options.implicit() && intentKeys.isEmpty()) {
        buffer.addAll(ops);
        return CompletableFuture.completedFuture(null);
      }
      List<byte[]> keys = new ArrayList<>(ops.size());
      for (WriteOp op : ops) {
        keys.add(op.key());
      }
      // Writes of a key reach its range in statement order: wait for this transaction's earlier ones.
      CompletableFuture<Void> earlier = pipeline.awaitKeys(keys);
      WriteSeq ws = nextWrite(ops);
      CompletableFuture<Void> sent = afterOwnWrites(earlier, () -> layIntents(ops, ws, 0)).toCompletableFuture();
      if (!pipelinable(ops)) {
        return sent;
      }
      pipeline.track(keys, sent);
      return CompletableFuture.completedFuture(null);
    });
  }

  /**
   * Whether a statement may return before {@code ops} are durable: not with an INSERT (a duplicate
   * key fails the statement, 23505), nor under a lock timeout (55P03 fails the statement).
   */
  private boolean pipelinable(List<WriteOp> ops) {
    if (!coord.writePipelining() || lockTimeoutMillis > 0) {
      return false;
    }
    for (WriteOp op : ops) {
      if (op.kind() != WriteOp.Kind.PUT && op.kind() != WriteOp.Kind.DELETE) {
        return false;
      }
    }
    return true;
  }

  /** The sequence numbers one write batch carries, fixed when it is issued (retries reuse them). */
  private record WriteSeq(int seq, int savepointSeq) {}

  /**
   * Issues a write batch on the caller's thread: takes its sequence number, remembers its keys
   * (before sending: a partial failure must still be rolled back) and starts the heartbeat.
   */
  private WriteSeq nextWrite(List<WriteOp> ops) {
    for (WriteOp op : ops) {
      intentKeys.add(op.key());
    }
    synchronized (this) {
      if (!heartbeating) {
        heartbeating = true;
        coord.startHeartbeat(this);
      }
    }
    Savepoint innermost = savepoints.peekLast();
    return new WriteSeq(++seq, innermost == null ? 0 : innermost.seq());
  }

  /** Raises the write timestamp to at least {@code ts} (replies of pipelined writes race with the caller). */
  private synchronized void raiseWriteTs(Timestamp ts) {
    writeTs = Timestamp.max(writeTs, ts);
  }

  private CompletionStage<Void> flush() {
    if (buffer.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<WriteOp> ops = new ArrayList<>(buffer);
    buffer.clear();
    return layIntents(ops, nextWrite(ops), 0);
  }

  /** Phase one: lays {@code ops} as intents, one Write (one persist) per range, in parallel. */
  private CompletionStage<Void> layIntents(List<WriteOp> ops, WriteSeq ws, int attempt) {
    if (state != TxnState.PENDING) {
      return CompletableFuture.failedFuture(new TxnAbortedException("transaction is " + state.name().toLowerCase()));
    }
    return sendIntents(ops, ws).thenCompose(conflicts -> conflicts.isEmpty() ? CompletableFuture.completedFuture(null)
        : afterConflict(conflicts, attempt, () -> layIntents(ops, ws, attempt + 1)));
  }

  /**
   * SKIP LOCKED: lays the {@code locks}, leaving out (adding to {@code skipped}) the keys that
   * live transactions hold; a range that met a holder laid nothing, so the rest is sent again.
   */
  private CompletionStage<Void> layLocksSkipping(List<WriteOp> locks, WriteSeq ws, java.util.Set<byte[]> skipped,
      int attempt) {
    if (attempt >= MAX_CONFLICT_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.WRITE_CONFLICT, "locks still in the way");
    }
    return sendIntents(locks, ws).thenCompose(conflicts -> {
      if (conflicts.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      return coord.resolver().clear(conflicts, 0).thenCompose(pending -> {
        for (Intent in : pending) {
          skipped.add(in.key());
        }
        List<WriteOp> rest = locks.stream().filter(op -> !skipped.contains(op.key())).toList();
        return rest.isEmpty() ? CompletableFuture.completedFuture(null)
            : layLocksSkipping(rest, ws, skipped, attempt + 1);
      });
    });
  }

  /** Sends {@code ops} as intents; completes with the other transactions' intents met (nothing laid on their ranges). */
  private CompletionStage<List<Intent>> sendIntents(List<WriteOp> ops, WriteSeq ws) {
    TxnMeta meta = new TxnMeta(id, anchorKey, readTs, writeTs, priority, 0, ws.seq(), ws.savepointSeq());
    return client.sendBatch(ops, WriteOp::key, (group, r) -> new RangeActor.Write(meta, group, false, false, r))
        .thenApply(replies -> {
          List<Intent> conflicts = new ArrayList<>();
          for (RangeClient.Routed routed : replies) {
            RangeActor.Reply reply = routed.reply();
            if (reply instanceof RangeActor.WrittenReply w) {
              raiseWriteTs(w.writeTs());
            } else if (reply instanceof RangeActor.ConflictReply c) {
              conflicts.addAll(c.intents());
            } else if (reply instanceof RangeActor.KeyExistsReply k) {
              throw keyExists(k);
            } else if (reply instanceof RangeActor.TxnStatusReply) {
              throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH, null);
            } else {
              throw unexpected(reply);
            }
          }
          return conflicts;
        });
  }

  // ------------------------------------------------------------------ commit and rollback

  @Override
  public CompletionStage<Void> commit() {
    if (state == TxnState.COMMITTED) {
      return CompletableFuture.completedFuture(null);
    }
    return run(() -> {
      boolean writes = !buffer.isEmpty() || !intentKeys.isEmpty();
      // Every pipelined write must be durable (and have succeeded) before the commit point.
      CompletionStage<Void> done = afterOwnWrites(pipeline.awaitAll(), () -> !buffer.isEmpty() && intentKeys.isEmpty()
          ? onePhase(0) : flush().thenCompose(v -> commitWithRecord()));
      return done.thenCompose(v -> {
        state = TxnState.COMMITTED;
        stopHeartbeat();
        return writes ? commitWait() : CompletableFuture.<Void>completedFuture(null);
      });
    });
  }

  /**
   * Commit-wait (CockroachDB's, for commits above the present): a transaction pushed above the
   * gateway's physical clock (by a recovered range, whose timestamp cache starts at now + max
   * offset) is acknowledged only once that clock has passed its commit timestamp, so a
   * transaction that starts after the acknowledgement, on this node or within the uncertainty
   * window of another, reads above it. Nearly always no wait at all.
   */
  private CompletionStage<Void> commitWait() {
    long ahead = writeTs.wallTime() - coord.clock().physicalNow();
    if (ahead <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> { },
        CompletableFuture.delayedExecutor(ahead + 1, java.util.concurrent.TimeUnit.NANOSECONDS));
  }

  /** The buffered writes are the whole transaction: if they fall in one range, commit them in one persist. */
  private CompletionStage<Void> onePhase(int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "one-phase commit did not settle");
    }
    List<WriteOp> ops = buffer;
    Map<RangeDescriptor, List<WriteOp>> groups = client.group(ops, WriteOp::key);
    if (groups == null) {
      return client.refresh().thenCompose(v -> onePhase(attempt + 1));
    }
    if (groups.size() > 1) {
      return flush().thenCompose(v -> commitWithRecord());
    }
    RangeDescriptor d = groups.keySet().iterator().next();
    TxnMeta meta = meta();
    boolean mayPush = readSpans.isEmpty();
    var sent = commitPoint(client.askRange(d.rangeId(), r -> new RangeActor.Write(meta, ops, true, mayPush, r)));
    return sent.thenCompose(reply -> {
      if (reply instanceof RangeActor.WrittenReply w) {
        writeTs = w.writeTs();
        buffer.clear();
        return CompletableFuture.completedFuture(null);
      }
      if (reply instanceof RangeActor.MismatchReply m) {
        return client.afterMismatch(d, m).thenCompose(v -> onePhase(attempt + 1));
      }
      if (reply instanceof RangeActor.PushedReply p) {
        return refreshReads(p.writeTs()).thenCompose(ok -> {
          if (!ok) {
            throw new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "reads changed");
          }
          raiseWriteTs(p.writeTs());
          return onePhase(attempt + 1);
        });
      }
      if (reply instanceof RangeActor.ConflictReply c) {
        return afterConflict(c.intents(), attempt, () -> onePhase(attempt + 1));
      }
      if (reply instanceof RangeActor.KeyExistsReply k) {
        throw keyExists(k);
      }
      throw unexpected(reply);
    });
  }

  private CompletionStage<Void> commitWithRecord() {
    if (intentKeys.isEmpty()) {
      return CompletableFuture.completedFuture(null); // read-only
    }
    Timestamp commitTs = writeTs;
    CompletionStage<Void> refreshed = CompletableFuture.completedFuture(null);
    if (commitTs.compareTo(readTs) > 0 && !readSpans.isEmpty()) {
      refreshed = refreshReads(commitTs).thenAccept(ok -> {
        if (!ok) {
          throw new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "reads changed");
        }
      });
    }
    return refreshed.thenCompose(v -> endTxn(true, commitTs, false));
  }

  // ------------------------------------------------------------------ savepoints

  /*
   * Savepoints, after CockroachDB's sequence numbers: every write batch carries the next
   * sequence number and the innermost active savepoint's; a range keeps an own earlier intent in
   * the intent's history when it predates that savepoint. ROLLBACK TO sends the keys written
   * since the savepoint to their ranges, which pop the writes numbered at or after it (eagerly,
   * one persist per range), so reads, 1PC/2PC commit and intent resolution never need to know
   * about savepoints: the intents are what the transaction now holds.
   */

  @Override
  public Savepoint savepoint() {
    if (state != TxnState.PENDING) {
      throw new TxnAbortedException("transaction is " + state.name().toLowerCase());
    }
    Savepoint sp = new Savepoint(++seq, intentKeys.size());
    savepoints.addLast(sp);
    return sp;
  }

  @Override
  public CompletionStage<Void> rollbackTo(Savepoint sp) {
    return run(() -> {
      while (!savepoints.isEmpty() && savepoints.peekLast().seq() > sp.seq()) {
        savepoints.removeLast();
      }
      TreeSet<byte[]> distinct = new TreeSet<>(Keys.COMPARATOR);
      synchronized (intentKeys) {
        distinct.addAll(intentKeys.subList(Math.min(sp.intentMark(), intentKeys.size()), intentKeys.size()));
      }
      if (distinct.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      // The writes to undo must have landed, or one could land after the undo.
      return pipeline.awaitAll().thenCompose(v -> client.sendBatch(new ArrayList<>(distinct), k -> k,
          (group, r) -> new RangeActor.RollbackIntents(id, sp.seq(), group, r)).thenAccept(replies -> {
            for (RangeClient.Routed routed : replies) {
              if (!(routed.reply() instanceof RangeActor.AckReply)) {
                throw unexpected(routed.reply());
              }
            }
          }));
    });
  }

  @Override
  public void release(Savepoint sp) {
    while (!savepoints.isEmpty() && savepoints.peekLast().seq() >= sp.seq()) {
      savepoints.removeLast();
    }
  }

  @Override
  public Txn restart() {
    abortQuietly();
    return new CoordinatedTxn(coord, options, priority);
  }

  @Override
  public CompletionStage<Void> rollback() {
    if (state != TxnState.PENDING) {
      return CompletableFuture.completedFuture(null);
    }
    state = TxnState.ABORTED;
    buffer.clear();
    stopHeartbeat();
    if (intentKeys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // Pipelined writes still in flight stop at their next step (the state is ABORTED); wait for
    // them either way, so that none lands after the resolution that aborts its intents.
    return pipeline.awaitAll().handle((v, err) -> null).thenCompose(v -> endTxn(false, null, true));
  }

  /**
   * Ends the transaction at its anchor range. Intents on the anchor's range are resolved in the
   * same persist; the rest after the reply (the commit point is that persist), and then the
   * record is dropped. {@code awaitResolution}: complete only after every intent is resolved.
   */
  private CompletionStage<Void> endTxn(boolean commit, Timestamp commitTs, boolean awaitResolution) {
    TreeSet<byte[]> distinct = new TreeSet<>(Keys.COMPARATOR);
    synchronized (intentKeys) {
      distinct.addAll(intentKeys);
    }
    List<byte[]> keys = new ArrayList<>(distinct);
    AtomicReference<List<byte[]>> remoteRef = new AtomicReference<>();
    TxnMeta meta = meta();
    byte[] anchor = anchorKey;
    CompletionStage<RangeClient.Routed> sent = client.send(anchor, r -> {
      RangeDescriptor d = client.lookup(anchor);
      List<byte[]> local = new ArrayList<>();
      List<byte[]> remote = new ArrayList<>();
      for (byte[] k : keys) {
        (d.contains(k) ? local : remote).add(k);
      }
      remoteRef.set(remote);
      return new RangeActor.EndTxn(meta, commit, commitTs, local, !remote.isEmpty(), r);
    });
    return (commit ? commitPoint(sent) : sent).thenCompose(routed -> {
      if (!(routed.reply() instanceof RangeActor.TxnStatusReply st)) {
        throw unexpected(routed.reply());
      }
      boolean committed = st.status() == TxnStatus.COMMITTED;
      if (commit && !committed) {
        throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH, null);
      }
      List<byte[]> remote = remoteRef.get();
      if (remote.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletionStage<Void> resolution = coord.resolver().resolve(id, remote, committed, st.commitTs())
          .thenCompose(v -> client.send(anchor, r -> new RangeActor.GcTxnRecord(id, anchor, r)))
          .thenAccept(x -> { });
      return awaitResolution ? resolution : CompletableFuture.completedFuture(null);
    });
  }

  /**
   * The answer to the request that carries the commit point: a timeout there means the commit
   * may or may not have happened ({@link CommitOutcomeUnknownException}, 40003), unlike a timeout
   * of any request before it, after which the transaction has certainly not committed.
   */
  private static <T> CompletionStage<T> commitPoint(CompletionStage<T> sent) {
    return sent.exceptionally(e -> {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (c instanceof java.util.concurrent.TimeoutException) {
        throw new CommitOutcomeUnknownException(
            "result is ambiguous: no answer from the range holding the commit (" + c.getMessage() + ")", c);
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }

  /** Re-validates every read span at {@code to}; true if nothing changed, after which reads are at {@code to}. */
  private CompletionStage<Boolean> refreshReads(Timestamp to) {
    return refreshSpans(new ArrayList<>(readSpans), to, 0);
  }

  /**
   * Re-validates {@code spans} at {@code to}; true if nothing changed, after which reads are at {@code to}.
   *
   * <p>NB: a read span may cross ranges (a scan that paged over a split, or a split since the read):
   * each span is cut at the cached range boundaries first, and once more after refreshing the
   * cache if routing still fails.
   */
  private CompletionStage<Boolean> refreshSpans(List<RangeActor.Span> readOnes, Timestamp to, int attempt) {
    if (readOnes.isEmpty() || coord.unsafeSkipReadRefresh()) {
      readTs = Timestamp.max(readTs, to);
      return CompletableFuture.completedFuture(true);
    }
    Timestamp from = readTs;
    List<RangeActor.Span> spans = cutAtRanges(readOnes, client.cachedDescriptors());
    return client.sendBatch(spans, RangeActor.Span::start, (group, r) -> new RangeActor.Refresh(group, id, from, to, r))
        .handle((replies, err) -> {
          if (err != null) {
            return attempt < 1 ? client.refresh().thenCompose(v -> refreshSpans(readOnes, to, attempt + 1))
                : CompletableFuture.completedFuture(false);
          }
          for (RangeClient.Routed routed : replies) {
            if (!(routed.reply() instanceof RangeActor.AckReply)) {
              return CompletableFuture.completedFuture(false);
            }
          }
          readTs = Timestamp.max(readTs, to);
          return CompletableFuture.completedFuture(true);
        }).thenCompose(x -> x);
  }

  /** {@code spans} cut into their intersections with the (cached) {@code ranges}. */
  static List<RangeActor.Span> cutAtRanges(List<RangeActor.Span> spans, List<RangeDescriptor> ranges) {
    List<RangeActor.Span> out = new ArrayList<>();
    for (RangeActor.Span sp : spans) {
      int before = out.size();
      for (RangeDescriptor d : ranges) {
        boolean overlaps = (sp.end() == null || Keys.COMPARATOR.compare(d.startKey(), sp.end()) < 0)
            && (d.endKey() == null || Keys.COMPARATOR.compare(sp.start(), d.endKey()) < 0);
        if (overlaps) {
          byte[] start = Keys.COMPARATOR.compare(d.startKey(), sp.start()) > 0 ? d.startKey() : sp.start();
          byte[] end = d.endKey() == null ? sp.end()
              : sp.end() == null || Keys.COMPARATOR.compare(d.endKey(), sp.end()) < 0 ? d.endKey() : sp.end();
          out.add(new RangeActor.Span(start, end));
        }
      }
      if (out.size() == before) {
        out.add(sp);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * An INSERT met a live key: a duplicate if the key was live in this transaction's snapshot;
   * if it was written after the snapshot, a serialization conflict (the statement would not have
   * failed at the snapshot: 40001 lets the client retry where it now sees the row).
   */
  private static RuntimeException keyExists(RangeActor.KeyExistsReply k) {
    return k.sinceRead()
        ? new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD, "key written after this transaction's snapshot")
        : new KeyExistsException(k.key());
  }

  private TxnMeta meta() {
    Savepoint innermost = savepoints.peekLast();
    return new TxnMeta(id, anchorKey, readTs, writeTs, priority, 0, seq, innermost == null ? 0 : innermost.seq());
  }

  /** The uncertainty limit to send with a read, or null once the reads have moved past it. */
  private Timestamp uncertainty() {
    return uncertaintyLimit != null && uncertaintyLimit.compareTo(readTs) > 0 ? uncertaintyLimit : null;
  }

  /**
   * A read met a committed value at {@code valueTs} inside the uncertainty window: move the reads
   * up to it (refreshing the earlier ones there, so nothing restarts when they still hold) and
   * read again; if the earlier reads changed, the transaction restarts (40001
   * ReadWithinUncertaintyIntervalError). Implicit statements retry that internally.
   */
  private <T> CompletionStage<T> afterUncertain(Timestamp valueTs, int attempt, Supplier<CompletionStage<T>> retry) {
    if (attempt >= MAX_CONFLICT_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.UNCERTAINTY, "values keep appearing in the window");
    }
    Timestamp from = readTs;
    return refreshReads(valueTs).thenCompose(ok -> {
      if (!ok) {
        throw new TxnRetryException(TxnRetryException.Reason.UNCERTAINTY, "read at " + from
            + " found a value at " + valueTs + " (within the max clock offset) and earlier reads changed");
      }
      raiseWriteTs(readTs);
      return retry.get();
    });
  }

  private <T> CompletionStage<T> afterConflict(List<Intent> intents, int attempt, Supplier<CompletionStage<T>> retry) {
    return afterConflict(intents, attempt, retry, null);
  }

  /** As above; {@code skip} (non-null): what a SKIP LOCKED read returns when a live holder is in the way. */
  private <T> CompletionStage<T> afterConflict(List<Intent> intents, int attempt, Supplier<CompletionStage<T>> retry,
      Supplier<CompletionStage<T>> skip) {
    if (attempt >= MAX_CONFLICT_ATTEMPTS) {
      throw new TxnRetryException(TxnRetryException.Reason.WRITE_CONFLICT, "intents still in the way");
    }
    // Push first (the owner may be finished or abandoned); if it is alive, wait for it, then retry.
    return coord.resolver().clear(intents, 0).thenCompose(pending -> {
      if (pending.isEmpty()) {
        return retry.get();
      }
      if (readLock.nowait()) {
        throw new LockNotAvailableException(pending.get(0).key());
      }
      if (skip != null && readLock.skipLocked()) {
        return skip.get();
      }
      return waitOut(pending, 0, System.nanoTime()).thenCompose(v -> retry.get());
    });
  }

  /**
   * Waits until the owner of {@code pending.get(0)} lets go: each round waits (woken by the range
   * when the intent is resolved) for at most conflict-wait, then pushes the owners with this
   * transaction's priority. Meanwhile this transaction's record knows it is waiting, so in a
   * deadlock cycle (everyone waiting) the highest-priority member aborts the one it waits for;
   * a member that learns it was aborted stops with 40001. Bounded by lock-wait-timeout, and by
   * the lock timeout if one is set (rounds then end no later than it, and it fails with
   * {@link LockTimeoutException}); {@code since} is when the wait began (System.nanoTime()).
   */
  private CompletionStage<Void> waitOut(List<Intent> pending, int round, long since) {
    Intent blocker = pending.get(0);
    announceWaiting(true);
    long timeout = lockTimeoutMillis;
    java.time.Duration wait = coord.conflictWait();
    if (timeout > 0) {
      long leftMillis = timeout - (System.nanoTime() - since) / 1_000_000;
      wait = java.time.Duration.ofMillis(Math.max(1, Math.min(wait.toMillis(), leftMillis)));
    }
    CompletionStage<Void> done = coord.resolver().waitFor(blocker, wait).thenCompose(woken -> {
      if (woken) {
        return CompletableFuture.completedFuture(null);
      }
      return coord.resolver().clear(pending, priority).thenCompose(still -> {
        if (still.isEmpty()) {
          return CompletableFuture.completedFuture(null);
        }
        if (abortedByPush) {
          throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH,
              "aborted to break a deadlock while waiting for " + blocker.txn().id());
        }
        if (state == TxnState.ABORTED) { // rolled back while a pipelined write waited
          throw new TxnAbortedException("transaction is aborted");
        }
        if (timeout > 0 && System.nanoTime() - since >= timeout * 1_000_000) {
          throw new LockTimeoutException(blocker.key());
        }
        if (round + 1 >= coord.maxWaitRounds()) {
          throw new TxnRetryException(TxnRetryException.Reason.WRITE_CONFLICT,
              "conflicting transaction " + blocker.txn().id() + " is still pending after lock-wait-timeout");
        }
        return waitOut(still, round + 1, since);
      });
    });
    return done.whenComplete((v, err) -> {
      if (round == 0) {
        announceWaiting(false);
      }
    });
  }

  /**
   * Tells this transaction's record whether it is waiting (a heartbeat); the reply tells whether
   * a pusher aborted it meanwhile. Only a transaction with intents has a record worth telling.
   */
  private void announceWaiting(boolean now) {
    waiting = now;
    boolean alive;
    synchronized (this) {
      alive = heartbeating;
    }
    if (alive && anchorKey != null) {
      coord.heartbeat(this, now);
    }
  }

  /** Runs one operation: refuses it when finished; any failure finishes (aborts) the transaction. */
  private <T> CompletionStage<T> run(Supplier<CompletionStage<T>> op) {
    if (state != TxnState.PENDING) {
      return CompletableFuture.failedFuture(new TxnAbortedException("transaction is " + state.name().toLowerCase()));
    }
    if (options.asOf() != null && coord.gcTtlNanos() > 0
        && options.asOf().wallTime() < coord.clock().now().wallTime() - coord.gcTtlNanos()) {
      abortQuietly();
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "AS OF SYSTEM TIME " + options.asOf() + " is older than the MVCC GC window"));
    }
    if (abortedByPush) {
      abortQuietly();
      return CompletableFuture.failedFuture(
          new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH, "aborted by a conflicting transaction"));
    }
    Throwable failedWrite = pipeline.failure();
    if (failedWrite != null) { // a pipelined write failed after its statement returned
      abortQuietly();
      return CompletableFuture.failedFuture(failedWrite);
    }
    CompletionStage<T> stage;
    try {
      stage = op.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    if (stage instanceof CompletableFuture<T> done && done.isDone() && !done.isCompletedExceptionally()) {
      return done; // the common local read: no callbacks to chain
    }
    return stage.handle((v, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(v);
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (!statementError(cause)) {
        abortQuietly();
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  /**
   * Whether {@code cause} fails only the statement, leaving the transaction open: under a
   * savepoint, a duplicate key or a NOWAIT lock failure (its writes are undone by ROLLBACK TO).
   * Everything else — retry errors, timeouts, unexpected replies — aborts.
   */
  private boolean statementError(Throwable cause) {
    return !savepoints.isEmpty() && state == TxnState.PENDING && !abortedByPush
        && (cause instanceof KeyExistsException || cause instanceof LockNotAvailableException
            || cause instanceof LockTimeoutException);
  }

  private void abortQuietly() {
    if (state == TxnState.PENDING) {
      rollback();
    }
  }

  private synchronized void stopHeartbeat() {
    if (heartbeating) {
      coord.stopHeartbeat(this);
    }
  }

  private static byte[] minEnd(byte[] a, byte[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Keys.compare(a, b) <= 0 ? a : b;
  }

  private static RuntimeException unexpected(RangeActor.Reply reply) {
    if (reply instanceof RangeActor.BelowGcThresholdReply b) {
      // A request refused as given (22023 in SQL), like an AS OF SYSTEM TIME older than the window.
      return new IllegalArgumentException("read timestamp " + b.readTs() + " must be after the MVCC GC threshold "
          + b.threshold() + ": older versions may have been collected (the GC window, troupedb.kv.gc-ttl)");
    }
    return new IllegalStateException("unexpected reply from range: " + reply);
  }
}
