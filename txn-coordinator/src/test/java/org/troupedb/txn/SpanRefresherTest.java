package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Keys;
import org.troupedb.range.RangeClient;

/** {@link SpanRefresher} against real ranges: a refresh moves the reads up only if nothing they saw changed. */
class SpanRefresherTest extends SharedNodeTest {

  private static SpanRefresher refresherAt(Timestamp readTs) {
    RangeClient client = ((TxnCoordinator) svc).client();
    return new SpanRefresher(client, UUID.randomUUID(), readTs, false);
  }

  private static void commitPut(String key, String value) throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k(key), v(value)))));
    await(t.commit());
  }

  @Test
  void aRefreshOverANewerWriteIsRefusedAndTheReadsStayWhereTheyWere() throws Exception {
    Timestamp readAt = node.clock.now();
    SpanRefresher r = refresherAt(readAt);
    r.record(k("sr1/a"), Keys.next(k("sr1/a")));
    commitPut("sr1/a", "newer");
    assertThat(await(r.refresh(node.clock.now()))).isFalse();
    assertThat(r.readTs()).isEqualTo(readAt);
  }

  @Test
  void aRefreshOverUnchangedSpansMovesTheReadsUp() throws Exception {
    SpanRefresher r = refresherAt(node.clock.now());
    r.record(k("sr2/a"), k("sr2/z"));
    commitPut("sr2/zz", "outside the span");
    Timestamp to = node.clock.now();
    assertThat(await(r.refresh(to))).isTrue();
    assertThat(r.readTs()).isEqualTo(to);
  }

  @Test
  void withNothingReadARefreshOnlyMovesTheReadsUp() throws Exception {
    SpanRefresher r = refresherAt(node.clock.now());
    assertThat(r.isEmpty()).isTrue();
    Timestamp to = node.clock.now();
    assertThat(await(r.refresh(to))).isTrue();
    assertThat(r.readTs()).isEqualTo(to);
    assertThat(await(r.refresh(new Timestamp(1, 0)))).as("never moves down").isTrue();
    assertThat(r.readTs()).isEqualTo(to);
  }

  @Test
  void aRefreshBeforeAMarkIgnoresTheSpansReadAfterIt() throws Exception {
    SpanRefresher r = refresherAt(node.clock.now());
    r.record(k("sr3/a"), Keys.next(k("sr3/a")));
    int mark = r.mark();
    r.record(k("sr3/b"), Keys.next(k("sr3/b")));
    commitPut("sr3/b", "newer");
    Timestamp to = node.clock.now();
    assertThat(await(r.refresh(to))).as("the span read after the mark saw the write").isFalse();
    assertThat(await(r.refreshBefore(mark, to))).isTrue();
    assertThat(r.readTs()).isEqualTo(to);
    r.forgetSince(mark);
    assertThat(r.mark()).isEqualTo(1);
  }

  @Test
  void aSpanOverASplitIsRefreshedInBothRanges() throws Exception {
    await(svc.ensureSplitAt(k("sr4/m")));
    SpanRefresher r = refresherAt(node.clock.now());
    r.record(k("sr4/a"), k("sr4/z"));
    assertThat(await(r.refresh(node.clock.now()))).isTrue();
    commitPut("sr4/x", "right of the split");
    assertThat(await(r.refresh(node.clock.now()))).isFalse();
  }
}
