package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.troupedb.range.RangeClient;

/**
 * A gateway whose descriptor cache predates many splits (another node created many tables: each
 * CREATE TABLE splits the last range twice) routes to the newest range at once. A mismatch reply
 * names only the range's current descriptor and its latest right sibling, so following those
 * alone walks the chain one range per attempt and gave up ("cannot route key", XX000) after
 * {@code RangeClient.MAX_ROUTING_ATTEMPTS}; a key beyond the reply's range is looked up in the
 * meta range instead.
 */
class StaleRoutingTest extends SharedNodeTest {
  /** More splits than RangeClient's routing attempts, each splitting off the previous one's right half. */
  private static final int SPLITS = 16;

  private static RangeClient staleGets;
  private static RangeClient staleScans;
  private static RangeClient staleBatches;
  private static RangeClient staleOnePhase;

  @BeforeAll
  static void splitBehindTheGatewaysBacks() throws Exception {
    staleGets = staleClient();
    staleScans = staleClient();
    staleBatches = staleClient();
    staleOnePhase = staleClient();
    for (int i = 0; i < SPLITS; i++) {
      await(svc.ensureSplitAt(k(String.format("stale/%02d", i))));
    }
    Txn w = svc.begin(TxnOptions.implicitStatement());
    await(w.write(List.of(new Mutation.Put(last("a"), v("written")))));
    await(w.commit());
  }

  private static RangeClient staleClient() throws Exception {
    RangeClient c = new RangeClient(node.system, node.clock);
    await(c.refresh());
    return c;
  }

  private static byte[] last(String suffix) {
    return k(String.format("stale/%02d/", SPLITS - 1) + suffix);
  }

  @Test
  void aPointReadThroughAStaleGatewayReachesTheNewestRange() throws Exception {
    Txn t = new TxnCoordinator(node.system, staleGets).begin(TxnOptions.readWrite());
    assertThat(await(t.get(last("a")))).isEqualTo(v("written"));
    await(t.commit());
    assertThat(staleGets.lookup(last("a")).startKey()).isEqualTo(k(String.format("stale/%02d", SPLITS - 1)));
  }

  @Test
  void aScanThroughAStaleGatewayReachesTheNewestRange() throws Exception {
    Txn t = new TxnCoordinator(node.system, staleScans).begin(TxnOptions.readWrite());
    List<KeyValue> rows = await(t.scan(last("a"), last("b"), 0)); // other tests write b and c
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).value()).isEqualTo(v("written"));
    await(t.commit());
  }

  @Test
  void batchedWritesThroughAStaleGatewayReachTheNewestRanges() throws Exception {
    Txn t = new TxnCoordinator(node.system, staleBatches).begin(TxnOptions.readWrite());
    List<Mutation> puts = new ArrayList<>();
    for (int i = SPLITS - 3; i < SPLITS; i++) {
      puts.add(new Mutation.Put(k(String.format("stale/%02d/b", i)), v("batch" + i)));
    }
    await(t.write(puts));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    for (int i = SPLITS - 3; i < SPLITS; i++) {
      assertThat(await(r.get(k(String.format("stale/%02d/b", i))))).isEqualTo(v("batch" + i));
    }
  }

  @Test
  void aOnePhaseWriteThroughAStaleGatewayReachesTheNewestRange() throws Exception {
    Txn t = new TxnCoordinator(node.system, staleOnePhase).begin(TxnOptions.implicitStatement());
    await(t.write(List.of(new Mutation.Put(last("c"), v("one-phase")))));
    await(t.commit());
    Txn r = svc.begin(TxnOptions.readWrite());
    assertThat(await(r.get(last("c")))).isEqualTo(v("one-phase"));
  }
}
