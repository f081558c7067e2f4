package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;

/**
 * Commit-wait: a transaction pushed above the gateway's physical clock (here by a read another
 * node served at a timestamp ahead of ours, within the max offset; after a range move, by the
 * recovered range's timestamp cache) is acknowledged only once the clock has passed its commit
 * timestamp, so no transaction that starts after the acknowledgement can read below it.
 */
class CommitWaitTest {
  @TempDir
  static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("node"), HybridClock.system(Duration.ofSeconds(5)),
        com.typesafe.config.ConfigFactory.empty());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aCommitPushedAboveTheClockIsAcknowledgedOnlyOnceTheClockHasPassedIt() throws Exception {
    TxnService svc = node.service;
    Txn first = svc.begin(TxnOptions.implicitStatement());
    await(first.write(List.of(new Mutation.Put(k("cw/a"), v("0")))));
    await(first.commit());

    // A read 2 s ahead of our clock (a node whose clock runs that far ahead served it; the max
    // offset is 5 s here, so that a slow machine does not catch up with it before the commit).
    RangeClient client = new RangeClient(node.system, node.clock);
    await(client.refresh());
    Timestamp ahead = node.clock.now().plusNanos(Duration.ofSeconds(2).toNanos());
    RangeClient.Routed read = await(client.send(k("cw/a"),
        r -> new RangeActor.Get(k("cw/a"), UUID.randomUUID(), ahead, false, r)));
    assertThat(read.reply()).isInstanceOf(RangeActor.ValueReply.class);

    Txn writer = svc.begin(TxnOptions.readWrite());
    await(writer.write(List.of(new Mutation.Put(k("cw/a"), v("1")), new Mutation.Put(k("cw/b"), v("1")))));
    await(writer.commit());
    assertThat(node.clock.physicalNow()).as("acknowledged after the clock passed the pushed commit")
        .isGreaterThan(ahead.wallTime());
    Txn later = svc.begin(TxnOptions.readWrite());
    assertThat(await(later.get(k("cw/a")))).as("a transaction begun after the acknowledgement sees it")
        .isEqualTo(v("1"));
    await(later.commit());
  }
}
