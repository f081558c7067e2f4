package org.troupedb.range;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.troupedb.hlc.ClockOffsetException;
import org.troupedb.hlc.HybridClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to the range actors owning their keys: a cache of range descriptors (range
 * start → descriptor; a key belongs to the range with the greatest start ≤ key), sharding
 * {@code EntityRef} asks, and re-routing when a range answers {@link RangeActor.MismatchReply}
 * (the reply's descriptors go into the cache; the meta range is asked when that is not enough).
 * Every reply's clock is merged into the node's HLC. A request still unanswered when a member is
 * downed fails at once, as timed out ({@link InFlightAsks}). Thread-safe.
 *
 * <p>Never returns a MismatchReply: after {@value #MAX_ROUTING_ATTEMPTS} attempts the stage fails.
 */
public final class RangeClient {
  private static final Logger log = LoggerFactory.getLogger(RangeClient.class);
  static final int MAX_ROUTING_ATTEMPTS = 10;

  /** A reply together with the descriptor of the range that gave it. */
  public record Routed(RangeDescriptor range, RangeActor.Reply reply) {}

  private final ClusterSharding sharding;
  private final LocalRanges localRanges;
  private final Scheduler scheduler;
  /** Where a pause before re-sending to a stopped range ends ({@link #pause}). */
  private final scala.concurrent.ExecutionContextExecutor executor;
  private final HybridClock clock;
  private final Duration timeout;
  private final ConcurrentSkipListMap<byte[], RangeDescriptor> cache = new ConcurrentSkipListMap<>(Keys.COMPARATOR);
  /**
   * The cache's descriptors in key order, replaced whole on every change: every request looks up
   * its range, and a binary search over an array beats the skip list's pointer chasing.
   */
  private volatile RangeDescriptor[] sorted = new RangeDescriptor[0];
  private final java.util.concurrent.ConcurrentHashMap<Long, EntityRef<RangeActor.Command>> refs =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The reload from the meta range in flight, if any ({@link #refresh}). */
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> refreshing =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** Requests sent through sharding without an answer yet: failed at once when a member is downed. */
  private final InFlightAsks inFlight = new InFlightAsks(System::nanoTime);

  public RangeClient(ActorSystem<?> system, HybridClock clock) {
    this.sharding = ClusterSharding.get(system);
    this.localRanges = LocalRanges.get(system);
    this.scheduler = system.scheduler();
    this.executor = system.executionContext();
    this.clock = clock;
    this.timeout = system.settings().config().getDuration("troupedb.kv.ask-timeout");
    inFlight.watchDowning(system);
  }

  public HybridClock clock() {
    return clock;
  }

  /** The cached descriptor of the range holding {@code key} (possibly stale). */
  public RangeDescriptor lookup(byte[] key) {
    RangeDescriptor[] ds = sorted;
    int lo = 0;
    int hi = ds.length - 1;
    RangeDescriptor floor = null; // the last descriptor starting at or before key
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Keys.compare(ds[mid].startKey(), key) <= 0) {
        floor = ds[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return floor;
  }

  /** The cached descriptors, in key order. */
  public List<RangeDescriptor> cachedDescriptors() {
    return new ArrayList<>(cache.values());
  }

  /**
   * Reloads the descriptor cache from the meta range. Callers that come while a reload is in
   * flight share it: after a burst of splits every request of a stale gateway wants one, and
   * the meta range is a single actor.
   */
  public CompletionStage<Void> refresh() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = refreshing.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    askDirectory(0).whenComplete((v, e) -> {
      refreshing.set(null);
      if (e != null) {
        mine.completeExceptionally(e);
      } else {
        mine.complete(null);
      }
    });
    return mine;
  }

  /**
   * Reads the meta range's directory into the cache. A mismatch without a descriptor means the
   * meta range had stopped (it is moving to another node, or restarting after a journal failure):
   * asked again after a {@link #pause}, through sharding.
   */
  private CompletionStage<Void> askDirectory(int attempt) {
    return askRange(RangeDescriptor.META_RANGE_ID, RangeActor.GetDirectory::new).thenCompose(r -> {
      if (r instanceof RangeActor.DirectoryReply d) {
        learn(d.descriptors());
        return CompletableFuture.completedFuture(null);
      }
      if (r instanceof RangeActor.MismatchReply && attempt + 1 < MAX_ROUTING_ATTEMPTS) {
        return pause(attempt).thenCompose(v -> askDirectory(attempt + 1));
      }
      if (r instanceof RangeActor.MismatchReply) {
        return CompletableFuture.failedFuture(unavailable("the meta range"));
      }
      return CompletableFuture.failedFuture(new IllegalStateException("meta range answered " + r));
    });
  }

  /**
   * Completes after a delay that doubles with {@code attempt} (20 ms up to 1 s): the wait before
   * re-sending to a range that had stopped. Without it the routing attempts ran out in well under
   * a second while a range restarted (a request to a range whose recovery fails at once, e.g. behind
   * an open journal circuit breaker, bounces straight back), and the statement failed with XX000
   * "cannot route key" (ClusterRebalanceIT, 2026-12-07). Ten attempts now span about 4 s.
   */
  private CompletionStage<Void> pause(int attempt) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long millis = Math.min(1_000L, 20L << Math.min(attempt, 6));
    scheduler.scheduleOnce(Duration.ofMillis(millis), () -> done.complete(null), executor);
    return done;
  }

  /**
   * A range that stayed stopped through every routing attempt: failed as a timeout (58000 before
   * the commit point, 40003 at it), which is what it is to the caller — the range did not answer.
   */
  private static java.util.concurrent.TimeoutException unavailable(String what) {
    return new java.util.concurrent.TimeoutException(what + " did not run again within " + MAX_ROUTING_ATTEMPTS
        + " routing attempts (moving to another node, or restarting)");
  }

  /** Whether {@code m} says the range had stopped rather than that it does not hold the key. */
  private static boolean stopped(RangeActor.MismatchReply m) {
    return m.actual() == null;
  }

  /** Adds descriptors to the cache (their starts are boundaries; range ids never change per start). */
  public synchronized void learn(List<RangeDescriptor> descriptors) {
    for (RangeDescriptor d : descriptors) {
      if (d != null) {
        cache.merge(d.startKey(), d, (old, nu) -> nu.generation() >= old.generation() ? nu : old);
      }
    }
    sorted = cache.values().toArray(new RangeDescriptor[0]);
  }

  /** Asks range {@code rangeId} directly (no routing); the reply's clock is merged. */
  public CompletionStage<RangeActor.Reply> askRange(long rangeId,
      Function<ActorRef<RangeActor.Reply>, RangeActor.Command> request) {
    return askRange(rangeId, request, timeout, true);
  }

  /** {@link #askRange(long, Function)} with its own timeout (e.g. a bounded wait, whose end is no news). */
  public CompletionStage<RangeActor.Reply> askRange(long rangeId,
      Function<ActorRef<RangeActor.Reply>, RangeActor.Command> request, Duration timeout) {
    return askRange(rangeId, request, timeout, false);
  }

  private CompletionStage<RangeActor.Reply> askRange(long rangeId,
      Function<ActorRef<RangeActor.Reply>, RangeActor.Command> request, Duration timeout, boolean logTimeout) {
    // NB: the stage Pekko returns (Scala's FutureConverters CF) runs every non-async callback
    // through the default executor, which on a 2-core machine is a new thread per task. Hop
    // once, inline, into a plain CompletableFuture so the caller's chain stays on our threads.
    RangeActor local = localRanges.lookup(rangeId);
    if (local != null) {
      RangeActor.Reply direct = local.readLocally(request.apply(null));
      if (direct != null) {
        return CompletableFuture.completedFuture(observe(direct));
      }
    }
    CompletableFuture<RangeActor.Reply> out = new CompletableFuture<>();
    if (local == null) {
      inFlight.sent(out); // it may go to a node that dies: fail it when that node is downed
    }
    CompletionStage<RangeActor.Reply> asked = local != null
        ? AskPattern.ask(local.self(), request::apply, timeout, scheduler)
        : refs.computeIfAbsent(rangeId, id -> sharding.entityRefFor(RangeActor.ENTITY_TYPE_KEY, Long.toString(id)))
            .<RangeActor.Reply>ask(request::apply, timeout);
    asked.whenCompleteAsync((r, e) -> {
          if (e != null) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
            if (logTimeout && cause instanceof java.util.concurrent.TimeoutException && !out.isDone()) {
              // Not failed at a downing (InFlightAsks): the range itself did not answer in time.
              // NB: logged so that a late 58000 (the caller's "did not answer in time") has a cause.
              log.warn("range {} did not answer a {} within {} ({})", rangeId,
                  request.apply(null).getClass().getSimpleName(), timeout,
                  local != null ? "a local range" : "through sharding");
            }
            out.completeExceptionally(e);
          } else {
            out.complete(observe(r));
          }
        }, Runnable::run);
    return out;
  }

  /** Sends a request concerning {@code key} to the range owning it, re-routing on mismatches. */
  public CompletionStage<Routed> send(byte[] key, Function<ActorRef<RangeActor.Reply>, RangeActor.Command> request) {
    return send(key, request, 0, false);
  }

  /** @param stopped whether the last attempt met a range that had stopped ({@link #stopped}) */
  private CompletionStage<Routed> send(byte[] key, Function<ActorRef<RangeActor.Reply>, RangeActor.Command> request,
      int attempt, boolean stopped) {
    RangeDescriptor d = lookup(key);
    if (d == null || attempt >= MAX_ROUTING_ATTEMPTS) {
      if (attempt >= MAX_ROUTING_ATTEMPTS) {
        return CompletableFuture.failedFuture(stopped ? unavailable("the range of key " + Keys.toString(key))
            : new IllegalStateException("cannot route key " + Keys.toString(key)));
      }
      return refresh().thenCompose(v -> send(key, request, attempt + 1, false));
    }
    return askRange(d.rangeId(), request).thenCompose(r -> {
      if (r instanceof RangeActor.MismatchReply m) {
        return afterMismatch(d, m, List.of(key), attempt)
            .thenCompose(v -> send(key, request, attempt + 1, stopped(m)));
      }
      return CompletableFuture.completedFuture(new Routed(d, r));
    });
  }

  /**
   * Sends {@code items} grouped by owning range, one request per range built by
   * {@code request(group, replyTo)}, all in parallel; a group that meets a mismatch is re-grouped
   * and re-sent. Completes with one routed reply per final group.
   */
  public <T> CompletionStage<List<Routed>> sendBatch(List<T> items, Function<T, byte[]> keyOf,
      BiFunction<List<T>, ActorRef<RangeActor.Reply>, RangeActor.Command> request) {
    return sendBatch(items, keyOf, request, 0, false);
  }

  private <T> CompletionStage<List<Routed>> sendBatch(List<T> items, Function<T, byte[]> keyOf,
      BiFunction<List<T>, ActorRef<RangeActor.Reply>, RangeActor.Command> request, int attempt, boolean stopped) {
    if (attempt >= MAX_ROUTING_ATTEMPTS) {
      return CompletableFuture.failedFuture(stopped ? unavailable("a range of the batch")
          : new IllegalStateException("cannot route batch"));
    }
    Map<RangeDescriptor, List<T>> groups = group(items, keyOf);
    if (groups == null) {
      return refresh().thenCompose(v -> sendBatch(items, keyOf, request, attempt + 1, false));
    }
    List<CompletableFuture<List<Routed>>> parts = new ArrayList<>(groups.size());
    for (Map.Entry<RangeDescriptor, List<T>> g : groups.entrySet()) {
      RangeDescriptor d = g.getKey();
      List<T> group = g.getValue();
      parts.add(askRange(d.rangeId(), r -> request.apply(group, r)).thenCompose(r -> {
        if (r instanceof RangeActor.MismatchReply m) {
          return afterMismatch(d, m, group.stream().map(keyOf).toList(), attempt)
              .thenCompose(v -> sendBatch(group, keyOf, request, attempt + 1, stopped(m)));
        }
        return CompletableFuture.completedFuture(List.of(new Routed(d, r)));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Routed> out = new ArrayList<>();
      for (CompletableFuture<List<Routed>> p : parts) {
        out.addAll(p.join());
      }
      return out;
    });
  }

  /** Groups items by the cached range of their key; null if some key has no cached range. */
  public <T> Map<RangeDescriptor, List<T>> group(List<T> items, Function<T, byte[]> keyOf) {
    Map<RangeDescriptor, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      RangeDescriptor d = lookup(keyOf.apply(item));
      if (d == null) {
        return null;
      }
      groups.computeIfAbsent(d, x -> new ArrayList<>()).add(item);
    }
    return groups;
  }

  /**
   * Makes {@code key} (&gt; 0x01) a range boundary (idempotent): allocates a range id at the meta range,
   * splits the range holding the key, and records the new range in the meta range.
   */
  public CompletionStage<Void> ensureSplitAt(byte[] key) {
    if (Keys.compare(key, Keys.META_END) <= 0) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("cannot split inside the meta range: " + Keys.toString(key)));
    }
    return askRange(RangeDescriptor.META_RANGE_ID, RangeActor.AllocateRangeId::new)
        .thenCompose(idReply -> {
          long id = ((RangeActor.RangeIdReply) idReply).rangeId();
          return send(key, r -> new RangeActor.Split(key, id, r));
        })
        .thenCompose(routed -> {
          if (routed.reply() instanceof RangeActor.SplitReply s) {
            if (s.left() != null) {
              learn(List.of(s.left()));
            }
            return recordSplit(s.right());
          }
          throw new IllegalStateException("split at " + Keys.toString(key) + " failed: " + routed.reply());
        });
  }

  private CompletionStage<Void> recordSplit(RangeDescriptor right) {
    learn(List.of(right));
    return askRange(RangeDescriptor.META_RANGE_ID, r -> new RangeActor.UpdateDirectory(List.of(right), r))
        .thenAccept(r -> { });
  }

  /**
   * Fixes the descriptor cache after range {@code tried} answered a mismatch to a request for
   * {@code keys}: learns the range's current descriptor and its right sibling from the reply, and
   * reloads from the meta range unless every key now lies inside the reply's range.
   *
   * <p>NB: the reply's right sibling is the range split off {@code tried} most recently, as it was
   * then; it may have split since (another node creating tables splits the last range again and
   * again). Following right siblings alone walks that chain one range per attempt, and a gateway
   * that had not looked since a dozen splits gave up with "cannot route key". The meta range knows
   * every range start (each split is recorded there), so one reload routes any key.
   */
  public CompletionStage<Void> afterMismatch(RangeDescriptor tried, RangeActor.MismatchReply m,
      List<byte[]> keys) {
    if (m.actual() != null) {
      List<RangeDescriptor> ds = new ArrayList<>(2);
      ds.add(m.actual());
      if (m.rightSibling() != null) {
        ds.add(m.rightSibling());
      }
      learn(ds);
      if (keys.stream().allMatch(m.actual()::contains)) {
        return CompletableFuture.completedFuture(null);
      }
    }
    log.debug("range {} answered mismatch {}; reloading descriptors", tried, m);
    return refresh();
  }

  /**
   * {@link #afterMismatch(RangeDescriptor, RangeActor.MismatchReply, List)} for the {@code attempt}-th
   * try (from 0) of a request, followed by a {@link #pause} when the range had stopped (a
   * mismatch without a descriptor: moving to another node, or restarting), before it is re-sent.
   */
  public CompletionStage<Void> afterMismatch(RangeDescriptor tried, RangeActor.MismatchReply m, List<byte[]> keys,
      int attempt) {
    CompletionStage<Void> fixed = afterMismatch(tried, m, keys);
    return stopped(m) ? fixed.thenCompose(v -> pause(attempt)) : fixed;
  }

  private RangeActor.Reply observe(RangeActor.Reply r) {
    if (r.clock() != null) {
      try {
        clock.update(r.clock());
      } catch (ClockOffsetException e) {
        log.warn("range clock ahead of ours: {}", e.getMessage());
      }
    }
    return r;
  }
}
