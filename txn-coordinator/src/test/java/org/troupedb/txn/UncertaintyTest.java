package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;

/**
 * Uncertainty restarts on a manual clock (max offset 500 ms). The node is told not to use its
 * single-node observed timestamp, so that it behaves like a range on another node whose clock
 * may run ahead: a value committed within the max offset above a reader's timestamp moves the
 * reader up (or restarts it when its earlier reads changed); one committed further ahead is
 * simply in the reader's future. A second, default node shows the single-node case: no window.
 */
class UncertaintyTest {

  @TempDir
  static Path dir;
  static final AtomicLong wall = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
  static TestNode node;
  static TxnService svc;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("skewed"), new HybridClock(wall::get, Duration.ofMillis(500)),
        ConfigFactory.parseString("troupedb.kv.local-observed-timestamps = off"));
    svc = node.service;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aValueInsideTheWindowMovesTheReaderAboveIt() throws Exception {
    put(svc, "u1/a", "old");
    Txn reader = svc.begin(TxnOptions.readWrite());
    put(svc, "u1/a", "new"); // stamped above the reader, within the max offset
    assertThat(await(reader.get(k("u1/a")))).isEqualTo(v("new"));
    await(reader.commit());
  }

  @Test
  void aValueBeyondTheWindowIsInTheReadersFuture() throws Exception {
    put(svc, "u2/a", "old");
    Txn reader = svc.begin(TxnOptions.readWrite());
    wall.addAndGet(Duration.ofMillis(600).toNanos());
    put(svc, "u2/a", "new");
    assertThat(await(reader.get(k("u2/a")))).isEqualTo(v("old"));
    await(reader.commit());
  }

  @Test
  void whenEarlierReadsChangedTheReaderRestartsWith40001() throws Exception {
    put(svc, "u3/a", "a0");
    put(svc, "u3/b", "b0");
    Txn reader = svc.begin(TxnOptions.readWrite());
    assertThat(await(reader.get(k("u3/b")))).isEqualTo(v("b0"));
    Txn writer = svc.begin(TxnOptions.implicitStatement());
    await(writer.write(List.of(new Mutation.Put(k("u3/a"), v("a1")), new Mutation.Put(k("u3/b"), v("b1")))));
    await(writer.commit());
    assertThatThrownBy(() -> await(reader.scan(k("u3/a"), k("u3/b"), 0)))
        .hasCauseInstanceOf(TxnRetryException.class)
        .hasMessageContaining("restart transaction: ReadWithinUncertaintyIntervalError");
  }

  @Test
  void onASingleNodeTheNodesOwnClockLeavesNoWindow() throws Exception {
    try (TestNode single = TestNode.start(dir.resolve("single"), new HybridClock(wall::get, Duration.ofMillis(500)),
        ConfigFactory.empty())) {
      put(single.service, "u4/a", "old");
      Txn reader = single.service.begin(TxnOptions.readWrite());
      put(single.service, "u4/a", "new");
      assertThat(await(reader.get(k("u4/a")))).isEqualTo(v("old"));
      await(reader.commit());
    }
  }

  private static void put(TxnService s, String key, String value) throws Exception {
    Txn t = s.begin(TxnOptions.implicitStatement());
    await(t.write(List.of(new Mutation.Put(k(key), v(value)))));
    await(t.commit());
  }
}
