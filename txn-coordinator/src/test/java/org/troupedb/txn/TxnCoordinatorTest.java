package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Keys;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/** The transaction layer end to end on one single-node ActorSystem (shared; each test uses its own keys). */
class TxnCoordinatorTest extends SharedNodeTest {

  @Test
  void readsSeeOwnWritesAndOthersOnlyAfterCommit() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("ryw/a"), v("1")))));
    assertThat(await(t.get(k("ryw/a")))).isEqualTo(v("1"));
    assertThat(await(t.scan(k("ryw/"), k("ryw0"), 0))).extracting(kv -> s(kv.value())).containsExactly("1");
    await(t.commit());
    assertThat(t.state()).isEqualTo(TxnState.COMMITTED);

    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("ryw/a")))).isEqualTo(v("1"));
    await(r.commit());
  }

  @Test
  void implicitSingleRangeWriteCommitsInOnePhase() throws Exception {
    Txn t = svc.begin(TxnOptions.implicitStatement());
    List<Mutation> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(new Mutation.Insert(k("one/" + i), v("v" + i)));
    }
    await(t.write(rows));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.scan(k("one/"), k("one0"), 0))).hasSize(100);
    assertThat(await(r.get(k("one/42")))).isEqualTo(v("v42"));
  }

  @Test
  void twoPhaseCommitAcrossASplitCommitsBothHalves() throws Exception {
    await(svc.ensureSplitAt(k("tpc/m")));
    await(svc.ensureSplitAt(k("tpc/m"))); // idempotent
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("tpc/a"), v("row")), new Mutation.Put(k("tpc/z"), v("index")))));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("tpc/a")))).isEqualTo(v("row"));
    assertThat(await(r.get(k("tpc/z")))).isEqualTo(v("index"));

    // An implicit transaction whose buffered writes span two ranges also commits atomically.
    Txn i = svc.begin(TxnOptions.implicitStatement());
    await(i.write(List.of(new Mutation.Put(k("tpc/b"), v("2")), new Mutation.Put(k("tpc/y"), v("2")))));
    await(i.commit());
    Txn r2 = svc.begin(TxnOptions.readWrite());
    assertThat(await(r2.scan(k("tpc/"), k("tpc0"), 0))).extracting(kv -> s(kv.key()))
        .containsExactly(key("tpc/a"), key("tpc/b"), key("tpc/y"), key("tpc/z"));
  }

  @Test
  void rollbackRemovesProvisionalWrites() throws Exception {
    await(svc.ensureSplitAt(k("rb/m")));
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("rb/a"), v("x")), new Mutation.Put(k("rb/z"), v("y")))));
    await(t.rollback());
    await(t.rollback()); // idempotent
    assertThat(t.state()).isEqualTo(TxnState.ABORTED);
    assertThatThrownBy(() -> await(t.get(k("rb/a")))).hasCauseInstanceOf(TxnAbortedException.class);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("rb/a")))).isNull();
    assertThat(await(r.get(k("rb/z")))).isNull();
  }

  @Test
  void insertOnALiveKeyFails() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Insert(k("ins/a"), v("1")))));
    await(t.commit());

    Txn dup = svc.begin(TxnOptions.readWrite());
    assertThatThrownBy(() -> await(dup.write(List.of(new Mutation.Insert(k("ins/a"), v("2"))))))
        .hasCauseInstanceOf(KeyExistsException.class);
    assertThat(dup.state()).isEqualTo(TxnState.ABORTED);

    Txn implicit = svc.begin(TxnOptions.implicitStatement());
    await(implicit.write(List.of(new Mutation.Insert(k("ins/a"), v("3")))));
    assertThatThrownBy(() -> await(implicit.commit())).hasCauseInstanceOf(KeyExistsException.class);

    // Deleted keys may be inserted again; two inserts of one key in one batch conflict.
    Txn del = svc.begin(TxnOptions.readWrite());
    await(del.write(List.of(new Mutation.Delete(k("ins/a")))));
    await(del.commit());
    Txn again = svc.begin(TxnOptions.implicitStatement());
    await(again.write(List.of(new Mutation.Insert(k("ins/a"), v("4")))));
    await(again.commit());
    Txn twice = svc.begin(TxnOptions.readWrite());
    assertThatThrownBy(() -> await(twice.write(List.of(new Mutation.Insert(k("ins/b"), v("1")),
        new Mutation.Insert(k("ins/b"), v("2")))))).hasCauseInstanceOf(KeyExistsException.class);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("ins/a")))).isEqualTo(v("4"));
    assertThat(await(r.get(k("ins/b")))).isNull();
  }

  @Test
  void scanPagesAcrossRanges() throws Exception {
    List<Mutation> rows = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String key = String.format("scan/%03d", i);
      rows.add(new Mutation.Put(k(key), v("v" + i)));
      expected.add(key(key));
    }
    for (String split : List.of("scan/010", "scan/025", "scan/026", "scan/047")) {
      await(svc.ensureSplitAt(k(split)));
    }
    Txn w = svc.begin(TxnOptions.implicitStatement());
    await(w.write(rows));
    await(w.commit());

    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.scan(k("scan/"), k("scan0"), 0))).extracting(kv -> s(kv.key()))
        .containsExactlyElementsOf(expected);
    List<String> paged = new ArrayList<>();
    byte[] start = k("scan/");
    for (int page = 0; page < 100; page++) {
      List<KeyValue> got = await(r.scan(start, k("scan0"), 7));
      got.forEach(kv -> paged.add(s(kv.key())));
      if (got.size() < 7) {
        break;
      }
      start = Keys.next(got.get(got.size() - 1).key());
    }
    assertThat(paged).containsExactlyElementsOf(expected);
  }

  @Test
  void aScanLargerThanOneReplyContinuesWithinTheRange() throws Exception {
    byte[] big = new byte[10_000];
    List<Mutation> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // 400 KB: several 128 KiB replies
      rows.add(new Mutation.Put(k(String.format("big/%02d", i)), big));
    }
    Txn w = svc.begin(TxnOptions.implicitStatement());
    await(w.write(rows));
    await(w.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    List<KeyValue> all = await(r.scan(k("big/"), k("big0"), 0));
    assertThat(all).hasSize(40);
    assertThat(s(all.get(39).key())).isEqualTo(key("big/39"));
  }

  @Test
  void intentsAndTheRecordMoveWithASplitInTheMiddleOfATransaction() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    // Anchor (first key) lands right of the coming split, so the record must move too.
    await(t.write(List.of(new Mutation.Put(k("mid/x"), v("1")), new Mutation.Put(k("mid/a"), v("2")))));
    await(svc.ensureSplitAt(k("mid/m")));
    assertThat(await(t.get(k("mid/x")))).isEqualTo(v("1"));
    assertThat(await(t.get(k("mid/a")))).isEqualTo(v("2"));
    await(t.write(List.of(new Mutation.Put(k("mid/y"), v("3")))));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.scan(k("mid/"), k("mid0"), 0))).extracting(kv -> s(kv.value())).containsExactly("2", "1", "3");
  }

  @Test
  void aLiveHolderIsWaitedForAndNeverAbortedByTheWaiter() throws Exception {
    // Whatever the priorities: a holder that is not itself waiting cannot be in a deadlock, so
    // the waiter keeps waiting (rounds of conflict-wait) instead of aborting it.
    Txn holder = svc.begin(TxnOptions.readWrite());
    await(holder.write(List.of(new Mutation.Put(k("wc/a"), v("1")))));
    Txn other = svc.begin(TxnOptions.readWrite());
    // The put is pipelined (the statement returns); its outcome is awaited by the commit.
    CompletableFuture<Void> blocked = other.write(List.of(new Mutation.Put(k("wc/a"), v("2"))))
        .thenCompose(v -> other.commit()).toCompletableFuture();
    assertThatThrownBy(() -> blocked.get(1500, TimeUnit.MILLISECONDS))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    await(holder.commit());
    await(blocked);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("wc/a")))).isEqualTo(v("2"));
  }

  @Test
  void aLockingReadLocksWhatItReadsAndPlainReadersIgnoreTheLock() throws Exception {
    Txn setup = svc.begin(TxnOptions.readWrite());
    await(setup.write(List.of(new Mutation.Put(k("lk/a"), v("0")))));
    await(setup.commit());
    Txn locker = svc.begin(TxnOptions.readWrite());
    locker.setReadLock(Txn.ReadLock.EXCLUSIVE);
    assertThat(await(locker.get(k("lk/a")))).isEqualTo(v("0"));
    assertThat(await(locker.scan(k("lk/"), k("lk0"), 0))).hasSize(1);
    locker.setReadLock(Txn.ReadLock.NONE);
    Txn plain = svc.begin(TxnOptions.readWrite());
    assertThat(await(plain.get(k("lk/a")))).as("plain readers do not wait for a lock").isEqualTo(v("0"));
    Txn nowait = svc.begin(TxnOptions.readWrite());
    nowait.setReadLock(Txn.ReadLock.EXCLUSIVE_NOWAIT);
    assertThatThrownBy(() -> await(nowait.get(k("lk/a")))).cause().isInstanceOf(LockNotAvailableException.class);
    Txn writer = svc.begin(TxnOptions.readWrite());
    CompletableFuture<Void> blocked = writer.write(List.of(new Mutation.Put(k("lk/a"), v("w"))))
        .thenCompose(v -> writer.commit()).toCompletableFuture();
    assertThatThrownBy(() -> blocked.get(1000, TimeUnit.MILLISECONDS))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    await(locker.commit()); // a lock commits no version
    await(blocked);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("lk/a")))).isEqualTo(v("w"));
  }

  @Test
  void aDeadlockEndsWithTheHigherPriorityTransactionCommitting() throws Exception {
    Txn t1 = svc.begin(TxnOptions.readWrite());
    Txn t2 = svc.begin(TxnOptions.readWrite());
    await(t1.write(List.of(new Mutation.Put(k("dl/a"), v("t1")))));
    await(t2.write(List.of(new Mutation.Put(k("dl/b"), v("t2")))));
    CompletionStage<Void> c1 = t1.write(List.of(new Mutation.Put(k("dl/b"), v("t1")))).thenCompose(x -> t1.commit());
    CompletionStage<Void> c2 = t2.write(List.of(new Mutation.Put(k("dl/a"), v("t2")))).thenCompose(x -> t2.commit());
    int committed = 0;
    String winner = null;
    for (var c : List.of(Map.entry("t1", c1), Map.entry("t2", c2))) {
      try {
        await(c.getValue());
        committed++;
        winner = c.getKey();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(TxnRetryException.class);
      }
    }
    assertThat(committed).isEqualTo(1);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("dl/a")))).isEqualTo(v(winner));
    assertThat(await(r.get(k("dl/b")))).isEqualTo(v(winner));
  }

  @Test
  void aWriterWaitingOnAnIntentProceedsWhenTheHolderCommits() throws Exception {
    Txn holder = svc.begin(TxnOptions.readWrite());
    await(holder.write(List.of(new Mutation.Put(k("wait/a"), v("1")))));
    Txn waiter = svc.begin(TxnOptions.readWrite());
    CompletionStage<Void> blocked = waiter.write(List.of(new Mutation.Put(k("wait/a"), v("2"))));
    await(holder.commit());
    await(blocked); // woken by the resolution of holder's intent, not by a timeout
    await(waiter.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("wait/a")))).isEqualTo(v("2"));
  }

  @Test
  void writeUnderANewerCommittedVersionAfterAReadIsRetried() throws Exception {
    Txn old = svc.begin(TxnOptions.readWrite());
    assertThat(await(old.get(k("wto/a")))).isNull();
    Txn newer = svc.begin(TxnOptions.implicitStatement());
    await(newer.write(List.of(new Mutation.Put(k("wto/a"), v("new")))));
    await(newer.commit());
    // old's write is pushed above the newer version; its read of the key is then stale.
    await(old.write(List.of(new Mutation.Put(k("wto/a"), v("old")))));
    assertThatThrownBy(() -> await(old.commit())).cause().isInstanceOf(TxnRetryException.class);
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("wto/a")))).isEqualTo(v("new"));
  }

  @Test
  void rangeRepliesAdvanceTheCoordinatorClock() throws Exception {
    // A coordinator whose clock is stuck far in the past learns the ranges' time from their replies.
    HybridClock slow = new HybridClock(() -> 1_000L, Duration.ZERO);
    assertThat(slow.now().wallTime()).isEqualTo(1_000L);
    RangeClient client = new RangeClient(node.system, slow);
    await(client.refresh());
    TxnService lagging = new TxnCoordinator(node.system, client);
    Timestamp rangeBefore = node.clock.now();
    Txn t = lagging.begin(TxnOptions.readWrite());
    await(t.get(k("hlc/a")));
    assertThat(slow.peek()).isGreaterThan(rangeBefore);
    assertThat(lagging.clock().now()).isGreaterThan(rangeBefore);
  }

  @Test
  void descriptorsAreRefreshedAfterASplitBehindTheClientsBack() throws Exception {
    RangeClient stale = new RangeClient(node.system, node.clock);
    await(stale.refresh());
    await(svc.ensureSplitAt(k("mis/m")));
    TxnService other = new TxnCoordinator(node.system, stale);
    Txn t = other.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("mis/z"), v("1")), new Mutation.Put(k("mis/a"), v("2")))));
    await(t.commit());
    RangeDescriptor d = stale.lookup(k("mis/z"));
    assertThat(d.startKey()).isEqualTo(k("mis/m"));
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("mis/z")))).isEqualTo(v("1"));
  }

  @Test
  void asOfReadsSeeThePastAndRefuseTimesBeyondTheGcWindow() throws Exception {
    Txn w1 = svc.begin(TxnOptions.implicitStatement());
    await(w1.write(List.of(new Mutation.Put(k("aost/a"), v("old")))));
    await(w1.commit());
    Timestamp between = svc.clock().now();
    Txn w2 = svc.begin(TxnOptions.implicitStatement());
    await(w2.write(List.of(new Mutation.Put(k("aost/a"), v("new")))));
    await(w2.commit());
    Txn past = svc.begin(new TxnOptions(true, between, false));
    assertThat(past.readTimestamp()).isEqualTo(between);
    assertThat(await(past.get(k("aost/a")))).isEqualTo(v("old"));
    Txn ancient = svc.begin(new TxnOptions(true, new Timestamp(between.wallTime() - Duration.ofHours(26).toNanos(), 0),
        false));
    assertThatThrownBy(() -> await(ancient.get(k("aost/a")))).hasCauseInstanceOf(IllegalArgumentException.class);
  }

  static byte[] k(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    out[0] = 0x10;
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  static String key(String s) {
    return s(k(s));
  }

  static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static <T> T await(CompletionStage<T> stage) throws ExecutionException, InterruptedException {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
