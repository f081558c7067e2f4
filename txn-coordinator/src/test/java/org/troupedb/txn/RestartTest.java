package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.WriteOp;

/** Terminates the ActorSystem and starts a new one on the same H2 directory. */
class RestartTest {

  @TempDir
  Path dir;

  @Test
  void committedDataSurvivesAndUncommittedDoesNot() throws Exception {
    byte[] rowKey = k("rst/a");
    byte[] indexKey = k("rst/z");
    try (TestNode node = TestNode.start(dir)) {
      TxnService svc = node.service;
      await(svc.ensureSplitAt(k("rst/m")));
      Txn committed = svc.begin(TxnOptions.readWrite());
      await(committed.write(List.of(new Mutation.Put(k("rst/b"), v("1")), new Mutation.Put(k("rst/y"), v("2")))));
      await(committed.commit());
      Txn implicit = svc.begin(TxnOptions.implicitStatement());
      await(implicit.write(List.of(new Mutation.Insert(k("rst/c"), v("3")))));
      await(implicit.commit());

      Txn pending = svc.begin(TxnOptions.readWrite());
      await(pending.write(List.of(new Mutation.Put(k("rst/d"), v("never")), new Mutation.Put(k("rst/x"), v("never")))));

      // A transaction decided only by its record: row intent in range A, index intent in range
      // B, record COMMITTED with A's intent resolved, B's intent left for recovery to resolve.
      RangeClient client = new RangeClient(node.system, node.clock);
      await(client.refresh());
      Timestamp ts = node.clock.now();
      TxnMeta meta = new TxnMeta(UUID.randomUUID(), rowKey, ts, ts, 1, 0);
      List<WriteOp> ops = List.of(new WriteOp(WriteOp.Kind.PUT, rowKey, v("row")),
          new WriteOp(WriteOp.Kind.PUT, indexKey, v("idx")));
      List<RangeClient.Routed> written = await(client.sendBatch(ops, WriteOp::key,
          (group, r) -> new RangeActor.Write(meta, group, false, false, r)));
      assertThat(written).hasSize(2).allSatisfy(w -> assertThat(w.reply()).isInstanceOf(RangeActor.WrittenReply.class));
      RangeClient.Routed ended = await(client.send(rowKey,
          r -> new RangeActor.EndTxn(meta, true, ts, List.of(rowKey), true, r)));
      assertThat(ended.reply()).isInstanceOf(RangeActor.TxnStatusReply.class);
    }

    // The new incarnation runs a minute later: the abandoned PENDING record has expired.
    HybridClock later = new HybridClock(() -> HybridClock.SYSTEM_CLOCK.getAsLong() + Duration.ofMinutes(1).toNanos(),
        Duration.ofMillis(500));
    try (TestNode node = TestNode.start(dir, later, ConfigFactory.empty())) {
      Txn r = node.service.begin(TxnOptions.readWrite());
      assertThat(await(r.get(k("rst/b")))).isEqualTo(v("1"));
      assertThat(await(r.get(k("rst/y")))).isEqualTo(v("2"));
      assertThat(await(r.get(k("rst/c")))).isEqualTo(v("3"));
      assertThat(await(r.get(k("rst/d")))).isNull();
      assertThat(await(r.get(k("rst/x")))).isNull();
      assertThat(await(r.get(rowKey))).isEqualTo(v("row"));
      assertThat(await(r.get(indexKey))).isEqualTo(v("idx"));
      assertThat(await(r.scan(k("rst/"), k("rst0"), 0))).hasSize(5);
      await(r.commit());
      // Splits survive too: the directory still has the boundary.
      Txn w = node.service.begin(TxnOptions.readWrite());
      await(w.write(List.of(new Mutation.Put(k("rst/d"), v("now")))));
      await(w.commit());
    }
  }
}
