package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/**
 * {@link TxnReader} against real ranges: what it returns, and what it records for the refresher
 * (which a later write then invalidates, or not).
 */
class TxnReaderTest extends SharedNodeTest {
  private final UUID id = UUID.randomUUID();
  private final AtomicReference<Timestamp> writeTs = new AtomicReference<>();
  private SpanRefresher refresher;

  private TxnReader reader() {
    TxnCoordinator coord = (TxnCoordinator) svc;
    Timestamp readTs = node.clock.now();
    writeTs.set(readTs);
    refresher = new SpanRefresher(coord.client(), id, readTs, false);
    TxnHeartbeat hb = new TxnHeartbeat(id, new TxnHeartbeatTest.Recorder());
    ConflictWaiter waiter = new ConflictWaiter(coord.resolver(), hb, 1, Duration.ofMillis(100), 300,
        () -> Txn.ReadLock.NONE, () -> TxnState.PENDING);
    return new TxnReader(coord.client(), id, null, refresher, waiter, () -> Txn.ReadLock.NONE,
        ts -> writeTs.accumulateAndGet(ts, Timestamp::max));
  }

  private static void commitPut(String... keyValues) throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    for (int i = 0; i < keyValues.length; i += 2) {
      await(t.write(List.of(new Mutation.Put(k(keyValues[i]), v(keyValues[i + 1])))));
    }
    await(t.commit());
  }

  @Test
  void aLimitedScanRecordsItsSpanOnlyUpToItsLastRow() throws Exception {
    commitPut("tr1/a", "1", "tr1/b", "2", "tr1/c", "3");
    TxnReader r = reader();
    assertThat(await(r.scan(k("tr1/"), k("tr10"), 2))).extracting(KeyValue::value).containsExactly(v("1"), v("2"));
    commitPut("tr1/c", "changed after the limit");
    assertThat(await(refresher.refresh(node.clock.now()))).as("a row it did not return").isTrue();
    commitPut("tr1/b", "changed");
    assertThat(await(refresher.refresh(node.clock.now()))).as("a row it returned").isFalse();
  }

  @Test
  void aScanOverASplitReadsBothRangesAndRecordsEach() throws Exception {
    await(svc.ensureSplitAt(k("tr2/m")));
    commitPut("tr2/a", "left", "tr2/x", "right");
    TxnReader r = reader();
    assertThat(await(r.scan(k("tr2/"), k("tr20"), 0))).extracting(KeyValue::value)
        .containsExactly(v("left"), v("right"));
    assertThat(refresher.mark()).as("one span per range").isEqualTo(2);
  }

  @Test
  void aMissingKeyIsRecordedSoThatItsLaterInsertInvalidatesTheRead() throws Exception {
    TxnReader r = reader();
    assertThat(await(r.get(k("tr3/a")))).isNull();
    assertThat(refresher.mark()).isEqualTo(1);
    commitPut("tr3/a", "phantom");
    assertThat(await(refresher.refresh(node.clock.now()))).isFalse();
  }

  @Test
  void aReadWaitsForALiveIntentBelowItAndSeesItsValueOnceCommitted() throws Exception {
    Txn holder = svc.begin(TxnOptions.readWrite());
    await(holder.write(List.of(new Mutation.Put(k("tr4/a"), v("held")))));
    // A pipelined write completes while it is in flight: the holder's own read waits until the
    // intent is laid, else the reader's Get may reach the range first and read below it.
    assertThat(await(holder.get(k("tr4/a")))).isEqualTo(v("held"));
    TxnReader r = reader();
    CompletableFuture<byte[]> read = r.get(k("tr4/a")).toCompletableFuture();
    assertThat(read).as("waits for the holder").isNotDone();
    await(holder.commit());
    assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(v("held"));
  }
}
