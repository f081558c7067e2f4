package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Reply;

/**
 * A range actor's lifecycle phases as its callers meet them, in a one-node cluster whose sharded
 * "ranges" other than the one under test are stubs the test answers for: the right half of a
 * split (so the split stays SPLITTING until the test acknowledges it) and the meta range (so the
 * test decides when a size-triggered split gets its range id). The range under test runs
 * outside sharding, on the in-memory journal of the persistence testkit.
 */
class RangePhasesActorTest {
  static final ActorTestKit testKit = ActorTestKit.create("phases", ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.hostname = "127.0.0.1"
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.loglevel = WARNING
      """).withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
  static final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  /** The chunks sent to the right half of a split (range 9), held until the test answers them. */
  static final TestProbe<Command> rightHalf = testKit.createTestProbe();
  /** AllocateRangeId and UpdateDirectory sent to the meta range, held until the test answers them. */
  static final TestProbe<Command> metaRange = testKit.createTestProbe();
  static final ClusterSharding sharding;

  static {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    sharding = ClusterSharding.get(testKit.system());
    sharding.init(Entity.of(RangeActor.ENTITY_TYPE_KEY, ec -> forward(
        ec.getEntityId().equals(Long.toString(RangeDescriptor.META_RANGE_ID)) ? metaRange.ref() : rightHalf.ref())));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Behavior<Command> forward(ActorRef<Command> to) {
    return Behaviors.receiveMessage(c -> {
      to.tell(c);
      return Behaviors.same();
    });
  }

  /** A range {@code id} over [a, m) outside sharding, created and recovered; splits above {@code splitKeys}. */
  private static ActorRef<Command> range(long id, int splitKeys) {
    return range(id, splitKeys, false);
  }

  private static ActorRef<Command> range(long id, int splitKeys, boolean groupCommit) {
    RangeSettings settings = new RangeSettings(1000, Duration.ofSeconds(5), 1000, 16, splitKeys,
        groupCommit, Duration.ofHours(1));
    ActorRef<Command> range = testKit.spawn(RangeActor.create(Long.toString(id), clock, settings, sharding));
    TestProbe<Reply> r = testKit.createTestProbe();
    range.tell(new RangeActor.InitRange(new RangeDescriptor(id, k("a"), k("m"), 0), List.of(), List.of(), r.ref()));
    r.expectMessageClass(RangeActor.AckReply.class);
    return range;
  }

  @Test
  void aReadAfterAWriteGoesThroughTheMailboxUntilACommandFindsTheStateDurable() {
    ActorRef<Command> range = range(7, 0);
    TestProbe<Reply> r = testKit.createTestProbe();
    written(range, "b", r);
    RangeActor local = LocalRanges.get(testKit.system()).lookup(7);
    RangeActor.Get get = new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), null);
    assertThat(local.readLocally(get)).as("WRITING: to the mailbox").isNull();

    range.tell(new RangeActor.GetDirectory(r.ref())); // a read-only command: the write is durable by now
    r.expectMessageClass(RangeActor.DirectoryReply.class);
    assertThat(local.readLocally(get)).as("SERVING: answered on this thread")
        .isInstanceOfSatisfying(RangeActor.ValueReply.class, v -> assertThat(v.value()).isEqualTo(k("1")));
  }

  /**
   * FLUSHING: while a group commit's batch is in the journal (held there by the test), a local
   * read of a key outside the batch is answered from the durable state, one of a key in the
   * batch goes to the mailbox (it would see a write not yet durable) and is answered once the
   * batch is durable, with the batch's writes in it; afterwards local reads see the batch.
   */
  @Test
  void duringAFlushLocalReadsSeeDurableKeysAndNeverTheBatchInFlight() throws Exception {
    ActorRef<Command> range = range(37, 0, true);
    TestProbe<Reply> r = testKit.createTestProbe();
    written(range, "b", r); // durable: b = 1
    TxnMeta holder = new TxnMeta(UUID.randomUUID(), k("f"), clock.now(), clock.now(), 1, 0);
    range.tell(new RangeActor.Write(holder, List.of(new WriteOp(WriteOp.Kind.PUT, k("f"), k("9"))), false, false,
        r.ref()));
    r.expectMessageClass(RangeActor.WrittenReply.class); // durable: an intent of holder at f
    RangeActor local = LocalRanges.get(testKit.system()).lookup(37);
    RangeStats stats = RangeStats.get(testKit.system());

    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    CountDownLatch inJournal = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    journal.withPolicy((pid, op) -> {
      if (pid.equals("Range|37") && op instanceof WriteEvents && inJournal.getCount() > 0) {
        inJournal.countDown();
        try {
          release.await(20, TimeUnit.SECONDS); // holds the batch in the journal (bounded)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return ProcessingSuccess.getInstance();
    });
    try {
      TestProbe<Reply> w = testKit.createTestProbe();
      Timestamp now = clock.now();
      TxnMeta one = new TxnMeta(UUID.randomUUID(), k("c"), now, now, 1, 0);
      range.tell(new RangeActor.Write(one, List.of(new WriteOp(WriteOp.Kind.PUT, k("c"), k("2")),
          new WriteOp(WriteOp.Kind.PUT, k("b"), k("3"))), true, true, w.ref()));
      assertThat(inJournal.await(20, TimeUnit.SECONDS)).as("the batch reached the journal").isTrue();
      w.expectNoMessage(Duration.ofMillis(100)); // not durable, not acknowledged

      Timestamp readTs = clock.now();
      long flushingBefore = stats.localReadsDeclined(RangeStats.DeclinedRead.FLUSHING);
      assertThat(local.readLocally(new RangeActor.Get(k("c"), UUID.randomUUID(), readTs, null)))
          .as("a key of the batch: to the mailbox").isNull();
      assertThat(local.readLocally(new RangeActor.Get(k("b"), UUID.randomUUID(), readTs, null)))
          .as("b is in the batch too").isNull();
      assertThat(local.readLocally(new RangeActor.Scan(k("a"), k("d"), UUID.randomUUID(), readTs, 0, null)))
          .as("a scan over the batch's keys: to the mailbox").isNull();
      assertThat(stats.localReadsDeclined(RangeStats.DeclinedRead.FLUSHING) - flushingBefore).isEqualTo(3);
      assertThat(local.readLocally(new RangeActor.Get(k("a"), UUID.randomUUID(), readTs, null)))
          .as("a key outside the batch, never written: answered here, empty")
          .isInstanceOfSatisfying(RangeActor.ValueReply.class, v -> assertThat(v.value()).isNull());
      assertThat(local.readLocally(new RangeActor.Get(k("f"), UUID.randomUUID(), readTs, null)))
          .as("a durable intent outside the batch: answered here, a conflict")
          .isInstanceOfSatisfying(RangeActor.ConflictReply.class,
              c -> assertThat(c.intents().get(0).txn().id()).isEqualTo(holder.id()));
      assertThat(local.readLocally(new RangeActor.Scan(k("d"), k("m"), UUID.randomUUID(), readTs, 0, null)))
          .as("a scan beside the batch: answered here")
          .isInstanceOf(RangeActor.ConflictReply.class);
      range.tell(new RangeActor.Get(k("c"), UUID.randomUUID(), clock.now(), r.ref())); // waits for the flush
      r.expectNoMessage(Duration.ofMillis(100));

      release.countDown();
      w.expectMessageClass(RangeActor.WrittenReply.class);
      assertThat(r.expectMessageClass(RangeActor.ValueReply.class).value())
          .as("the mailbox read, after the flush: the batch's write").isEqualTo(k("2"));
      Timestamp after = clock.now();
      for (String[] kv : new String[][] {{"b", "3"}, {"c", "2"}}) {
        assertThat(local.readLocally(new RangeActor.Get(k(kv[0]), UUID.randomUUID(), after, null)))
            .as("%s after the flush: the durable batch, answered here", kv[0])
            .isInstanceOfSatisfying(RangeActor.ValueReply.class, v -> assertThat(v.value()).isEqualTo(k(kv[1])));
      }
    } finally {
      release.countDown();
      journal.resetPolicy();
    }
  }

  @Test
  void whileSplittingEveryCommandWaitsForTheRightHalfAndRunsAfterTheSplit() {
    ActorRef<Command> range = range(17, 0);
    TestProbe<Reply> r = testKit.createTestProbe();
    written(range, "b", r);

    range.tell(new RangeActor.Split(k("h"), 9, r.ref()));
    RangeActor.ReceiveChunk init = rightHalf.expectMessageClass(RangeActor.ReceiveChunk.class);
    assertThat(init.desc().startKey()).isEqualTo(k("h"));
    assertThat(init.last()).as("a small right half: one chunk").isTrue();
    RangeActor local = LocalRanges.get(testKit.system()).lookup(17);
    assertThat(local.readLocally(new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), null)))
        .as("SPLITTING: no local reads").isNull();
    range.tell(new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), r.ref()));
    r.expectNoMessage(Duration.ofMillis(300)); // stashed: nothing can answer it before the split ends

    init.replyTo().tell(new RangeActor.ChunkAckReply(init.transferId(), 1, true, clock.now()));
    RangeActor.SplitReply split = r.expectMessageClass(RangeActor.SplitReply.class);
    assertThat(split.left().endKey()).isEqualTo(k("h"));
    RangeActor.ValueReply value = r.expectMessageClass(RangeActor.ValueReply.class);
    assertThat(value.value()).as("the stashed read, answered after the split").isEqualTo(k("1"));
    RangeActor.UpdateDirectory update = metaRange.expectMessageClass(RangeActor.UpdateDirectory.class);
    assertThat(update.descriptors()).containsExactly(split.right());
    update.replyTo().tell(new RangeActor.AckReply(clock.now()));
  }

  @Test
  void aSizeTriggeredSplitAsksForOneRangeIdAtATimeAndAsksAgainOnlyOnceItIsDone() {
    ActorRef<Command> range = range(27, 2);
    TestProbe<Reply> r = testKit.createTestProbe();
    for (String key : List.of("b", "c", "d")) {
      written(range, key, r);
    }
    // Three keys > split-keys 2: ALLOCATING_ID. More durable writes ask for no second id meanwhile.
    RangeActor.AllocateRangeId allocate = metaRange.expectMessageClass(RangeActor.AllocateRangeId.class);
    for (String key : List.of("e", "f")) {
      written(range, key, r);
    }
    metaRange.expectNoMessage(Duration.ofMillis(300));

    allocate.replyTo().tell(new RangeActor.RangeIdReply(9, clock.now())); // SPLITTING at the median key
    RangeActor.ReceiveChunk init = rightHalf.expectMessageClass(RangeActor.ReceiveChunk.class);
    init.replyTo().tell(new RangeActor.ChunkAckReply(init.transferId(), 1, true, clock.now()));
    RangeActor.UpdateDirectory update = metaRange.expectMessageClass(RangeActor.UpdateDirectory.class);
    assertThat(update.descriptors().get(0).startKey()).isEqualTo(init.desc().startKey());
    update.replyTo().tell(new RangeActor.AckReply(clock.now()));
    // Until the meta range's record is durable (DirectoryRecorded) no range splits again.
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    r.awaitAssert(Duration.ofSeconds(10), () -> assertThat(journal.persistedInStorage("Range|27"))
        .anyMatch(e -> e instanceof RangeActor.DirectoryRecorded));

    // Done (IDLE): the left half grows past split-keys again, and the next durable write asks anew.
    for (String key : List.of("a", "aa", "ab")) {
      written(range, key, r);
    }
    metaRange.expectMessageClass(RangeActor.AllocateRangeId.class);
  }

  /** Commits {@code key} = "1" in one phase and waits until it is written (durable). */
  private static void written(ActorRef<Command> range, String key, TestProbe<Reply> r) {
    Timestamp now = clock.now();
    TxnMeta txn = new TxnMeta(UUID.randomUUID(), k(key), now, now, 1, 0);
    range.tell(new RangeActor.Write(txn, List.of(new WriteOp(WriteOp.Kind.PUT, k(key), k("1"))), true, true, r.ref()));
    r.expectMessageClass(RangeActor.WrittenReply.class);
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
