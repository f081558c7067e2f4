package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * MVCC GC in a range actor: a GC round persists its threshold, replay (from the journal or from
 * a snapshot) rebuilds the collected state, and reads below the threshold are refused.
 */
class RangeGcActorTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  /** Physical time moves only when the test moves it: nothing here depends on the machine's speed. */
  static final AtomicLong physical = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
  static final HybridClock clock = new HybridClock(physical::get, Duration.ofMillis(500));
  static final RangeDescriptor DESC = new RangeDescriptor(7, k("a"), k("z"), 0);
  static final Duration TTL = Duration.ofHours(1);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** @param snapshotEvery 1000: recovery replays the journal; 2: it starts from a snapshot */
  @ParameterizedTest
  @ValueSource(ints = {1000, 2})
  void aGcRoundIsAnEventThatReplaysToTheSameState(int snapshotEvery) {
    // gc-interval is long: the test sends the rounds itself.
    RangeSettings settings = new RangeSettings(snapshotEvery, Duration.ofSeconds(5), 1000, 16, 0,
        false, TTL, Duration.ofHours(1), 0, Duration.ZERO);
    var kit = EventSourcedBehaviorTestKit.<RangeActor.Command, RangeActor.Event, RangeState>create(testKit.system(),
        RangeActor.create("7-" + UUID.randomUUID(), clock, settings, null),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    // A queue: 50 rows in, 50 out; one row that stays, updated twice.
    List<WriteOp> rows = new ArrayList<>();
    List<WriteOp> deletes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new WriteOp(WriteOp.Kind.PUT, k("q" + i), k("job " + i)));
      deletes.add(new WriteOp(WriteOp.Kind.DELETE, k("q" + i), null));
    }
    commit(kit, rows);
    commit(kit, List.of(new WriteOp(WriteOp.Kind.PUT, k("keep"), k("v1"))));
    physical.addAndGet(1_000_000);
    Timestamp beforeUpdate = clock.now();
    physical.addAndGet(1_000_000);
    commit(kit, deletes);
    commit(kit, List.of(new WriteOp(WriteOp.Kind.PUT, k("keep"), k("v2"))));
    RangeState full = kit.getState();
    assertThat(full.store().keyCount()).isEqualTo(51);
    long sizeFull = full.store().sizeBytes();

    var early = kit.runCommand(RangeActor.GcTick.INSTANCE);
    assertThat(early.hasNoEvents()).as("nothing is older than the window yet").isTrue();

    Timestamp written = clock.now();
    physical.addAndGet(TTL.toNanos() + 1_000_000); // the window passes
    var round = kit.runCommand(RangeActor.GcTick.INSTANCE);
    RangeActor.GarbageCollected gc = round.eventOfType(RangeActor.GarbageCollected.class);
    assertThat(gc.threshold()).isGreaterThan(written);
    assertThat(round.state().store().keyCount()).isEqualTo(1);
    assertThat(round.state().store().versionCount()).isEqualTo(1);
    assertThat(round.state().store().sizeBytes()).isLessThan(sizeFull / 20);
    assertThat(round.state().store().gcThreshold()).isEqualTo(gc.threshold());
    assertThat(kit.runCommand(RangeActor.GcTick.INSTANCE).hasNoEvents()).as("nothing left to collect").isTrue();

    kit.restart();
    RangeState back = kit.getState();
    assertThat(back.store().keyCount()).isEqualTo(1);
    assertThat(back.store().versionCount()).isEqualTo(1);
    assertThat(back.store().gcThreshold()).isEqualTo(gc.threshold());

    var now = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("keep"), UUID.randomUUID(), clock.now(), r));
    assertThat(((RangeActor.ValueReply) now.reply()).value()).isEqualTo(k("v2"));
    var old = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("keep"), UUID.randomUUID(), beforeUpdate, r));
    assertThat(old.reply()).isInstanceOfSatisfying(RangeActor.BelowGcThresholdReply.class,
        b -> assertThat(b.threshold()).isGreaterThanOrEqualTo(gc.threshold()));
    var oldScan = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Scan(k("a"), k("z"), UUID.randomUUID(),
        beforeUpdate, 0, r));
    assertThat(oldScan.reply()).isInstanceOf(RangeActor.BelowGcThresholdReply.class);
    var scan = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Scan(k("a"), k("z"), UUID.randomUUID(),
        clock.now(), 0, r));
    assertThat(((RangeActor.RowsReply) scan.reply()).rows()).extracting(kv -> new String(kv.key()))
        .containsExactly("keep");
  }

  private static void commit(EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit,
      List<WriteOp> ops) {
    Timestamp now = clock.now();
    TxnMeta t = new TxnMeta(UUID.randomUUID(), ops.get(0).key(), now, now, 1, 0);
    var w = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t, ops, true, true, r));
    assertThat(w.reply()).isInstanceOf(RangeActor.WrittenReply.class);
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
