package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Shared locking reads (FOR SHARE) and SKIP LOCKED in the transaction layer, on one single-node ActorSystem. */
class SharedLockTest extends SharedNodeTest {

  @Test
  void twoSharersHoldARowAndAWriterWaitsForBoth() throws Exception {
    commit("sh/a", "0");
    Txn s1 = sharer("sh/a");
    Txn s2 = sharer("sh/a"); // does not wait for s1
    Txn w = svc.begin(TxnOptions.readWrite());
    // The put is pipelined: the commit waits for its outcome.
    CompletableFuture<Void> write = w.write(List.of(new Mutation.Put(k("sh/a"), v("1"))))
        .thenCompose(v -> w.commit()).toCompletableFuture();
    await(s1.commit());
    // still held by s2: an exclusive locking reader fails at once with NOWAIT
    Txn probe = svc.begin(TxnOptions.readWrite());
    probe.setReadLock(Txn.ReadLock.EXCLUSIVE_NOWAIT);
    assertThat(probe.get(k("sh/a")).toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(LockNotAvailableException.class);
    assertThat(write).isNotDone();
    await(s2.commit());
    await(write);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("sh/a")))).isEqualTo(v("1"));
  }

  @Test
  void skipLockedLeavesOutRowsHeldByOthers() throws Exception {
    for (String key : new String[] {"sk/1", "sk/2", "sk/3"}) {
      commit(key, key);
    }
    Txn holder = svc.begin(TxnOptions.readWrite());
    holder.setReadLock(Txn.ReadLock.EXCLUSIVE);
    assertThat(await(holder.get(k("sk/2")))).isEqualTo(v("sk/2"));

    Txn worker = svc.begin(TxnOptions.readWrite());
    worker.setReadLock(Txn.ReadLock.EXCLUSIVE_SKIP_LOCKED);
    assertThat(await(worker.scan(k("sk/"), k("sk0"), 0))).extracting(kv -> new String(kv.value()))
        .containsExactly("sk/1", "sk/3");
    assertThat(await(worker.get(k("sk/2")))).isNull();
    Txn sharer = svc.begin(TxnOptions.readWrite());
    sharer.setReadLock(Txn.ReadLock.SHARED_SKIP_LOCKED);
    assertThat(await(sharer.scan(k("sk/"), k("sk0"), 0))).isEmpty(); // 1, 3 by worker, 2 by holder
    await(holder.commit());
    assertThat(await(sharer.scan(k("sk/"), k("sk0"), 0))).extracting(kv -> new String(kv.value()))
        .containsExactly("sk/2");
    await(worker.commit());
    await(sharer.commit());
  }

  private static Txn sharer(String key) throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    t.setReadLock(Txn.ReadLock.SHARED);
    await(t.get(k(key)));
    t.setReadLock(Txn.ReadLock.NONE);
    return t;
  }

  private static void commit(String key, String value) throws Exception {
    Txn t = svc.begin(TxnOptions.implicitStatement());
    await(t.write(List.of(new Mutation.Put(k(key), v(value)))));
    await(t.commit());
  }
}
