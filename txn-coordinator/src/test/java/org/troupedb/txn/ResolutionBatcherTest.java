package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeStats;

/**
 * Remote intents of finished transactions are resolved in batches per range
 * ({@link ResolutionBatcher}): resolutions that arrive while a range's batch is in flight share
 * the next command, every intent is resolved, and what committed stays committed.
 */
class ResolutionBatcherTest {

  @TempDir
  Path dir;

  @Test
  void resolutionsArrivingWhileABatchIsInFlightShareTheNextCommand() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      TxnService svc = node.service;
      RangeStats stats = RangeStats.get(node.system);
      RangeClient client = ((TxnCoordinator) svc).client();
      int n = 8;
      List<Txn> txns = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Txn t = svc.begin(TxnOptions.readWrite());
        t.write(List.of(new Mutation.Put(k("rb/" + i), v("x" + i)))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.get(k("rb/" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS); // the pipelined intent is durable
        txns.add(t);
      }
      ResolutionBatcher batcher = new ResolutionBatcher(client, new IntentResolver(client));
      long ends0 = stats.txnEnds();
      long resolved0 = stats.intentsResolved();
      long batched0 = stats.resolveBatchTxns();
      // Issued back to back: the first goes at once, the others queue while it is in flight.
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        done.add(batcher.resolve(txns.get(i).id(), List.of(k("rb/" + i)), false, null).toCompletableFuture());
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(stats.intentsResolved() - resolved0).as("every intent resolved").isEqualTo(n);
      assertThat(stats.resolveBatchTxns() - batched0).as("all through ResolveIntentsBatch").isEqualTo(n);
      assertThat(stats.txnEnds() - ends0).as("resolutions shared commands (one each without batching)")
          .isLessThan(n).isGreaterThanOrEqualTo(1);
      Txn r = svc.begin(TxnOptions.readWrite());
      for (int i = 0; i < n; i++) {
        assertThat(r.get(k("rb/" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS))
            .as("aborted intent %d is gone", i).isNull();
      }
    }
  }

  @Test
  void concurrentCommitsWithRemoteIntentsAllResolveAndStayCommitted() throws Exception {
    try (TestNode node = TestNode.start(dir, HybridClock.system(Duration.ofMillis(500)),
        ConfigFactory.parseString("troupedb.kv.resolve-batching = on"))) {
      TxnService svc = node.service;
      svc.ensureSplitAt(k("rc/m")).toCompletableFuture().get(60, TimeUnit.SECONDS);
      RangeStats stats = RangeStats.get(node.system);
      int n = 16;
      List<Txn> txns = new ArrayList<>();
      for (int i = 0; i < n; i++) { // anchored left of the split, one intent right of it
        Txn t = svc.begin(TxnOptions.readWrite());
        t.write(List.of(new Mutation.Put(k("rc/a" + i), v("l" + i)))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.write(List.of(new Mutation.Put(k("rc/z" + i), v("r" + i)))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.get(k("rc/z" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        txns.add(t);
      }
      long resolved0 = stats.intentsResolved();
      long batched0 = stats.resolveBatchTxns();
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (Txn t : txns) {
        commits.add(t.commit().toCompletableFuture());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      for (int round = 0; round < 600 && stats.intentsResolved() - resolved0 < 2L * n; round++) {
        Thread.sleep(50); // bounded poll of a counter (resolution is asynchronous after COMMIT)
      }
      assertThat(stats.intentsResolved() - resolved0).as("local and remote intents resolved").isEqualTo(2L * n);
      assertThat(stats.resolveBatchTxns() - batched0).as("the remote ones by the batcher").isEqualTo(n);
      Txn r = svc.begin(TxnOptions.readWrite());
      for (int i = 0; i < n; i++) {
        assertThat(r.get(k("rc/a" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(v("l" + i));
        assertThat(r.get(k("rc/z" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(v("r" + i));
      }
      r.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
