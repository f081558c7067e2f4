package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeStats;

/**
 * Reads of ranges on this node are answered on the caller's thread (no mailbox trip), and doing
 * so never shows a value that is not yet durable nor hides one whose commit was acknowledged.
 */
class LocalReadTest {

  @TempDir
  Path dir;

  @Test
  void readsOfLocalRangesSkipTheMailbox() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Txn w = node.service.begin(TxnOptions.implicitStatement());
      w.write(List.of(new Mutation.Put(k("lr/a"), v("1")))).thenCompose(x -> w.commit())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      RangeStats stats = RangeStats.get(node.system);
      // The first read after a write may go through the mailbox (the write's persist may still
      // be the last thing the range did); the following ones are local.
      get(node, "lr/a");
      long before = stats.localReads();
      for (int i = 0; i < 20; i++) {
        assertThat(get(node, "lr/a")).isEqualTo(v("1"));
      }
      assertThat(stats.localReads() - before).isEqualTo(20);
    }
  }

  @Test
  void aLocalReadNeverSeesAWriteBeforeItIsDurable() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      RangeClient client = ((TxnCoordinator) node.service).client();
      byte[] key = k("lr/counter");
      String violation = null;
      long reads = 0;
      for (long i = 1; i <= 40 && violation == null; i++) {
        Txn t = node.service.begin(TxnOptions.implicitStatement());
        CompletableFuture<Void> commit = t.write(List.of(new Mutation.Put(key, num(i))))
            .thenCompose(x -> t.commit()).toCompletableFuture();
        // Pekko applies a write's event before the journal has it; until the commit is
        // acknowledged (the journal write completed) no read may return the new value.
        for (int spin = 0; spin < 100_000 && !commit.isDone(); spin++) {
          RangeActor.Reply r = client.send(key,
              to -> new RangeActor.Get(key, UUID.randomUUID(), node.clock.now(), to)).toCompletableFuture()
              .get(30, TimeUnit.SECONDS).reply();
          reads++;
          boolean acknowledged = commit.isDone();
          if (r instanceof RangeActor.ValueReply v && v.value() != null
              && ByteBuffer.wrap(v.value()).getLong() == i && !acknowledged) {
            violation = "read " + i + " before its commit was acknowledged";
          }
        }
        commit.get(30, TimeUnit.SECONDS);
      }
      assertThat(violation).isNull();
      assertThat(reads).isGreaterThan(0);
      assertThat(get(node, "lr/counter")).isEqualTo(num(40));
    }
  }

  private static byte[] num(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private static byte[] get(TestNode node, String key) throws Exception {
    Txn t = node.service.begin(TxnOptions.implicitStatement());
    byte[] value = t.get(k(key)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    t.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return value;
  }
}
