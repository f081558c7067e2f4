package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * A new incarnation of a range (recovered after a restart, or on another node after its node was
 * downed) knows nothing of what the previous one kept in memory: the reads it served and the
 * heartbeats of its transactions. It must not let a write land below a read the previous one may
 * have served (its timestamp cache starts at now + max offset), and must not abort a live
 * transaction whose heartbeats went to the previous one (a grace period of one expiry).
 * The physical clock is manual.
 */
class RangeIncarnationTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final Duration MAX_OFFSET = Duration.ofMillis(500);
  static final Duration EXPIRY = Duration.ofSeconds(5);
  static final RangeDescriptor DESC = new RangeDescriptor(7, k("a"), k("m"), 0);

  private final AtomicLong physical = new AtomicLong(1_000_000_000_000_000_000L);
  private final HybridClock clock = new HybridClock(physical::get, MAX_OFFSET);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit() {
    return kit(null);
  }

  /** A range created with the given read floor (the right half of a split; null: none). */
  private EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit(Timestamp readFloor) {
    RangeSettings settings = new RangeSettings(1000, EXPIRY, 1000, 16, 0, false, Duration.ofHours(1));
    var kit = EventSourcedBehaviorTestKit.<RangeActor.Command, RangeActor.Event, RangeState>create(testKit.system(),
        RangeActor.create("7-" + UUID.randomUUID(), clock, settings, null),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    var init = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), readFloor, r));
    assertThat(init.reply()).isInstanceOf(RangeActor.AckReply.class);
    return kit;
  }

  @Test
  void aWriteAfterRecoveryLandsAboveAnyReadAPreviousOwnerWithAClockAheadByTheMaxOffsetCouldHaveServed() {
    var kit = kit();
    // The previous owner ran on a node whose clock was ahead of ours by the max offset and served a
    // read at its "now": a timestamp above ours, which our new incarnation never saw.
    HybridClock previousOwner = new HybridClock(() -> physical.get() + MAX_OFFSET.toNanos(), MAX_OFFSET);
    kit.restart(); // the new incarnation (the journal is shared)
    Timestamp servedRead = previousOwner.now();
    assertThat(clock.now()).as("a cache starting at our now would miss it").isLessThan(servedRead);

    Timestamp now = clock.now();
    TxnMeta writer = new TxnMeta(UUID.randomUUID(), k("b"), now, now, 1, 0);
    var write = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(writer, List.of(put("b", "1")), false,
        false, r));
    assertThat(write.reply()).isInstanceOfSatisfying(RangeActor.WrittenReply.class,
        w -> assertThat(w.writeTs()).as("pushed above the previous owner's read").isGreaterThan(servedRead));

    // A one-phase commit that may not move is told so instead of committing below the read.
    Timestamp later = new Timestamp(physical.get(), 0);
    TxnMeta onePhase = new TxnMeta(UUID.randomUUID(), k("c"), later, later, 1, 0);
    kit.restart();
    assertThat(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(onePhase, List.of(put("c", "1")), true,
        false, r)).reply()).isInstanceOfSatisfying(RangeActor.PushedReply.class,
            p -> assertThat(p.writeTs().wallTime()).isGreaterThan(later.wallTime() + MAX_OFFSET.toNanos() - 1));
  }

  @Test
  void aNewRangeHasServedNoReadsAndDoesNotPushWrites() {
    var kit = kit(); // created, never recovered
    Timestamp now = clock.now();
    TxnMeta writer = new TxnMeta(UUID.randomUUID(), k("b"), now, now, 1, 0);
    assertThat(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(writer, List.of(put("b", "1")), true,
        false, r)).reply()).isInstanceOfSatisfying(RangeActor.WrittenReply.class,
            w -> assertThat(w.writeTs()).isEqualTo(now));
  }

  @Test
  void theRightHalfOfASplitStartsItsCacheAtTheSplittingRangesClock() {
    // The left half ran on a node whose clock is ahead of ours by the max offset and served a read
    // of a right-half key at its "now"; its clock at the split is the new range's read floor.
    HybridClock leftNode = new HybridClock(() -> physical.get() + MAX_OFFSET.toNanos(), MAX_OFFSET);
    Timestamp servedRead = leftNode.now();
    var kit = kit(leftNode.now());
    // A writer whose gateway clock is ours (behind the left node's) must not land below that read.
    Timestamp gateway = new Timestamp(physical.get(), 0);
    assertThat(gateway).isLessThan(servedRead);
    TxnMeta writer = new TxnMeta(UUID.randomUUID(), k("b"), gateway, gateway, 1, 0);
    assertThat(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(writer, List.of(put("b", "1")), false,
        false, r)).reply()).isInstanceOfSatisfying(RangeActor.WrittenReply.class,
            w -> assertThat(w.writeTs()).as("pushed above the left half's read").isGreaterThan(servedRead));
  }

  @Test
  void aLiveTransactionWhoseHeartbeatsWentToThePreviousIncarnationIsNotAbortedWithinTheGracePeriod() {
    var kit = kit();
    Timestamp now = clock.now();
    TxnMeta live = new TxnMeta(UUID.randomUUID(), k("b"), now, now, 1, 0);
    TxnMeta abandoned = new TxnMeta(UUID.randomUUID(), k("c"), now, now, 1, 0);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(live, List.of(put("b", "1")), false, false, r));
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(abandoned, List.of(put("c", "1")), false, false, r));
    physical.addAndGet(EXPIRY.multipliedBy(2).toNanos());
    // Control: in the same incarnation, a record without a heartbeat for two expiries is abandoned.
    assertThat(status(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(abandoned, 1, r)).reply()))
        .isEqualTo(TxnStatus.ABORTED);

    kit.restart(); // the range moved: its heartbeats (in memory) are gone
    assertThat(status(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(live, 1, r)).reply()))
        .as("within one expiry of the new incarnation's start").isEqualTo(TxnStatus.PENDING);
    physical.addAndGet(EXPIRY.plusSeconds(1).toNanos());
    assertThat(status(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(live, 1, r)).reply()))
        .as("no heartbeat reached the new incarnation within its grace period").isEqualTo(TxnStatus.ABORTED);
  }

  private static TxnStatus status(Object reply) {
    assertThat(reply).isInstanceOf(RangeActor.TxnStatusReply.class);
    return ((RangeActor.TxnStatusReply) reply).status();
  }

  private static WriteOp put(String key, String value) {
    return new WriteOp(WriteOp.Kind.PUT, k(key), k(value));
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
