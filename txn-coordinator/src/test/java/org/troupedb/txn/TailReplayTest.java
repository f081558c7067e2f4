package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.range.RangeStats;

/**
 * Disk ranges with marker snapshots (the single-node default for {@code range-storage = disk}): a
 * restart resumes from the store's applied sequence number and replays only the journal's tail,
 * where heap ranges replay every event since their last (full) snapshot. Counted with
 * {@link RangeStats#eventsReplayed()}; every value written must come back either way.
 */
class TailReplayTest {
  static final int TXNS = 600;
  static final int KEYS_PER_TXN = 5;

  @TempDir
  Path dir;

  @Test
  void aDiskRangeReplaysOnlyTheTail() throws Exception {
    Replay r = loadAndRestart("disk", 10_000);
    assertThat(r.replayed).as("events replayed after %d transactions", TXNS).isLessThan(30);
    assertThat(r.skipped).as("events the store had applied (no snapshot: read from the journal's start)")
        .isGreaterThanOrEqualTo(TXNS);
  }

  @Test
  void markerSnapshotsLetTheJournalDeleteWhatTheStoreHolds() throws Exception {
    // A marker every 100 events: the journal deletes events the store holds; replay starts after
    // the marker and skips what the store applied past it (the marker is older than the store).
    Replay r = loadAndRestart("disk", 100);
    assertThat(r.replayed).isLessThan(30);
    assertThat(r.skipped + r.replayed).as("events read: only those after the newest marker").isLessThan(250);
  }

  @Test
  void aHeapRangeReplaysEverySinceItsSnapshot() throws Exception {
    Replay r = loadAndRestart("heap", 10_000);
    assertThat(r.replayed).isGreaterThanOrEqualTo(TXNS);
    assertThat(r.skipped).isZero();
  }

  record Replay(long replayed, long skipped) {}

  private Config settings(String storage, int snapshotEvery) {
    return ConfigFactory.parseMap(Map.of("troupedb.kv.snapshot-every", snapshotEvery))
        .withFallback(CrashWriter.storage(dir, storage));
  }

  private Replay loadAndRestart(String storage, int snapshotEvery) throws Exception {
    Config cfg = settings(storage, snapshotEvery);
    try (TestNode node = TestNode.start(dir, org.troupedb.hlc.HybridClock.system(java.time.Duration.ofMillis(500)),
        cfg)) {
      List<CompletableFuture<Void>> window = new ArrayList<>();
      for (int i = 0; i < TXNS; i++) {
        Txn txn = node.service.begin(TxnOptions.implicitStatement());
        List<Mutation> ms = new ArrayList<>();
        for (int j = 0; j < KEYS_PER_TXN; j++) {
          ms.add(new Mutation.Put(k("tail/" + i + "/" + j), v(i + "." + j)));
        }
        window.add(txn.write(ms).thenCompose(x -> txn.commit()).toCompletableFuture().thenApply(x -> null));
        if (window.size() == 8) {
          CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get();
          window.clear();
        }
      }
      CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get();
    }
    try (TestNode node = TestNode.start(dir, org.troupedb.hlc.HybridClock.system(java.time.Duration.ofMillis(500)),
        cfg)) {
      Txn t = node.service.begin(TxnOptions.readWrite());
      for (int i = 0; i < TXNS; i++) {
        for (int j = 0; j < KEYS_PER_TXN; j++) {
          assertThat(await(t.get(k("tail/" + i + "/" + j)))).as("tail/" + i + "/" + j).isEqualTo(v(i + "." + j));
        }
      }
      RangeStats stats = RangeStats.get(node.system);
      System.out.printf("TailReplayTest %s, snapshot-every %d: %d events replayed, %d skipped%n", storage,
          snapshotEvery, stats.eventsReplayed(), stats.eventsSkipped());
      return new Replay(stats.eventsReplayed(), stats.eventsSkipped());
    }
  }
}
