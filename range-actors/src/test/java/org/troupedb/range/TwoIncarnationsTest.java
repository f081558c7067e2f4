package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * Two live incarnations of one range on one journal (the in-JVM persistence testkit journal): the
 * newer one's fence makes every replay skip what the stale one writes after it, and the stale one
 * stops once its fence check sees the journal move past it. Pekko's own replay filter (which
 * discards an old writer's events by writer id) is off here, so the fence alone decides.
 */
class TwoIncarnationsTest {
  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("""
          pekko.persistence.testkit.journal.replay-filter.mode = off
          troupedb.kv.fence-check-interval = 200ms
          # reads at "now" must see writes (a recovered range would push them above now + max offset)
          troupedb.kv.recovered-ts-cache-offset = off
          """).withFallback(PersistenceTestKitPlugin.getInstance().config())
      .withFallback(PersistenceTestKitSnapshotPlugin.config()).withFallback(ConfigFactory.load()));
  static final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  static final RangeDescriptor DESC = new RangeDescriptor(9, k("a"), k("m"), 0);
  static final RangeSettings SETTINGS = new RangeSettings(1000, Duration.ofSeconds(5), 1000, 16, 0,
      false, Duration.ofHours(1));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void theStaleIncarnationsWritesAfterTheNewerFenceAreNeverAppliedAndItStops() {
    String id = "9-" + UUID.randomUUID();
    TestProbe<RangeActor.Reply> probe = testKit.createTestProbe();
    ActorRef<RangeActor.Command> stale = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    stale.tell(new RangeActor.InitRange(DESC, List.of(), List.of(), probe.ref()));
    probe.expectMessageClass(RangeActor.AckReply.class, Duration.ofSeconds(10));
    commit(stale, "b", "before", probe);

    // The range "moves": a second incarnation recovers from the same journal while the first runs on.
    ActorRef<RangeActor.Command> newer = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    assertThat(read(newer, "b", probe)).isEqualTo("before"); // answered once its fence is durable

    // The journal does not refuse the stale one: its write is acknowledged ...
    commit(stale, "c", "stale-write", probe);
    commit(newer, "d", "newer-write", probe);
    assertThat(read(newer, "c", probe)).as("the newer incarnation never saw it").isNull();

    // ... but never applied: a third incarnation (the next recovery) replays past it.
    ActorRef<RangeActor.Command> third = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    assertThat(read(third, "b", probe)).isEqualTo("before");
    assertThat(read(third, "d", probe)).isEqualTo("newer-write");
    assertThat(read(third, "c", probe)).as("the stale write after the newer fence").isNull();

    // The stale incarnation finds the journal ahead of it (the newer one wrote) and stops.
    TestProbe<Object> watcher = testKit.createTestProbe();
    commit(stale, "e", "another-stale-write", probe); // it checks only after writing
    watcher.expectTerminated(stale, Duration.ofSeconds(10));
  }

  @Test
  void aRestartedRangeTakesAHigherEpochAndKeepsItsData() {
    String id = "9-" + UUID.randomUUID();
    TestProbe<RangeActor.Reply> probe = testKit.createTestProbe();
    ActorRef<RangeActor.Command> first = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    first.tell(new RangeActor.InitRange(DESC, List.of(), List.of(), probe.ref()));
    probe.expectMessageClass(RangeActor.AckReply.class, Duration.ofSeconds(10));
    commit(first, "b", "1", probe);
    testKit.stop(first);
    ActorRef<RangeActor.Command> second = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    commit(second, "c", "2", probe);
    testKit.stop(second);
    ActorRef<RangeActor.Command> third = testKit.spawn(RangeActor.create(id, clock, SETTINGS, null));
    assertThat(read(third, "b", probe)).isEqualTo("1");
    assertThat(read(third, "c", probe)).isEqualTo("2");
  }

  private static void commit(ActorRef<RangeActor.Command> range, String key, String value,
      TestProbe<RangeActor.Reply> probe) {
    Timestamp now = clock.now();
    TxnMeta txn = new TxnMeta(UUID.randomUUID(), k(key), now, now, 1, 0);
    range.tell(new RangeActor.Write(txn, List.of(new WriteOp(WriteOp.Kind.PUT, k(key), k(value))), true, true,
        probe.ref()));
    probe.expectMessageClass(RangeActor.WrittenReply.class, Duration.ofSeconds(10));
  }

  private static String read(ActorRef<RangeActor.Command> range, String key, TestProbe<RangeActor.Reply> probe) {
    range.tell(new RangeActor.Get(k(key), UUID.randomUUID(), clock.now(), probe.ref()));
    RangeActor.ValueReply v = probe.expectMessageClass(RangeActor.ValueReply.class, Duration.ofSeconds(10));
    return v.value() == null ? null : new String(v.value(), StandardCharsets.UTF_8);
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
