package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.bench.listappend.Anomaly;
import org.troupedb.bench.listappend.ListAppendChecker;
import org.troupedb.bench.listappend.ListAppendWorkload;
import org.troupedb.bench.listappend.Txn;
import org.troupedb.bench.tpcc.Db;

/**
 * bench's list-append workload (8 clients, SERIALIZABLE, nothing retried) and its checker against
 * an in-process node: the history has no anomaly; and with serializability deliberately weakened
 * ({@code troupedb.kv.testing.unsafe-skip-read-refresh}: a pushed transaction commits without
 * re-validating its reads) the checker catches it.
 */
class ListAppendIT {
  private static final Logger log = LoggerFactory.getLogger(ListAppendIT.class);
  private static final String WEAKEN = "troupedb.kv.testing.unsafe-skip-read-refresh";

  @TempDir Path tmp;

  private ListAppendChecker.Result run(TroupeNode node, String name) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root&socketTimeout=60";
    ListAppendWorkload w = new ListAppendWorkload(
        ListAppendWorkload.Config.of(new Db(url, null, null), 8, Duration.ofSeconds(10), 10));
    w.setUp();
    ListAppendWorkload.Run run = w.run();
    run.recorder().write(tmp.resolve(name + ".txt"));
    ListAppendChecker.Result result = ListAppendChecker.check(run.history());
    log.info("list-append on TroupeDB ({}): {} ok, {} fail, {} info, {} txns/s, errors {}\n{}", name,
        run.history().count(Txn.Outcome.OK), run.history().count(Txn.Outcome.FAIL),
        run.history().count(Txn.Outcome.INFO), Math.round(run.txnsPerSecond()), run.errorCodes(), result.report(2));
    assertThat(run.history().count(Txn.Outcome.OK)).isGreaterThan(50); // the workload ran, even on a loaded machine
    return result;
  }

  @Test
  void serializableTroupeDbHasNoAnomalies() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      ListAppendChecker.Result r = run(node, "serializable");
      assertThat(r.anomalies()).isEmpty();
      assertThat(r.valid()).isTrue();
      assertThat(r.edges()).isPositive();
    }
  }

  @Test
  void weakenedSerializabilityIsCaught() throws Exception {
    TroupeNode node;
    // The node reads its settings once, at start (ConfigFactory.load() includes system properties).
    System.setProperty(WEAKEN, "true");
    ConfigFactory.invalidateCaches();
    try {
      node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("weak-store")));
    } finally {
      System.clearProperty(WEAKEN);
      ConfigFactory.invalidateCaches();
    }
    try (node) {
      ListAppendChecker.Result r = run(node, "weakened");
      assertThat(r.anomalies()).extracting(Anomaly::kind)
          .containsAnyOf(Anomaly.Kind.G_SINGLE, Anomaly.Kind.G2, Anomaly.Kind.LOST_APPEND);
      assertThat(r.valid()).isFalse();
    }
  }
}
