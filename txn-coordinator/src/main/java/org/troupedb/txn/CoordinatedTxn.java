package org.troupedb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Intent;
import org.troupedb.range.Keys;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.WriteOp;

/**
 * A transaction driven from this node (CockroachDB's TxnCoordSender): a short chain of parts,
 * each one concern, each in its own class, wired here from the top down:
 *
 * <pre>
 *   CoordinatedTxn      reads, writes, savepoints, commit / rollback; the state machine below
 *     ├─ TxnReader      point reads and range-by-range scans; the uncertainty window
 *     ├─ WritePipeline  an explicit transaction's writes in flight, awaited by what must see them
 *     ├─ WriteBuffer    an implicit transaction's writes, and the one-phase commit (one range)
 *     ├─ SpanRefresher  read spans and the read timestamp; re-validates reads at a pushed timestamp
 *     ├─ ConflictWaiter pushes, waits for or skips other transactions' intents (NOWAIT, lock_timeout)
 *     ├─ TxnHeartbeat   keeps the record alive, announces waiting, learns of an abort by a push
 *     ├─ TxnFinisher    EndTxn at the anchor (the 2PC commit point), then remote intent resolution
 *     └─ CommitWait     holds the acknowledgement of a commit above the present
 * </pre>
 *
 * <p>What stays here is what every part shares: the write timestamp, the intent keys, the
 * sequence numbers and savepoints, and the locking read (which reads, then locks through the
 * write path, then refreshes). Other transactions' intents met by a request are pushed and
 * resolved by {@link IntentResolver}; locking reads ({@link Txn.ReadLock}) lock rows with
 * lock-only intents and move the read up when a lock lands above the read timestamp.
 *
 * <pre>
 *   PENDING ──commit ok──▶ COMMITTED
 *      └──rollback / any failure──▶ ABORTED (intents resolved as aborted, asynchronously on failure)
 * </pre>
 *
 * <p>Threads. NB: a transaction serves one operation at a time ({@link Txn}), but an operation
 * continues on reply threads, a pipelined write completes while the caller goes on, and the
 * node's heartbeat timer reads the record's anchor. The fields are grouped by who owns them.
 */
final class CoordinatedTxn implements Txn, WriteBuffer.Owner {
  /** Locking-read rounds (each after a lock landed above the read timestamp) before 40001. */
  private static final int MAX_ATTEMPTS = 5;

  // Immutable.
  private final TxnCoordinator coord;
  private final RangeClient client;
  // Random, not SecureRandom: UUID.randomUUID() contends on one SecureRandom on the hot path.
  private final UUID id = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
  private final TxnOptions options;
  private final int priority;

  // The parts (each documents its own threads).
  private final TxnHeartbeat heartbeat;
  private final SpanRefresher refresher;
  private final ConflictWaiter waiter;
  private final TxnReader reader;
  private final WriteBuffer buffer;
  private final WritePipeline pipeline = new WritePipeline();

  // Guarded by this (raised by pipelined writes' replies while the caller reads it); volatile for readers.
  private volatile Timestamp writeTs;

  // Volatile: set on the caller's thread, read by continuations on reply threads.
  private volatile TxnState state = TxnState.PENDING;
  private volatile ReadLock readLock = ReadLock.NONE;

  /** Every key written, in order (duplicates allowed); added on the caller's thread, guarded by itself. */
  private final List<byte[]> intentKeys = java.util.Collections.synchronizedList(new ArrayList<>());

  // Owned by the current operation (on the caller's thread, or the reply thread it continues on).
  /**
   * The last sequence number used: each write batch and each savepoint takes the next one
   * (a pipelined write carries the numbers it was given when sent).
   */
  private int seq;
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
    Timestamp readTs = options.asOf() != null ? options.asOf() : coord.clock().now();
    this.writeTs = readTs;
    // Observed timestamp (CockroachDB): a range on the node whose clock stamped readTs cannot
    // hold a value that precedes us in real time yet is stamped above readTs. With every range
    // on this node (a single-node cluster) there is no uncertainty at all.
    Timestamp uncertaintyLimit = options.asOf() != null || coord.observedLocally() ? null
        : new Timestamp(readTs.wallTime() + coord.clock().maxOffset().toNanos(), readTs.logical());
    this.heartbeat = new TxnHeartbeat(id, coord.heartbeats());
    this.refresher = new SpanRefresher(client, id, readTs, coord.unsafeSkipReadRefresh());
    this.waiter = new ConflictWaiter(coord.resolver(), heartbeat, priority, coord.conflictWait(),
        coord.maxWaitRounds(), () -> readLock, () -> state);
    this.reader = new TxnReader(client, id, uncertaintyLimit, refresher, waiter, () -> readLock, this::raiseWriteTs);
    this.buffer = new WriteBuffer(client, refresher, waiter, this);
  }

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public Timestamp readTimestamp() {
    return refresher.readTs();
  }

  @Override
  public TxnState state() {
    return state;
  }

  @Override
  public void setLockTimeout(long millis) {
    waiter.setLockTimeout(millis);
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
          .thenCompose(v -> lockingRead(() -> reader.get(key),
          value -> value == null ? List.of() : List.of(key), (value, skipped) -> skipped.isEmpty() ? value : null, 0)));
    }
    return run(() -> buffer.isEmpty() ? afterOwnWrites(pipeline.awaitKeys(List.of(key)), () -> reader.get(key))
        : flush().thenCompose(v -> reader.get(key)));
  }

  /** Runs {@code op} once {@code writes} (this transaction's in-flight writes it must see) are durable. */
  private static <T> CompletionStage<T> afterOwnWrites(CompletableFuture<Void> writes, Supplier<CompletionStage<T>> op) {
    return writes.isDone() && !writes.isCompletedExceptionally() ? op.get() : writes.thenCompose(v -> op.get());
  }

  @Override
  public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
    if (readLock != ReadLock.NONE) {
      return run(() -> flush().thenCompose(v -> pipeline.awaitSpan(start, end))
          .thenCompose(v -> lockingRead(() -> reader.scan(start, end, limit),
          rows -> rows.stream().map(KeyValue::key).toList(),
          (rows, skipped) -> skipped.isEmpty() ? rows : rows.stream().filter(kv -> !skipped.contains(kv.key())).toList(),
          0)));
    }
    return run(() -> flush().thenCompose(v -> afterOwnWrites(pipeline.awaitSpan(start, end),
        () -> reader.scan(start, end, limit))));
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
    int mark = refresher.mark();
    return read.get().thenCompose(result -> {
      List<byte[]> keys = keysOf.apply(result);
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(result);
      }
      heartbeat.anchorIfUnset(keys.get(0));
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
        if (writeTs.compareTo(refresher.readTs()) <= 0) {
          return CompletableFuture.completedFuture(without.apply(result, skipped));
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD, "locked rows keep changing");
        }
        return refresher.refreshBefore(mark, writeTs).thenCompose(ok -> {
          if (!ok) {
            throw new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD,
                "a locked row was written after this transaction's earlier reads");
          }
          refresher.forgetSince(mark);
          return lockingRead(read, keysOf, without, attempt + 1);
        });
      });
    });
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
      heartbeat.anchorIfUnset(ops.get(0).key());
      if (options.implicit() && intentKeys.isEmpty()) {
        buffer.add(ops);
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
    if (!coord.writePipelining() || waiter.lockTimeoutMillis() > 0) {
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
    heartbeat.start();
    Savepoint innermost = savepoints.peekLast();
    return new WriteSeq(++seq, innermost == null ? 0 : innermost.seq());
  }

  /** Raises the write timestamp to at least {@code ts} (replies of pipelined writes race with the caller). */
  @Override
  public synchronized void raiseWriteTs(Timestamp ts) {
    writeTs = Timestamp.max(writeTs, ts);
  }

  private CompletionStage<Void> flush() {
    if (buffer.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<WriteOp> ops = buffer.drain();
    return layIntents(ops, nextWrite(ops), 0);
  }

  /** Phase one: lays {@code ops} as intents, one Write (one persist) per range, in parallel. */
  private CompletionStage<Void> layIntents(List<WriteOp> ops, WriteSeq ws, int attempt) {
    if (state != TxnState.PENDING) {
      return CompletableFuture.failedFuture(new TxnAbortedException("transaction is " + state.name().toLowerCase()));
    }
    return sendIntents(ops, ws).thenCompose(conflicts -> conflicts.isEmpty() ? CompletableFuture.completedFuture(null)
        : waiter.afterConflict(conflicts, attempt, () -> layIntents(ops, ws, attempt + 1)));
  }

  /**
   * SKIP LOCKED: lays the {@code locks}, leaving out (adding to {@code skipped}) the keys that
   * live transactions hold; a range that met a holder laid nothing, so the rest is sent again.
   */
  private CompletionStage<Void> layLocksSkipping(List<WriteOp> locks, WriteSeq ws, java.util.Set<byte[]> skipped,
      int attempt) {
    if (attempt >= ConflictWaiter.MAX_CONFLICT_ATTEMPTS) {
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
    TxnMeta meta = new TxnMeta(id, heartbeat.anchorKey(), refresher.readTs(), writeTs, priority, 0, ws.seq(),
        ws.savepointSeq());
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
              throw RangeReplies.keyExists(k);
            } else if (reply instanceof RangeActor.TxnStatusReply) {
              throw new TxnRetryException(TxnRetryException.Reason.ABORTED_BY_PUSH, null);
            } else {
              throw RangeReplies.unexpected(reply);
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
          ? buffer.commitOnePhase() : commitTwoPhase());
      return done.thenCompose(v -> {
        state = TxnState.COMMITTED;
        heartbeat.stop();
        return writes ? CommitWait.until(writeTs, coord.clock()) : CompletableFuture.<Void>completedFuture(null);
      });
    });
  }

  @Override
  public CompletionStage<Void> commitTwoPhase() {
    return flush().thenCompose(v -> commitWithRecord());
  }

  @Override
  public void committedAt(Timestamp ts) {
    writeTs = ts;
  }

  private CompletionStage<Void> commitWithRecord() {
    if (intentKeys.isEmpty()) {
      return CompletableFuture.completedFuture(null); // read-only
    }
    Timestamp commitTs = writeTs;
    CompletionStage<Void> refreshed = CompletableFuture.completedFuture(null);
    if (commitTs.compareTo(refresher.readTs()) > 0 && !refresher.isEmpty()) {
      refreshed = refresher.refresh(commitTs).thenAccept(ok -> {
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
                throw RangeReplies.unexpected(routed.reply());
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
    heartbeat.stop();
    if (intentKeys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // Pipelined writes still in flight stop at their next step (the state is ABORTED); wait for
    // them either way, so that none lands after the resolution that aborts its intents.
    return pipeline.awaitAll().handle((v, err) -> null).thenCompose(v -> endTxn(false, null, true));
  }

  /** Ends the transaction at its record ({@link TxnFinisher}): committing at {@code commitTs}, or aborting. */
  private CompletionStage<Void> endTxn(boolean commit, Timestamp commitTs, boolean awaitResolution) {
    TreeSet<byte[]> distinct = new TreeSet<>(Keys.COMPARATOR);
    synchronized (intentKeys) {
      distinct.addAll(intentKeys);
    }
    return coord.finisher().finish(meta(), new ArrayList<>(distinct), commit, commitTs, awaitResolution);
  }

  /** {@code spans} cut at the {@code ranges}' boundaries ({@link SpanRefresher#cutAtRanges}). */
  static List<RangeActor.Span> cutAtRanges(List<RangeActor.Span> spans, List<RangeDescriptor> ranges) {
    return SpanRefresher.cutAtRanges(spans, ranges);
  }

  // ------------------------------------------------------------------ plumbing

  @Override
  public TxnMeta meta() {
    Savepoint innermost = savepoints.peekLast();
    return new TxnMeta(id, heartbeat.anchorKey(), refresher.readTs(), writeTs, priority, 0, seq,
        innermost == null ? 0 : innermost.seq());
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
    if (heartbeat.abortedByPush()) {
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
    return !savepoints.isEmpty() && state == TxnState.PENDING && !heartbeat.abortedByPush()
        && (cause instanceof KeyExistsException || cause instanceof LockNotAvailableException
            || cause instanceof LockTimeoutException);
  }

  private void abortQuietly() {
    if (state == TxnState.PENDING) {
      rollback();
    }
  }
}
