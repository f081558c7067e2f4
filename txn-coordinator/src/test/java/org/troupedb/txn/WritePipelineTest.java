package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Write pipelining ({@link WritePipeline}): a put returns before it is durable, and what must see
 * it — a read of its key, a later write of its key, COMMIT — waits for it; reads of other keys do not.
 */
class WritePipelineTest extends SharedNodeTest {

  @Test
  void aBlockedPutReturnsAtOnceAndTheReadOfItsKeyWaitsForIt() throws Exception {
    Txn holder = svc.begin(TxnOptions.readWrite());
    await(holder.write(List.of(new Mutation.Put(k("pl/a"), v("h")))));
    Txn t = svc.begin(TxnOptions.readWrite());
    CompletableFuture<Void> put = t.write(List.of(new Mutation.Put(k("pl/a"), v("t")))).toCompletableFuture();
    assertThat(put).as("the statement does not wait for the intent").isDone();
    assertThat(await(t.get(k("pl/other")))).as("a read of another key does not wait").isNull();
    CompletableFuture<byte[]> own = t.get(k("pl/a")).toCompletableFuture();
    assertThatThrownBy(() -> own.get(500, TimeUnit.MILLISECONDS))
        .as("a read of the key waits for the write in flight").isInstanceOf(java.util.concurrent.TimeoutException.class);
    await(holder.commit());
    assertThat(own.get(30, TimeUnit.SECONDS)).as("read your own write").isEqualTo(v("t"));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("pl/a")))).isEqualTo(v("t"));
  }

  @Test
  void pipelinedWritesAcrossRangesAreReadBackInOrderAndCommitted() throws Exception {
    await(svc.ensureSplitAt(k("pm/m")));
    Txn t = svc.begin(TxnOptions.readWrite());
    for (int i = 0; i < 5; i++) {
      // the same keys rewritten: each write of a key lands after the previous one
      assertThat(t.write(List.of(new Mutation.Put(k("pm/a"), v("a" + i)), new Mutation.Put(k("pm/z"), v("z" + i))))
          .toCompletableFuture()).isDone();
    }
    await(t.write(List.of(new Mutation.Delete(k("pm/z")))));
    assertThat(await(t.scan(k("pm/"), k("pm0"), 0))).extracting(kv -> new String(kv.value()))
        .containsExactly("a4");
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("pm/a")))).isEqualTo(v("a4"));
    assertThat(await(r.get(k("pm/z")))).isNull();
  }

  @Test
  void anInsertIsNotPipelinedSoADuplicateFailsTheStatement() throws Exception {
    Txn setup = svc.begin(TxnOptions.readWrite());
    await(setup.write(List.of(new Mutation.Put(k("pi/a"), v("0")))));
    await(setup.commit());
    Txn t = svc.begin(TxnOptions.readWrite());
    assertThatThrownBy(() -> await(t.write(List.of(new Mutation.Insert(k("pi/a"), v("1"))))))
        .cause().isInstanceOf(KeyExistsException.class);
  }

  @Test
  void aRollbackWaitsForItsWritesInFlightAndLeavesNothing() throws Exception {
    Txn holder = svc.begin(TxnOptions.readWrite());
    await(holder.write(List.of(new Mutation.Put(k("pr/a"), v("h")))));
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("pr/b"), v("t")))));
    await(t.write(List.of(new Mutation.Put(k("pr/a"), v("t"))))); // in flight, behind holder's intent
    CompletableFuture<Void> rolledBack = t.rollback().toCompletableFuture();
    await(holder.commit());
    rolledBack.get(30, TimeUnit.SECONDS);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("pr/a")))).isEqualTo(v("h"));
    assertThat(await(r.get(k("pr/b")))).isNull();
  }
}
