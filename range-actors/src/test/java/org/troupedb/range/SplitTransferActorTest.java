package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccStore.KeySnapshot;
import org.troupedb.range.MvccStore.Version;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.Reply;

/**
 * A split streams its right half to the new range in chunks ({@link SplitTransfer}), never in one
 * message: a right half many times the chunk size arrives whole (every row, every version of a key
 * too large for one chunk, an intent and the transaction record anchored there), every chunk
 * within {@code chunk-bytes} as the real serializer encodes it, and the new range recovers the
 * same data from its journal. A chunk lost once is sent again and the split ends correctly; a
 * new range that stops answering makes the split fail cleanly: the new range drops what it got
 * and the splitting range stays whole and serving.
 *
 * <p>A one-node cluster: the splitting range runs outside sharding; the new ranges are real range
 * actors behind a relay (the sharded entity) that records every chunk and drops those the test
 * says; the meta range is a stub that acknowledges.
 */
class SplitTransferActorTest {
  static final int CHUNK_BYTES = 32 * 1024;
  static final ActorTestKit testKit = ActorTestKit.create("transfer", ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.hostname = "127.0.0.1"
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.loglevel = WARNING
      troupedb.kv.split-transfer.chunk-bytes = 32KiB
      troupedb.kv.split-transfer.chunk-timeout = 1s
      troupedb.kv.split-transfer.retries = 3
      """).withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
  static final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  static final RangeSettings SETTINGS = new RangeSettings(100_000, Duration.ofSeconds(5), 1000, 16, 0, false,
      Duration.ofHours(1));
  /** Every chunk each new range's relay received (dropped ones included), by range id. */
  static final Map<String, List<RangeActor.ReceiveChunk>> chunks = new ConcurrentHashMap<>();
  /** Which chunks each relay drops, by range id (none if absent). */
  static final Map<String, Predicate<RangeActor.ReceiveChunk>> drop = new ConcurrentHashMap<>();
  static final ClusterSharding sharding;

  static {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    sharding = ClusterSharding.get(testKit.system());
    sharding.init(Entity.of(RangeActor.ENTITY_TYPE_KEY, ec -> ec.getEntityId().equals(
        Long.toString(RangeDescriptor.META_RANGE_ID)) ? metaStub() : relay(ec.getEntityId())));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The meta range: acknowledges every directory update. */
  private static Behavior<Command> metaStub() {
    return Behaviors.receiveMessage(c -> {
      if (c instanceof RangeActor.UpdateDirectory u) {
        u.replyTo().tell(new RangeActor.AckReply(clock.now()));
      }
      return Behaviors.same();
    });
  }

  /** A real range {@code id} behind a relay that records its chunks and drops those {@link #drop} says. */
  private static Behavior<Command> relay(String id) {
    return Behaviors.setup(ctx -> {
      ActorRef<Command> range = ctx.spawn(RangeActor.create(id, clock, SETTINGS, sharding), "range");
      return Behaviors.receiveMessage(c -> {
        if (c instanceof RangeActor.ReceiveChunk chunk) {
          chunks.computeIfAbsent(id, x -> new CopyOnWriteArrayList<>()).add(chunk);
          if (drop.getOrDefault(id, x -> false).test(chunk)) {
            return Behaviors.same();
          }
        }
        range.tell(c);
        return Behaviors.same();
      });
    });
  }

  @Test
  void aRightHalfManyChunksLargeArrivesWholeInBoundedChunksAndRecovers() throws Exception {
    Fixture f = new Fixture(7);
    RangeActor.SplitReply split = f.split(9);
    assertThat(split.left().endKey()).isEqualTo(k(SPLIT_KEY));

    List<RangeActor.ReceiveChunk> sent = chunks.get("9");
    assertThat(sent).as("chunks").hasSizeGreaterThan(30);
    Serialization ser = SerializationExtension.get(testKit.system().classicSystem());
    long total = 0;
    for (RangeActor.ReceiveChunk c : sent) {
      int size = ser.serialize(c).get().length;
      assertThat(size).as("chunk %d serialized", c.seq()).isLessThanOrEqualTo(CHUNK_BYTES);
      total += size;
      long estimate = SplitChunks.ENVELOPE + c.desc().startKey().length + c.data().stream()
          .mapToLong(SplitChunks::estimate).sum() + c.txnRecords().stream().mapToLong(SplitChunks::estimate).sum();
      assertThat(estimate).as("chunk %d: the estimate it was built by bounds its size", c.seq()).isGreaterThanOrEqualTo(size);
    }
    assertThat(total / sent.size()).as("mean chunk size: chunks are not trivially small").isGreaterThan(CHUNK_BYTES / 4);
    assertThat(sent).as("the key with many versions spans chunks").anyMatch(RangeActor.ReceiveChunk::continues);
    assertThat(sent.stream().filter(RangeActor.ReceiveChunk::last)).hasSize(1);

    f.assertRightHalfServedBy(LocalRanges.get(testKit.system()).lookup(9).self());
    f.assertLeftHalfOnly();
    List<Object> events = PersistenceTestKit.create(testKit.system()).persistedInStorage("Range|9");
    assertThat(events.stream().filter(e -> e instanceof RangeActor.ChunkReceived c && !c.txnRecords().isEmpty())
        .flatMap(e -> ((RangeActor.ChunkReceived) e).txnRecords().stream()).map(r -> r.meta().id()))
        .as("the transaction record anchored in the right half moved with it").containsExactly(f.holder.id());

    // The new range recovers the same from its journal (the chunks, then TransferCompleted).
    ActorRef<Command> first = LocalRanges.get(testKit.system()).lookup(9).self();
    TestProbe<Object> watcher = testKit.createTestProbe();
    first.tell(RangeActor.Stop.INSTANCE);
    watcher.expectTerminated(first, Duration.ofSeconds(10));
    ActorRef<Command> recovered = testKit.spawn(RangeActor.create("9", clock, SETTINGS, sharding));
    f.assertRightHalfServedBy(recovered);
  }

  @Test
  void aChunkLostOnceIsSentAgainAndTheSplitEndsCorrectly() throws Exception {
    Fixture f = new Fixture(17);
    java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
    drop.put("19", c -> c.seq() == 3 && dropped.compareAndSet(false, true));
    RangeActor.SplitReply split = f.split(19);
    assertThat(split.left().endKey()).isEqualTo(k(SPLIT_KEY));
    assertThat(dropped).as("chunk 3 was lost once").isTrue();
    assertThat(chunks.get("19").stream().filter(c -> c.seq() == 3)).as("and sent again").hasSizeGreaterThan(1);
    f.assertRightHalfServedBy(LocalRanges.get(testKit.system()).lookup(19).self());
    f.assertLeftHalfOnly();
  }

  @Test
  void aNewRangeThatStopsAnsweringFailsTheSplitAndLeavesTheLeftRangeWholeAndServing() throws Exception {
    Fixture f = new Fixture(27);
    drop.put("29", c -> c.seq() >= 2);
    TestProbe<Reply> r = testKit.createTestProbe();
    f.left.tell(new RangeActor.Split(k(SPLIT_KEY), 29, r.ref()));
    RangeActor.FailedReply failed = r.expectMessageClass(RangeActor.FailedReply.class, Duration.ofSeconds(30));
    assertThat(failed.message()).startsWith("split failed");

    // The left range: whole, serving reads of both halves and writes in the right one.
    f.assertRightHalfServedBy(f.left);
    Timestamp now = clock.now();
    TxnMeta txn = new TxnMeta(UUID.randomUUID(), k("k05999"), now, now, 1, 0);
    f.left.tell(new RangeActor.Write(txn, List.of(new WriteOp(WriteOp.Kind.PUT, k("k05999"), k("new"))), true, true,
        r.ref()));
    r.expectMessageClass(RangeActor.WrittenReply.class);

    // The new range dropped what it got and never became a range.
    List<Object> events = PersistenceTestKit.create(testKit.system()).persistedInStorage("Range|29");
    assertThat(events).anyMatch(e -> e instanceof RangeActor.ChunkReceived)
        .anyMatch(e -> e instanceof RangeActor.TransferAborted)
        .noneMatch(e -> e instanceof RangeActor.TransferCompleted);
    ActorRef<Command> right = LocalRanges.get(testKit.system()).lookup(29).self();
    right.tell(new RangeActor.Get(k("k03000"), UUID.randomUUID(), clock.now(), r.ref()));
    assertThat(r.expectMessageClass(RangeActor.MismatchReply.class).actual()).as("no descriptor").isNull();
    assertThat(LocalRanges.get(testKit.system()).lookup(29).storeSize().keys()).as("its data dropped").isZero();
  }

  static final String SPLIT_KEY = "k01000";

  /**
   * A range [a, z) of 6,000 keys of 200-byte values (about 1.3 MB right of {@link #SPLIT_KEY},
   * some 40 chunks), one key with 600 versions (more than two chunks by itself), and an intent
   * whose transaction record is anchored in the right half.
   */
  static final class Fixture {
    final ActorRef<Command> left;
    final Map<String, byte[]> latest = new HashMap<>();
    final List<Version> manyVersions = new ArrayList<>();
    final TxnMeta holder;

    Fixture(long id) {
      Random rnd = new Random(id);
      long base = clock.now().wallTime() - Duration.ofMinutes(30).toNanos();
      List<KeySnapshot> data = new ArrayList<>();
      Timestamp holderTs = clock.now();
      holder = new TxnMeta(UUID.randomUUID(), k("k04500"), holderTs, holderTs, 1, 0);
      for (int i = 0; i < 6000; i++) {
        String key = String.format("k%05d", i);
        byte[] value = new byte[200];
        rnd.nextBytes(value);
        List<Version> versions = new ArrayList<>();
        if (i == 4000) {
          for (int v = 599; v >= 0; v--) { // newest first
            byte[] old = new byte[150];
            rnd.nextBytes(old);
            versions.add(new Version(new Timestamp(base + v * 1000L, 0), old));
          }
          manyVersions.addAll(versions);
          value = versions.get(0).value();
        } else {
          versions.add(new Version(new Timestamp(base, 0), value));
        }
        Intent intent = null;
        if (i == 4500) {
          value = k("provisional");
          intent = new Intent(k(key), holder, value);
        }
        latest.put(key, value);
        data.add(new KeySnapshot(k(key), versions, intent, List.of()));
      }
      TxnRecord record = new TxnRecord(holder, TxnStatus.PENDING, null, holderTs.wallTime());
      left = testKit.spawn(RangeActor.create(Long.toString(id), clock, SETTINGS, sharding));
      TestProbe<Reply> r = testKit.createTestProbe();
      left.tell(new RangeActor.InitRange(new RangeDescriptor(id, k("a"), k("z"), 0), data, List.of(record), r.ref()));
      r.expectMessageClass(RangeActor.AckReply.class, Duration.ofSeconds(20));
    }

    RangeActor.SplitReply split(long newId) {
      TestProbe<Reply> r = testKit.createTestProbe();
      left.tell(new RangeActor.Split(k(SPLIT_KEY), newId, r.ref()));
      return r.expectMessageClass(RangeActor.SplitReply.class, Duration.ofSeconds(60));
    }

    /** Every key from the split key on reads its latest value through {@code range}, every old version too. */
    void assertRightHalfServedBy(ActorRef<Command> range) {
      TestProbe<Reply> r = testKit.createTestProbe();
      Map<String, byte[]> seen = new HashMap<>();
      byte[] from = k(SPLIT_KEY);
      Timestamp readTs = clock.now();
      while (from != null) {
        // As the intent's own transaction: its provisional value is what it reads there.
        range.tell(new RangeActor.Scan(from, k("z"), holder.id(), readTs, 0, r.ref()));
        RangeActor.RowsReply rows = r.expectMessageClass(RangeActor.RowsReply.class, Duration.ofSeconds(10));
        for (Kv kv : rows.rows()) {
          seen.put(new String(kv.key(), StandardCharsets.UTF_8), kv.value());
        }
        from = rows.resumeKey();
      }
      Map<String, byte[]> expected = new HashMap<>(latest);
      expected.keySet().removeIf(key -> key.compareTo(SPLIT_KEY) < 0);
      assertThat(seen).as("rows of the right half").hasSameSizeAs(expected);
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        assertThat(seen.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
      for (Version v : manyVersions) {
        range.tell(new RangeActor.Get(k("k04000"), UUID.randomUUID(), v.ts(), r.ref()));
        assertThat(r.expectMessageClass(RangeActor.ValueReply.class).value()).as("k04000 at %s", v.ts())
            .isEqualTo(v.value());
      }
      range.tell(new RangeActor.Get(k("k04500"), UUID.randomUUID(), clock.now(), r.ref()));
      assertThat(r.expectMessageClass(RangeActor.ConflictReply.class).intents().get(0).txn().id())
          .as("the intent moved with its key").isEqualTo(holder.id());
    }

    /** The left range serves its own keys and sends the right half's to the new range. */
    void assertLeftHalfOnly() {
      TestProbe<Reply> r = testKit.createTestProbe();
      left.tell(new RangeActor.Get(k("k00999"), UUID.randomUUID(), clock.now(), r.ref()));
      assertThat(r.expectMessageClass(RangeActor.ValueReply.class).value()).isEqualTo(latest.get("k00999"));
      left.tell(new RangeActor.Get(k(SPLIT_KEY), UUID.randomUUID(), clock.now(), r.ref()));
      assertThat(r.expectMessageClass(RangeActor.MismatchReply.class).rightSibling().startKey())
          .isEqualTo(k(SPLIT_KEY));
    }
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
