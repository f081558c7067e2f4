package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeStats;
import org.troupedb.range.TxnStatus;

/**
 * Records of transactions with intents on two ranges are removed in batches ({@link TxnRecordGc}),
 * only after their remote intents are resolved, and what they committed stays committed.
 */
class TxnRecordGcTest {

  @TempDir
  Path dir;

  @Test
  void recordsOfConcurrentCommitsGoInOneBatchAfterTheirIntentsAreResolved() throws Exception {
    // A long delay, so that the records of the concurrent commits below surely meet in one batch.
    try (TestNode node = TestNode.start(dir, HybridClock.system(Duration.ofMillis(500)),
        ConfigFactory.parseString("troupedb.kv.txn-record-gc-delay = 5s"))) {
      TxnService svc = node.service;
      svc.ensureSplitAt(k("rg/m")).toCompletableFuture().get(60, TimeUnit.SECONDS);
      RangeStats stats = RangeStats.get(node.system);
      RangeClient client = ((TxnCoordinator) svc).client();
      int n = 8;
      List<Txn> txns = new ArrayList<>();
      for (int i = 0; i < n; i++) { // anchored left of the split, one intent right of it
        Txn t = svc.begin(TxnOptions.readWrite());
        t.write(List.of(new Mutation.Put(k("rg/a" + i), v("l" + i)))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.write(List.of(new Mutation.Put(k("rg/z" + i), v("r" + i)))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.get(k("rg/z" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS); // the pipelined intents are durable
        txns.add(t);
      }
      long ends0 = stats.txnEnds();
      long resolved0 = stats.intentsResolved();
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (Txn t : txns) {
        commits.add(t.commit().toCompletableFuture());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      // Every remote intent is resolved before any record goes: n EndTxns, n remote resolutions.
      for (int round = 0; round < 600 && stats.intentsResolved() - resolved0 < 2L * n; round++) {
        Thread.sleep(50); // bounded poll of a counter (resolution is asynchronous after COMMIT)
      }
      assertThat(stats.intentsResolved() - resolved0).isEqualTo(2L * n);
      for (Txn t : txns) {
        assertThat(status(client, t.id(), k("rg/a0"))).as("a finished record waits for its batch")
            .isEqualTo(TxnStatus.COMMITTED);
      }
      for (int round = 0; round < 600 && stats.txnEnds() - ends0 <= 2L * n; round++) {
        Thread.sleep(50);
      }
      for (int i = 0; i < n; i++) {
        // An absent record reads as PENDING to a heartbeat (and would abort on a push).
        assertThat(status(client, txns.get(i).id(), k("rg/a" + i))).as("record %d removed", i)
            .isEqualTo(TxnStatus.PENDING);
      }
      assertThat(stats.txnEnds() - ends0).as("n EndTxns, n resolutions, one record GC (not n)")
          .isEqualTo(2L * n + 1);
      Txn r = svc.begin(TxnOptions.readWrite());
      for (int i = 0; i < n; i++) {
        assertThat(r.get(k("rg/a" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(v("l" + i));
        assertThat(r.get(k("rg/z" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(v("r" + i));
      }
    }
  }

  /** The status a heartbeat reads at the anchor (PENDING for an absent record); the transaction is not aborted. */
  private static TxnStatus status(RangeClient client, UUID txnId, byte[] anchor) throws Exception {
    RangeClient.Routed routed = client.send(anchor, rt -> new RangeActor.Heartbeat(txnId, anchor, false, rt))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    return ((RangeActor.TxnStatusReply) routed.reply()).status();
  }
}
