package org.troupedb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;
import org.troupedb.txn.TxnState;

/**
 * The behaviour every {@link TxnService} must show. Subclass it and implement {@link #service()};
 * each test uses keys under its own random prefix so a shared service is fine.
 */
public abstract class TxnServiceContractTest {

  /** The service under test (may be shared between tests). */
  protected abstract TxnService service();

  private final String prefix = "ct" + Long.toHexString(System.nanoTime()) + "/";

  private byte[] k(String s) {
    return (prefix + s).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Txn begin() {
    return service().begin(TxnOptions.readWrite());
  }

  private void commitPuts(String... keysAndValues) {
    Txn t = begin();
    List<Mutation> ms = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      ms.add(new Mutation.Put(k(keysAndValues[i]), v(keysAndValues[i + 1])));
    }
    await(t.write(ms));
    await(t.commit());
  }

  private List<String> keys(List<KeyValue> kvs) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : kvs) {
      out.add(new String(kv.key(), StandardCharsets.UTF_8).substring(prefix.length()));
    }
    return out;
  }

  @Test
  void getOfAbsentKeyIsNull() {
    Txn t = begin();
    assertThat(await(t.get(k("nope")))).isNull();
    await(t.commit());
  }

  @Test
  void committedPutIsVisibleToLaterTxn() {
    commitPuts("a", "1");
    Txn t = begin();
    assertThat(await(t.get(k("a")))).isEqualTo(v("1"));
    await(t.commit());
    assertThat(t.state()).isEqualTo(TxnState.COMMITTED);
  }

  @Test
  void readsSeeOwnWrites() {
    Txn t = begin();
    await(t.write(List.of(new Mutation.Put(k("x"), v("1")), new Mutation.Put(k("y"), v("2")))));
    assertThat(await(t.get(k("x")))).isEqualTo(v("1"));
    assertThat(keys(await(t.scan(k("a"), k("z"), 0)))).containsExactly("x", "y");
    await(t.write(List.of(new Mutation.Delete(k("x")))));
    assertThat(await(t.get(k("x")))).isNull();
    assertThat(keys(await(t.scan(k("a"), k("z"), 0)))).containsExactly("y");
    await(t.commit());
  }

  @Test
  void deleteRemovesCommittedValue() {
    commitPuts("d", "1");
    Txn t = begin();
    await(t.write(List.of(new Mutation.Delete(k("d")))));
    await(t.commit());
    Txn r = begin();
    assertThat(await(r.get(k("d")))).isNull();
    await(r.commit());
  }

  @Test
  void scanIsOrderedBoundedAndLimited() {
    commitPuts("s1", "a", "s2", "b", "s3", "c", "s4", "d", "t1", "e");
    Txn t = begin();
    assertThat(keys(await(t.scan(k("s"), k("t"), 0)))).containsExactly("s1", "s2", "s3", "s4");
    assertThat(keys(await(t.scan(k("s2"), k("s4"), 0)))).containsExactly("s2", "s3");
    assertThat(keys(await(t.scan(k("s"), k("t"), 2)))).containsExactly("s1", "s2");
    assertThat(await(t.scan(k("u"), k("v"), 0))).isEmpty();
    await(t.commit());
  }

  @Test
  void scanPagesWithNextKey() {
    commitPuts("p1", "a", "p2", "b", "p3", "c", "p4", "d", "p5", "e");
    Txn t = begin();
    List<String> all = new ArrayList<>();
    byte[] start = k("p");
    while (true) {
      List<KeyValue> page = await(t.scan(start, k("q"), 2));
      if (page.isEmpty()) {
        break;
      }
      all.addAll(keys(page));
      byte[] last = page.get(page.size() - 1).key();
      start = java.util.Arrays.copyOf(last, last.length + 1);
    }
    assertThat(all).containsExactly("p1", "p2", "p3", "p4", "p5");
    await(t.commit());
  }

  @Test
  void insertOnLiveKeyFails() {
    commitPuts("i", "1");
    Txn t = begin();
    assertThatThrownBy(() -> await(t.write(List.of(new Mutation.Insert(k("i"), v("2"))))))
        .hasCauseInstanceOf(KeyExistsException.class);
    await(t.rollback());
    Txn r = begin();
    assertThat(await(r.get(k("i")))).isEqualTo(v("1"));
    await(r.commit());
  }

  @Test
  void insertOnAbsentOrDeletedKeySucceeds() {
    commitPuts("j", "1");
    Txn t = begin();
    await(t.write(List.of(new Mutation.Delete(k("j")), new Mutation.Insert(k("j"), v("2")))));
    await(t.write(List.of(new Mutation.Insert(k("j2"), v("3")))));
    await(t.commit());
    Txn r = begin();
    assertThat(await(r.get(k("j")))).isEqualTo(v("2"));
    assertThat(await(r.get(k("j2")))).isEqualTo(v("3"));
    await(r.commit());
  }

  @Test
  void insertOfOwnWriteFails() {
    Txn t = begin();
    await(t.write(List.of(new Mutation.Put(k("o"), v("1")))));
    assertThatThrownBy(() -> await(t.write(List.of(new Mutation.Insert(k("o"), v("2"))))))
        .hasCauseInstanceOf(KeyExistsException.class);
    await(t.rollback());
  }

  @Test
  void rollbackDiscardsWrites() {
    Txn t = begin();
    await(t.write(List.of(new Mutation.Put(k("r"), v("1")))));
    await(t.rollback());
    assertThat(t.state()).isEqualTo(TxnState.ABORTED);
    Txn r = begin();
    assertThat(await(r.get(k("r")))).isNull();
    await(r.commit());
  }

  @Test
  void uncommittedWritesAreInvisibleToOthers() {
    Txn t = begin();
    await(t.write(List.of(new Mutation.Put(k("u"), v("1")))));
    await(t.commit());
    Txn w = begin();
    await(w.write(List.of(new Mutation.Put(k("u2"), v("1")))));
    Txn r = service().begin(TxnOptions.readWrite());
    assertThat(await(r.get(k("u")))).isEqualTo(v("1"));
    await(r.commit());
    await(w.rollback());
  }

  @Test
  void ensureSplitAtIsIdempotent() {
    await(service().ensureSplitAt(k("split")));
    await(service().ensureSplitAt(k("split")));
    commitPuts("split", "1", "spl", "0");
    Txn t = begin();
    assertThat(keys(await(t.scan(k("sp"), k("sq"), 0)))).containsExactly("spl", "split");
    await(t.commit());
  }

  @Test
  void clockAdvances() {
    var a = service().clock().now();
    var b = service().clock().now();
    assertThat(b).isGreaterThan(a);
  }
}
