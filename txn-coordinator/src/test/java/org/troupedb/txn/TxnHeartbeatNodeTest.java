package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The node heartbeats a transaction's record from its first write until it commits or rolls back. */
class TxnHeartbeatNodeTest extends SharedNodeTest {

  private static boolean heartbeated(Txn t) {
    return ((TxnCoordinator) svc).isHeartbeating(t.id());
  }

  @Test
  void theHeartbeatRunsFromTheFirstWriteAndStopsAtCommit() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.get(k("hb1/a")));
    assertThat(heartbeated(t)).as("a reader has no record").isFalse();
    await(t.write(List.of(new Mutation.Put(k("hb1/a"), v("1")))));
    assertThat(heartbeated(t)).isTrue();
    await(t.commit());
    assertThat(heartbeated(t)).isFalse();
  }

  @Test
  void theHeartbeatStopsAtRollback() throws Exception {
    Txn t = svc.begin(TxnOptions.readWrite());
    await(t.write(List.of(new Mutation.Put(k("hb2/a"), v("1")))));
    assertThat(heartbeated(t)).isTrue();
    await(t.rollback());
    assertThat(heartbeated(t)).isFalse();
  }

  @Test
  void aOnePhaseCommitNeverHeartbeats() throws Exception {
    Txn t = svc.begin(TxnOptions.implicitStatement());
    await(t.write(List.of(new Mutation.Put(k("hb3/a"), v("1")))));
    assertThat(heartbeated(t)).as("buffered: no record yet").isFalse();
    await(t.commit());
    assertThat(heartbeated(t)).isFalse();
    assertThat(t.state()).isEqualTo(TxnState.COMMITTED);
  }
}
