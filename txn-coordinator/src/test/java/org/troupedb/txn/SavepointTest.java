package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Savepoints in the transaction layer on one single-node ActorSystem (each test uses its own keys). */
class SavepointTest extends SharedNodeTest {

  @Test
  void nestedSavepointsOverTwoRangesUndoOnlyTheLaterWrites() throws Exception {
    await(svc.ensureSplitAt(k("sp2/m")));
    Txn t = svc.begin(TxnOptions.readWrite());
    put(t, "sp2/a", "1");
    Txn.Savepoint s1 = t.savepoint();
    put(t, "sp2/a", "2");
    put(t, "sp2/z", "z2"); // the other range: the commit is a 2PC
    Txn.Savepoint s2 = t.savepoint();
    put(t, "sp2/a", "3");
    put(t, "sp2/z", "z3");
    put(t, "sp2/b", "new");
    await(t.rollbackTo(s2));
    assertThat(get(t, "sp2/a")).isEqualTo("2");
    assertThat(get(t, "sp2/z")).isEqualTo("z2");
    assertThat(get(t, "sp2/b")).isNull();
    put(t, "sp2/a", "4"); // s2 is still active after ROLLBACK TO
    await(t.rollbackTo(s2));
    assertThat(get(t, "sp2/a")).isEqualTo("2");
    await(t.rollbackTo(s1));
    assertThat(get(t, "sp2/a")).isEqualTo("1");
    assertThat(get(t, "sp2/z")).isNull();
    put(t, "sp2/c", "c");
    await(t.commit());

    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(get(r, "sp2/a")).isEqualTo("1");
    assertThat(get(r, "sp2/z")).isNull();
    assertThat(get(r, "sp2/b")).isNull();
    assertThat(get(r, "sp2/c")).isEqualTo("c");
    await(r.commit());
  }

  @Test
  void releasedSavepointKeepsItsWritesAndAnOuterRollbackStillUndoesThem() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    put(t, "rel/a", "1");
    Txn.Savepoint outer = t.savepoint();
    Txn.Savepoint inner = t.savepoint();
    put(t, "rel/a", "2");
    t.release(inner);
    assertThat(get(t, "rel/a")).isEqualTo("2");
    await(t.rollbackTo(outer));
    assertThat(get(t, "rel/a")).isEqualTo("1");
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(get(r, "rel/a")).isEqualTo("1");
  }

  @Test
  void aDuplicateKeyUnderASavepointFailsOnlyTheStatement() throws Exception {
    Txn setup = svc.begin(TxnOptions.readWrite());
    put(setup, "dup/a", "old");
    await(setup.commit());

    Txn t = svc.begin(TxnOptions.readWrite());
    put(t, "dup/x", "kept");
    Txn.Savepoint sp = t.savepoint();
    assertThatThrownBy(() -> await(t.write(List.of(new Mutation.Insert(k("dup/b"), v("b")),
        new Mutation.Insert(k("dup/a"), v("again")))))).hasCauseInstanceOf(KeyExistsException.class);
    assertThat(t.state()).isEqualTo(TxnState.PENDING);
    await(t.rollbackTo(sp));
    assertThat(get(t, "dup/b")).isNull();
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(get(r, "dup/x")).isEqualTo("kept");
    assertThat(get(r, "dup/a")).isEqualTo("old");
    assertThat(get(r, "dup/b")).isNull();

    Txn noSavepoint = svc.begin(TxnOptions.readWrite());
    assertThatThrownBy(() -> await(noSavepoint.write(List.of(new Mutation.Insert(k("dup/a"), v("x"))))))
        .hasCauseInstanceOf(KeyExistsException.class);
    assertThat(noSavepoint.state()).isEqualTo(TxnState.ABORTED);
  }

  @Test
  void rollingBackReleasesTheWritesAndLocksTakenAfterTheSavepoint() throws Exception {
    Txn setup = svc.begin(TxnOptions.readWrite());
    put(setup, "lk/c", "committed");
    await(setup.commit());

    Txn t = svc.begin(TxnOptions.readWrite());
    put(t, "lk/0anchor", "x");
    Txn.Savepoint sp = t.savepoint();
    put(t, "lk/a", "mine");
    t.setReadLock(Txn.ReadLock.EXCLUSIVE);
    assertThat(await(t.scan(k("lk/a"), k("lk/d"), 0))).hasSize(2); // locks lk/c (and lk/a, already held)
    t.setReadLock(Txn.ReadLock.NONE);
    await(t.rollbackTo(sp));

    // another transaction locks and writes both keys without waiting for t (NOWAIT would fail)
    Txn other = svc.begin(TxnOptions.readWrite());
    other.setReadLock(Txn.ReadLock.EXCLUSIVE_NOWAIT);
    assertThat(await(other.scan(k("lk/a"), k("lk/d"), 0))).hasSize(1);
    other.setReadLock(Txn.ReadLock.NONE);
    put(other, "lk/a", "theirs");
    put(other, "lk/c", "theirs");
    await(other.commit());
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(get(r, "lk/a")).isEqualTo("theirs");
    assertThat(get(r, "lk/c")).isEqualTo("theirs");
    assertThat(get(r, "lk/0anchor")).isEqualTo("x");
  }

  @Test
  void restartBeginsAFreshTransactionAndAbortsTheOldOne() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    put(t, "rs/a", "first");
    Txn again = t.restart();
    assertThat(t.state()).isEqualTo(TxnState.ABORTED);
    assertThat(again.id()).isNotEqualTo(t.id());
    assertThat(again.readTimestamp()).isGreaterThan(t.readTimestamp());
    assertThat(get(again, "rs/a")).isNull();
    put(again, "rs/a", "second");
    await(again.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(get(r, "rs/a")).isEqualTo("second");
  }

  private static void put(Txn t, String key, String value) throws Exception {
    await(t.write(List.of(new Mutation.Put(k(key), v(value)))));
  }

  private static String get(Txn t, String key) throws Exception {
    byte[] b = await(t.get(k(key)));
    return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

}
