package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * One range on the durable disk store (marker snapshots, {@link RangeStoreSync}) restarted over
 * the persistence testkit's journal: a restart skips the events the store has applied and replays
 * only those after it — the events of the last command, which were never committed to the store
 * because no command followed them — and comes back with the same data, transaction records and
 * counts, through marker snapshots that let the journal delete what the store holds.
 */
class DiskTailRecoveryTest {
  static final Path DIR;
  static final ActorTestKit testKit;

  static {
    try {
      DIR = Files.createTempDirectory("tail-recovery");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    testKit = ActorTestKit.create(ConfigFactory.parseMap(Map.of("troupedb.kv.range-storage", "disk",
            "troupedb.kv.range-storage-dir", DIR.resolve("range-data").toString()))
        .withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
  }

  static final RangeDescriptor DESC = new RangeDescriptor(7, k("a"), k("m"), 0);
  private final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  private final RangeStats stats = RangeStats.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit(int snapshotEvery) {
    RangeSettings settings = new RangeSettings(snapshotEvery, Duration.ofSeconds(5), 1000, 16, 0, true,
        Duration.ofHours(1));
    var kit = EventSourcedBehaviorTestKit.<RangeActor.Command, RangeActor.Event, RangeState>create(testKit.system(),
        RangeActor.create("7-" + UUID.randomUUID(), clock, settings, null),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    var init = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.InitRange(DESC, List.of(), List.of(), r));
    assertThat(init.reply()).isInstanceOf(RangeActor.AckReply.class);
    return kit;
  }

  @Test
  void aRestartReplaysOnlyTheEventsAfterTheStoresAppliedNumber() {
    assertThat(RangeStorage.get(testKit.system()).markerSnapshots()).isTrue();
    var kit = kit(10_000);
    for (int i = 0; i < 20; i++) {
      commit(kit, "b" + i, "v" + i);
    }
    MvccStore.Size before = kit.getState().store().size();
    long replayed = stats.eventsReplayed();
    long skipped = stats.eventsSkipped();
    kit.restart();
    // Journal: the fence, RangeInitialized, 20 x ValuesCommitted. Each command committed the events
    // before it to the store; the last write's event was still in the overlay when the range stopped.
    assertThat(stats.eventsReplayed() - replayed).as("replayed").isEqualTo(1);
    assertThat(stats.eventsSkipped() - skipped).as("skipped").isEqualTo(21);
    for (int i = 0; i < 20; i++) {
      assertThat(get(kit, "b" + i)).isEqualTo("v" + i);
    }
    assertThat(kit.getState().store().size()).isEqualTo(before);
    assertThat(kit.getState().descriptor().toString()).isEqualTo(DESC.toString());

    // A second restart right after a command (which committed everything before it) replays nothing
    // but that command's own events: a Get persists nothing.
    replayed = stats.eventsReplayed();
    kit.restart();
    assertThat(stats.eventsReplayed() - replayed).as("replayed after a read").isZero();
    assertThat(get(kit, "b7")).isEqualTo("v7");
  }

  @Test
  void transactionRecordsAndIntentsComeBackFromTheStoreNotTheJournal() {
    var kit = kit(10_000);
    Timestamp now = clock.now();
    TxnMeta txn = new TxnMeta(UUID.randomUUID(), k("c"), now, now, 1, 0);
    assertThat(kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(txn, List.of(put("c", "1"), put("d", "2")),
        false, false, r)).reply()).isInstanceOf(RangeActor.WrittenReply.class);
    commit(kit, "e", "3"); // commits the intents' event to the store
    long replayed = stats.eventsReplayed();
    kit.restart();
    assertThat(stats.eventsReplayed() - replayed).isEqualTo(1); // the last write only
    assertThat(kit.getState().txnRecord(txn.id())).as("from the store's small state").isNotNull();
    assertThat(kit.getState().store().intentCount()).isEqualTo(2);
    var end = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.EndTxn(txn, true, now, List.of(k("c"), k("d")),
        false, r));
    assertThat(end.reply()).isInstanceOf(RangeActor.TxnStatusReply.class);
    commit(kit, "f", "4");
    kit.restart();
    assertThat(get(kit, "c")).isEqualTo("1");
    assertThat(get(kit, "d")).isEqualTo("2");
    assertThat(kit.getState().txnRecord(txn.id())).isNull();
    assertThat(kit.getState().store().intentCount()).isZero();
  }

  @Test
  void markerSnapshotsKeepRecoveryCorrectAfterTheJournalDeletesEvents() {
    var kit = kit(5); // a marker every 5 events; events before the older of two are deleted
    for (int i = 0; i < 40; i++) {
      commit(kit, "g" + (i % 7), "v" + i);
    }
    MvccStore.Size before = kit.getState().store().size();
    long replayed = stats.eventsReplayed();
    long skipped = stats.eventsSkipped();
    kit.restart();
    assertThat(stats.eventsReplayed() - replayed).isLessThanOrEqualTo(1);
    assertThat(stats.eventsSkipped() - skipped).as("read after the newest marker").isLessThan(6);
    for (int i = 33; i < 40; i++) {
      assertThat(get(kit, "g" + (i % 7))).isEqualTo("v" + i);
    }
    assertThat(kit.getState().store().size()).isEqualTo(before);
  }

  private void commit(EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit, String key,
      String value) {
    Timestamp ts = clock.now();
    TxnMeta txn = new TxnMeta(UUID.randomUUID(), k(key), ts, ts, 1, 0);
    var w = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Write(txn, List.of(put(key, value)), true, true, r));
    assertThat(w.reply()).isInstanceOf(RangeActor.WrittenReply.class);
  }

  private String get(EventSourcedBehaviorTestKit<RangeActor.Command, RangeActor.Event, RangeState> kit, String key) {
    var g = kit.<RangeActor.Reply>runCommand(r -> new RangeActor.Get(k(key), UUID.randomUUID(), clock.now(), r));
    assertThat(g.reply()).isInstanceOf(RangeActor.ValueReply.class);
    byte[] v = ((RangeActor.ValueReply) g.reply()).value();
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static WriteOp put(String key, String value) {
    return new WriteOp(WriteOp.Kind.PUT, k(key), k(value));
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
