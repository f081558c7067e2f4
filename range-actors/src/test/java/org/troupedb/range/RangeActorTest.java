package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * One range actor under {@link EventSourcedBehaviorTestKit}: commands, events and replies are
 * round-tripped through their (jackson-cbor) serializers by the testkit.
 */
class RangeActorTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  static final RangeDescriptor DESC = new RangeDescriptor(7, k("a"), k("m"), 0);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit(int snapshotEvery) {
    return kit(snapshotEvery, false);
  }

  private EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit(int snapshotEvery,
      boolean groupCommit) {
    RangeSettings settings = new RangeSettings(snapshotEvery, Duration.ofSeconds(5), 1000, 16, 0,
        groupCommit, Duration.ofHours(1));
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        RangeActor.create("7-" + UUID.randomUUID(), clock, settings, null),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  @Test
  void batchIsOnePersistAndTwoPhaseCommitResolvesLocally() {
    var kit = kit(1000);
    assertThat(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r)).reply())
        .isInstanceOf(RangeActor.AckReply.class);

    TxnMeta t = txn(k("b"));
    var write = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t,
        List.of(put("b", "1"), put("c", "2"), put("d", "3")), false, false, r));
    assertThat(write.reply()).isInstanceOf(RangeActor.WrittenReply.class);
    assertThat(write.events()).hasSize(1);
    assertThat(write.eventOfType(RangeActor.IntentsWritten.class).createRecord()).isTrue();
    assertThat(write.state().txnRecord(t.id()).status()).isEqualTo(TxnStatus.PENDING);

    Timestamp later = clock.now();
    var conflict = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("c"), UUID.randomUUID(), later, r));
    assertThat(conflict.reply()).isInstanceOfSatisfying(RangeActor.ConflictReply.class,
        c -> assertThat(c.intents().get(0).txn().id()).isEqualTo(t.id()));
    var own = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("c"), t.id(), t.readTs(), r));
    assertThat(((RangeActor.ValueReply) own.reply()).value()).isEqualTo(k("2"));

    Timestamp commitTs = clock.now();
    var end = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.EndTxn(t, true, commitTs,
        List.of(k("b"), k("c"), k("d")), false, r));
    assertThat(end.reply()).isInstanceOfSatisfying(RangeActor.TxnStatusReply.class,
        s -> assertThat(s.status()).isEqualTo(TxnStatus.COMMITTED));
    assertThat(end.events()).hasSize(2);
    assertThat(end.state().txnRecord(t.id())).isNull();
    assertThat(end.state().store().intentCount()).isZero();

    var read = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Scan(k("a"), k("m"), UUID.randomUUID(),
        clock.now(), 0, r));
    assertThat(((RangeActor.RowsReply) read.reply()).rows()).hasSize(3);
  }

  @Test
  void onePhaseWriteAndValidationRepliesAndRecovery() {
    var kit = kit(2); // snapshots every 2 events: recovery goes through a snapshot
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta t = txn(k("b"));
    var onePc = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t,
        List.of(new WriteOp(WriteOp.Kind.INSERT, k("b"), k("1")), put("c", "2")), true, true, r));
    assertThat(onePc.reply()).isInstanceOf(RangeActor.WrittenReply.class);
    assertThat(onePc.events()).singleElement().isInstanceOf(RangeActor.ValuesCommitted.class);

    var dup = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(txn(k("b")),
        List.of(new WriteOp(WriteOp.Kind.INSERT, k("b"), k("9"))), true, true, r));
    assertThat(dup.reply()).isInstanceOf(RangeActor.KeyExistsReply.class);
    assertThat(dup.hasNoEvents()).isTrue();

    var outside = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("x"), UUID.randomUUID(), clock.now(), r));
    assertThat(outside.reply()).isInstanceOfSatisfying(RangeActor.MismatchReply.class,
        m -> assertThat(m.actual().rangeId()).isEqualTo(7));

    // A write below a read by another transaction is pushed above the read.
    Timestamp readAt = clock.now();
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("e"), UUID.randomUUID(), readAt, r));
    TxnMeta old = new TxnMeta(UUID.randomUUID(), k("e"), new Timestamp(1, 0), new Timestamp(1, 0), 1, 0);
    var pushed = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(old, List.of(put("e", "5")), false, false, r));
    assertThat(((RangeActor.WrittenReply) pushed.reply()).writeTs()).isGreaterThan(readAt);

    kit.restart();
    var after = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), r));
    assertThat(((RangeActor.ValueReply) after.reply()).value()).isEqualTo(k("1"));
    assertThat(after.state().store().intentAt(k("e"))).isNotNull();
    assertThat(after.state().txnRecord(old.id()).status()).isEqualTo(TxnStatus.PENDING);
  }

  @Test
  void groupCommitRepliesAfterTheFlushAndSurvivesRestart() {
    var kit = kit(1000, true);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta t = txn(k("b"));
    var w = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t, List.of(put("b", "1"), put("c", "2")),
        true, true, r));
    assertThat(w.reply()).isInstanceOf(RangeActor.WrittenReply.class);
    TxnMeta u = txn(k("d"));
    var i = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(u, List.of(put("d", "3")), false, false, r));
    assertThat(i.reply()).isInstanceOf(RangeActor.WrittenReply.class);
    var read = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("c"), UUID.randomUUID(), clock.now(), r));
    assertThat(((RangeActor.ValueReply) read.reply()).value()).isEqualTo(k("2"));
    kit.restart();
    var after = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), r));
    assertThat(((RangeActor.ValueReply) after.reply()).value()).isEqualTo(k("1"));
    assertThat(after.state().store().intentAt(k("d")).txn().id()).isEqualTo(u.id());
  }

  @Test
  void pushAbortsAnAbsentRecordSoALateFirstWriteFails() {
    var kit = kit(1000);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta t = txn(k("b"));
    var push = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(t, 0, r));
    assertThat(((RangeActor.TxnStatusReply) push.reply()).status()).isEqualTo(TxnStatus.ABORTED);
    var late = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t, List.of(put("b", "1")), false, false, r));
    assertThat(((RangeActor.TxnStatusReply) late.reply()).status()).isEqualTo(TxnStatus.ABORTED);
    assertThat(late.hasNoEvents()).isTrue();
  }

  @Test
  void snapshotRoundTripsThroughItsSerializer() throws Exception {
    RangeState st = new RangeState();
    TxnMeta t = txn(k("b"));
    st.apply(new RangeActor.RangeInitialized(DESC, List.of(), List.of()));
    st.apply(new RangeActor.IntentsWritten(t, List.of(put("b", "1")), true, 5));
    st.apply(new RangeActor.ValuesCommitted(clock.now(), List.of(put("c", "2"))));
    RangeState.Snapshot snap = st.toSnapshot();
    Serialization ser = SerializationExtension.get(testKit.system().classicSystem());
    byte[] bytes = ser.serialize(snap).get();
    var serializer = ser.findSerializerFor(snap);
    assertThat(serializer.getClass().getSimpleName()).contains("Cbor");
    RangeState.Snapshot back = (RangeState.Snapshot) ser.deserialize(bytes, serializer.identifier(),
        org.apache.pekko.serialization.Serializers.manifestFor(serializer, snap)).get();
    RangeState restored = RangeState.fromSnapshot(back);
    assertThat(restored.store().get(k("c"), clock.now(), UUID.randomUUID()).value()).isEqualTo(k("2"));
    assertThat(restored.store().intentAt(k("b")).txn().id()).isEqualTo(t.id());
    assertThat(restored.txnRecord(t.id()).status()).isEqualTo(TxnStatus.PENDING);
  }

  @Test
  void splitIsPendingInMetaUntilRecordedAndMovesDataAndRecords() {
    RangeState st = new RangeState();
    TxnMeta anchoredRight = txn(k("x"));
    st.apply(new RangeActor.RangeInitialized(new RangeDescriptor(7, k("a"), null, 0), List.of(), List.of()));
    st.apply(new RangeActor.IntentsWritten(anchoredRight, List.of(put("x", "1")), true, 5));
    st.apply(new RangeActor.ValuesCommitted(clock.now(), List.of(put("b", "2"))));
    RangeDescriptor left = new RangeDescriptor(7, k("a"), k("m"), 1);
    RangeDescriptor right = new RangeDescriptor(8, k("m"), null, 0);
    st.apply(new RangeActor.RangeSplit(left, right));
    assertThat(st.descriptor()).isEqualTo(left);
    assertThat(st.store().keyCount()).isEqualTo(1);
    assertThat(st.txnRecord(anchoredRight.id())).isNull();
    assertThat(RangeState.fromSnapshot(st.toSnapshot()).metaPending).isEqualTo(right);
    st.apply(new RangeActor.DirectoryRecorded(right));
    assertThat(st.metaPending).isNull();
  }

  @Test
  void aHigherPriorityPushAbortsALiveHolderOnlyWhileItWaits() {
    var kit = kit(1000);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta holder = txn(k("b")); // priority 1
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(holder, List.of(put("b", "1")), false, false, r));
    var working = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(holder, 100, r));
    assertThat(((RangeActor.TxnStatusReply) working.reply()).status()).as("not waiting: not in a cycle")
        .isEqualTo(TxnStatus.PENDING);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Heartbeat(holder.id(), k("b"), true, r));
    var lower = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(holder, 1, r));
    assertThat(((RangeActor.TxnStatusReply) lower.reply()).status()).isEqualTo(TxnStatus.PENDING);
    var higher = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.PushTxn(holder, 100, r));
    assertThat(((RangeActor.TxnStatusReply) higher.reply()).status()).as("waiting and outranked")
        .isEqualTo(TxnStatus.ABORTED);
  }

  @Test
  void recordGcInABatchRemovesOnlyFinalRecordsInOnePersist() {
    var kit = kit(1000);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta done1 = txn(k("b"));
    TxnMeta done2 = txn(k("c"));
    TxnMeta live = txn(k("d"));
    for (TxnMeta t : List.of(done1, done2, live)) {
      kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(t, List.of(new WriteOp(WriteOp.Kind.PUT,
          t.anchorKey(), k("1"))), false, false, r));
    }
    for (TxnMeta t : List.of(done1, done2)) { // committed, an intent elsewhere kept the record
      kit.<RangeActor.Reply>runCommand(r -> new RangeActor.EndTxn(t, true, clock.now(), List.of(t.anchorKey()),
          true, r));
    }
    var outside = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.GcTxnRecords(List.of(done1.id(), done2.id()),
        List.of(k("b"), k("x")), r));
    assertThat(outside.reply()).as("an anchor this range does not own").isInstanceOf(RangeActor.MismatchReply.class);
    assertThat(outside.hasNoEvents()).isTrue();

    var gc = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.GcTxnRecords(
        List.of(done1.id(), done2.id(), live.id(), UUID.randomUUID()), List.of(k("b"), k("c"), k("d"), k("e")), r));
    assertThat(gc.reply()).isInstanceOf(RangeActor.AckReply.class);
    assertThat(gc.events()).as("one persist: the two final records").hasSize(2)
        .allMatch(e -> e instanceof RangeActor.TxnRecordRemoved);
    assertThat(gc.state().txnRecord(done1.id())).isNull();
    assertThat(gc.state().txnRecord(done2.id())).isNull();
    assertThat(gc.state().txnRecord(live.id()).status()).as("a PENDING record stays").isEqualTo(TxnStatus.PENDING);
    kit.restart();
    var after = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("b"), UUID.randomUUID(), clock.now(), r));
    assertThat(((RangeActor.ValueReply) after.reply()).value()).as("committed stays committed").isEqualTo(k("1"));
    assertThat(after.state().txnRecord(done2.id())).isNull();
    assertThat(after.state().txnRecord(live.id())).isNotNull();
  }

  @Test
  void resolveIntentsBatchResolvesManyTransactionsInOnePersist() {
    var kit = kit(1000);
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    TxnMeta committed = txn(k("x1")); // anchored elsewhere: only intents here
    TxnMeta aborted = txn(k("x2"));
    TxnMeta none = txn(k("x3"));
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(committed, List.of(put("b", "1"), put("c", "1")),
        false, false, r));
    kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(aborted, List.of(put("d", "2")), false, false, r));
    Timestamp commitTs = clock.now();

    var outside = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.ResolveIntentsBatch(List.of(
        new RangeActor.Resolution(committed.id(), true, commitTs, List.of(k("b"))),
        new RangeActor.Resolution(aborted.id(), false, null, List.of(k("d"), k("z")))), r));
    assertThat(outside.reply()).as("a key this range does not own").isInstanceOf(RangeActor.MismatchReply.class);
    assertThat(outside.hasNoEvents()).isTrue();

    var batch = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.ResolveIntentsBatch(List.of(
        new RangeActor.Resolution(committed.id(), true, commitTs, List.of(k("b"), k("c"))),
        new RangeActor.Resolution(aborted.id(), false, null, List.of(k("d"))),
        new RangeActor.Resolution(none.id(), true, commitTs, List.of(k("e")))), r));
    assertThat(batch.reply()).isInstanceOf(RangeActor.AckReply.class);
    assertThat(batch.events()).as("one persist, one event per transaction holding intents here").hasSize(2)
        .allMatch(e -> e instanceof RangeActor.IntentsResolved);
    kit.restart();
    Timestamp later = clock.now();
    for (String key : List.of("b", "c")) {
      var get = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k(key), UUID.randomUUID(), later, r));
      assertThat(((RangeActor.ValueReply) get.reply()).value()).as("committed %s", key).isEqualTo(k("1"));
    }
    var gone = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k("d"), UUID.randomUUID(), later, r));
    assertThat(((RangeActor.ValueReply) gone.reply()).value()).as("aborted intent discarded").isNull();
    var again = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.ResolveIntentsBatch(List.of(
        new RangeActor.Resolution(committed.id(), true, commitTs, List.of(k("b")))), r));
    assertThat(again.reply()).as("idempotent").isInstanceOf(RangeActor.AckReply.class);
    assertThat(again.hasNoEvents()).isTrue();
  }

  private static TxnMeta txn(byte[] anchor) {
    Timestamp now = clock.now();
    return new TxnMeta(UUID.randomUUID(), anchor, now, now, 1, 0);
  }

  private static WriteOp put(String key, String value) {
    return new WriteOp(WriteOp.Kind.PUT, k(key), k(value));
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
