package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeActor;

/**
 * A commit whose commit-point request times out is reported as of unknown outcome (40003 in
 * SQL), not as a failure: here the journal write of the EndTxn is held past the ask timeout, and
 * the transaction turns out to have committed after all.
 */
class CommitOutcomeUnknownTest {
  @TempDir Path dir;

  @Test
  void aTimedOutEndTxnIsAnUnknownOutcomeAndTheCommitMayStillLand() throws Exception {
    var overrides = ConfigFactory.parseString("troupedb.kv.ask-timeout = 1s")
        .withFallback(PersistenceTestKitPlugin.config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config());
    try (TestNode node = TestNode.start(dir, HybridClock.system(Duration.ofMillis(500)), overrides)) {
      AtomicBoolean holdCommits = new AtomicBoolean();
      PersistenceTestKit.create(node.system).withPolicy((persistenceId, op) -> {
        if (holdCommits.get() && op instanceof WriteEvents w
            && w.getBatch().stream().anyMatch(e -> e instanceof RangeActor.IntentsResolved)) {
          try {
            Thread.sleep(2_500); // the journal answers, but only after the gateway gave up
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return ProcessingSuccess$.MODULE$;
      });

      Txn t = node.service.begin(TxnOptions.readWrite());
      await(t.write(List.of(new Mutation.Put(k("amb/a"), v("1")))));
      holdCommits.set(true);
      assertThatThrownBy(() -> await(t.commit()))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CommitOutcomeUnknownException.class)
          .hasMessageContaining("result is ambiguous");
      holdCommits.set(false);

      // The EndTxn was applied once the journal let it through: the commit happened.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      byte[] seen = null;
      while (seen == null && System.nanoTime() < deadline) {
        Txn r = node.service.begin(TxnOptions.readWrite());
        try {
          seen = await(r.get(k("amb/a")));
          await(r.commit());
        } catch (ExecutionException retry) {
          r.rollback();
        }
      }
      assertThat(seen).isEqualTo(v("1"));
    }
  }
}
