package org.troupedb.txn;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.TxnStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link TxnService}: starts {@link CoordinatedTxn}s over a {@link RangeClient} and
 * heartbeats the records of live transactions that have laid intents (so pushers do not abort
 * them), noting when a record was aborted by a pusher.
 */
public final class TxnCoordinator implements TxnService {
  private static final Logger log = LoggerFactory.getLogger(TxnCoordinator.class);

  private final RangeClient client;
  private final IntentResolver resolver;
  private final TxnFinisher finisher;
  private final Map<UUID, TxnHeartbeat> heartbeating = new ConcurrentHashMap<>();
  private final TxnHeartbeat.Registry heartbeats = new Heartbeats();
  private final long gcTtlNanos;
  private final Duration conflictWait;
  private final int maxWaitRounds;
  private final ActorSystem<?> system;
  private final boolean localObservedTimestamps;
  private final boolean unsafeSkipReadRefresh;
  private final boolean writePipelining;

  TxnCoordinator(ActorSystem<?> system, RangeClient client) {
    this.client = client;
    this.system = system;
    this.resolver = new IntentResolver(client);
    this.finisher = new TxnFinisher(client, resolver, new TxnRecordGc(client,
        system.settings().config().getDuration("troupedb.kv.txn-record-gc-delay"), system.scheduler(),
        system.executionContext()),
        system.settings().config().getBoolean("troupedb.kv.resolve-batching") ? new ResolutionBatcher(client, resolver) : null);
    this.localObservedTimestamps = system.settings().config().getBoolean("troupedb.kv.local-observed-timestamps");
    this.unsafeSkipReadRefresh = system.settings().config().getBoolean("troupedb.kv.testing.unsafe-skip-read-refresh");
    if (unsafeSkipReadRefresh) {
      log.warn("troupedb.kv.testing.unsafe-skip-read-refresh is on: transactions are NOT serializable"
          + " (a test of the list-append checker)");
    }
    this.writePipelining = system.settings().config().getBoolean("troupedb.kv.write-pipelining");
    this.gcTtlNanos = system.settings().config().getDuration("troupedb.kv.gc-ttl").toNanos();
    this.conflictWait = system.settings().config().getDuration("troupedb.kv.conflict-wait");
    Duration lockWait = system.settings().config().getDuration("troupedb.kv.lock-wait-timeout");
    this.maxWaitRounds = (int) Math.max(1, lockWait.toMillis() / Math.max(1, conflictWait.toMillis()));
    Duration every = system.settings().config().getDuration("troupedb.kv.heartbeat-interval");
    system.scheduler().scheduleWithFixedDelay(every, every, this::heartbeat, system.executionContext());
  }

  @Override
  public Txn begin(TxnOptions options) {
    return new CoordinatedTxn(this, options);
  }

  @Override
  public HybridClock clock() {
    return client.clock();
  }

  @Override
  public CompletionStage<Void> ensureSplitAt(byte[] key) {
    return client.ensureSplitAt(key);
  }

  /** The MVCC GC window: historical reads further back than this are refused (0: none). */
  long gcTtlNanos() {
    return gcTtlNanos;
  }

  /**
   * Whether every range is on this node, whose clock stamps a transaction's start: then no
   * committed value can precede the transaction in real time while carrying a later timestamp,
   * and reads have no uncertainty window (CockroachDB's observed timestamps, for one node).
   */
  boolean observedLocally() {
    if (!localObservedTimestamps) {
      return false;
    }
    // members() is the state's own Scala set (getMembers() copies it into a Java one per call).
    return org.apache.pekko.cluster.typed.Cluster.get(system).state().members().size() <= 1;
  }

  /**
   * NB: true only in tests that must see serializability broken: a refresh then validates nothing
   * (see {@code troupedb.kv.testing.unsafe-skip-read-refresh} in reference.conf).
   */
  boolean unsafeSkipReadRefresh() {
    return unsafeSkipReadRefresh;
  }

  /** Whether statements' intent writes are pipelined ({@link WritePipeline}). */
  boolean writePipelining() {
    return writePipelining;
  }

  /** How long a transaction waits for a conflicting live transaction before WRITE_CONFLICT. */
  Duration conflictWait() {
    return conflictWait;
  }

  /** How many conflict-wait rounds a transaction waits for one live conflicting transaction. */
  int maxWaitRounds() {
    return maxWaitRounds;
  }

  RangeClient client() {
    return client;
  }

  IntentResolver resolver() {
    return resolver;
  }

  TxnFinisher finisher() {
    return finisher;
  }

  /** Where this node's transactions register their heartbeats ({@link TxnHeartbeat}). */
  TxnHeartbeat.Registry heartbeats() {
    return heartbeats;
  }

  /** Whether {@code txnId}'s record is being heartbeated now. */
  boolean isHeartbeating(UUID txnId) {
    return heartbeating.containsKey(txnId);
  }

  private void heartbeat() {
    for (TxnHeartbeat hb : heartbeating.values()) {
      heartbeats.beat(hb, hb.waiting());
    }
  }

  /** The node's side of {@link TxnHeartbeat}: the live records, heartbeated by the timer above. */
  private final class Heartbeats implements TxnHeartbeat.Registry {
    @Override
    public void start(TxnHeartbeat hb) {
      heartbeating.put(hb.txnId(), hb);
    }

    @Override
    public void stop(TxnHeartbeat hb) {
      heartbeating.remove(hb.txnId());
    }

    /** Heartbeats {@code hb}'s record now, saying whether it waits; notes an abort by a pusher. */
    @Override
    public void beat(TxnHeartbeat hb, boolean waiting) {
      byte[] anchor = hb.anchorKey();
      client.send(anchor, r -> new RangeActor.Heartbeat(hb.txnId(), anchor, waiting, r)).whenComplete((routed, err) -> {
        if (err != null) {
          log.debug("heartbeat of {} failed: {}", hb.txnId(), err.toString());
        } else if (routed.reply() instanceof RangeActor.TxnStatusReply st && st.status() == TxnStatus.ABORTED) {
          hb.markAbortedByPush();
        }
      });
    }
  }
}
