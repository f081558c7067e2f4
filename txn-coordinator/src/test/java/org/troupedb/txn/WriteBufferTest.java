package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.TxnMeta;
import org.troupedb.range.WriteOp;

/**
 * {@link WriteBuffer} against real ranges: buffered writes that fall in one range commit in one
 * persist; writes over two ranges are handed to the two-phase commit, untouched.
 */
class WriteBufferTest extends SharedNodeTest {

  /** A transaction reduced to what the buffer asks of it; the two-phase commit only counts. */
  private static final class Owner implements WriteBuffer.Owner {
    final UUID id = UUID.randomUUID();
    final Timestamp readTs = node.clock.now();
    volatile Timestamp writeTs = readTs;
    volatile Timestamp committedAt;
    final AtomicInteger twoPhase = new AtomicInteger();
    final byte[] anchor;

    Owner(byte[] anchor) {
      this.anchor = anchor;
    }

    @Override
    public TxnMeta meta() {
      return new TxnMeta(id, anchor, readTs, writeTs, 1, 0, 1, 0);
    }

    @Override
    public void raiseWriteTs(Timestamp ts) {
      writeTs = Timestamp.max(writeTs, ts);
    }

    @Override
    public void committedAt(Timestamp ts) {
      committedAt = ts;
    }

    @Override
    public CompletionStage<Void> commitTwoPhase() {
      twoPhase.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }
  }

  private static WriteBuffer bufferOf(Owner owner) {
    TxnCoordinator coord = (TxnCoordinator) svc;
    SpanRefresher refresher = new SpanRefresher(coord.client(), owner.id, owner.readTs, false);
    TxnHeartbeat hb = new TxnHeartbeat(owner.id, new TxnHeartbeatTest.Recorder());
    ConflictWaiter waiter = new ConflictWaiter(coord.resolver(), hb, 1, Duration.ofMillis(100), 50,
        () -> Txn.ReadLock.NONE, () -> TxnState.PENDING);
    return new WriteBuffer(coord.client(), refresher, waiter, owner);
  }

  private static byte[] read(String key) throws Exception {
    Txn r = svc.begin(TxnOptions.readWrite());
    try {
      return await(r.get(k(key)));
    } finally {
      await(r.rollback());
    }
  }

  @Test
  void writesInOneRangeCommitInOnePhase() throws Exception {
    Owner owner = new Owner(k("wb1/a"));
    WriteBuffer buffer = bufferOf(owner);
    buffer.add(List.of(new WriteOp(WriteOp.Kind.PUT, k("wb1/a"), v("1")), new WriteOp(WriteOp.Kind.PUT, k("wb1/b"), v("2"))));
    await(buffer.commitOnePhase());
    assertThat(owner.twoPhase).as("no record, no intents").hasValue(0);
    assertThat(owner.committedAt).isNotNull();
    assertThat(owner.committedAt.compareTo(owner.readTs)).isGreaterThanOrEqualTo(0);
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(read("wb1/a")).isEqualTo(v("1"));
    assertThat(read("wb1/b")).isEqualTo(v("2"));
  }

  @Test
  void writesOverTwoRangesGoToTheTwoPhaseCommit() throws Exception {
    await(svc.ensureSplitAt(k("wb2/m")));
    Owner owner = new Owner(k("wb2/a"));
    WriteBuffer buffer = bufferOf(owner);
    buffer.add(List.of(new WriteOp(WriteOp.Kind.PUT, k("wb2/a"), v("1")), new WriteOp(WriteOp.Kind.PUT, k("wb2/z"), v("2"))));
    await(buffer.commitOnePhase());
    assertThat(owner.twoPhase).hasValue(1);
    assertThat(owner.committedAt).isNull();
    assertThat(buffer.drain()).as("left for the two-phase commit to send").hasSize(2);
    assertThat(read("wb2/a")).as("nothing written in one phase").isNull();
    assertThat(read("wb2/z")).isNull();
  }

  @Test
  void anInsertOnALiveKeyFailsTheOnePhaseCommit() throws Exception {
    Txn setup = svc.begin(TxnOptions.readWrite());
    await(setup.write(List.of(new Mutation.Put(k("wb3/a"), v("0")))));
    await(setup.commit());
    Owner owner = new Owner(k("wb3/a"));
    WriteBuffer buffer = bufferOf(owner);
    buffer.add(List.of(new WriteOp(WriteOp.Kind.INSERT, k("wb3/a"), v("1"))));
    assertThatThrownBy(() -> await(buffer.commitOnePhase())).cause().isInstanceOf(KeyExistsException.class);
    assertThat(read("wb3/a")).isEqualTo(v("0"));
  }

  @Test
  void drainEmptiesTheBufferInOrder() {
    WriteBuffer buffer = bufferOf(new Owner(k("wb4/a")));
    buffer.add(List.of(new WriteOp(WriteOp.Kind.PUT, k("wb4/b"), v("1"))));
    buffer.add(List.of(new WriteOp(WriteOp.Kind.DELETE, k("wb4/a"), null)));
    assertThat(buffer.drain()).extracting(WriteOp::key).containsExactly(k("wb4/b"), k("wb4/a"));
    assertThat(buffer.isEmpty()).isTrue();
  }
}
