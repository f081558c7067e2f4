package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.hlc.HybridClock;
import org.troupedb.range.RangeClient;

/** Ranges split themselves when they grow past {@code troupedb.kv.split-keys}; data stays reachable. */
class AutoSplitTest {

  @TempDir
  Path dir;

  @Test
  void growingRangeSplitsAndEverythingStaysReadable() throws Exception {
    try (TestNode node = TestNode.start(dir, HybridClock.system(Duration.ofMillis(500)),
        ConfigFactory.parseString("troupedb.kv.split-keys = 40"))) {
      for (int batch = 0; batch < 10; batch++) {
        List<Mutation> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          rows.add(new Mutation.Insert(k(String.format("as/%03d", batch * 30 + i)), v("x")));
        }
        Txn t = node.service.begin(TxnOptions.implicitStatement());
        await(t.write(rows));
        await(t.commit());
      }
      // Splits run in the background after the writes: wait (bounded) until the meta range has them.
      RangeClient client = ((TxnCoordinator) node.service).client();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (client.cachedDescriptors().size() <= 3 && System.nanoTime() < deadline) {
        await(client.refresh());
        Thread.sleep(50);
      }
      assertThat(client.cachedDescriptors().size()).isGreaterThan(3);
      // Routing finds, for every key, the one cached range that contains it: at each boundary,
      // just below it and just above it.
      for (org.troupedb.range.RangeDescriptor d : client.cachedDescriptors()) {
        assertThat(client.lookup(d.startKey())).isEqualTo(d);
        assertThat(client.lookup(org.troupedb.range.Keys.next(d.startKey()))).isEqualTo(d);
        if (d.endKey() != null) {
          byte[] below = java.util.Arrays.copyOf(d.endKey(), d.endKey().length - 1);
          assertThat(client.lookup(d.endKey()).startKey()).isEqualTo(d.endKey());
          assertThat(client.lookup(d.endKey()).contains(d.endKey())).isTrue();
          if (below.length > 0 && d.contains(below)) {
            assertThat(client.lookup(below)).isEqualTo(d);
          }
        }
      }
      Txn r = node.service.begin(TxnOptions.readWrite());
      assertThat(await(r.scan(k("as/"), k("as0"), 0))).hasSize(300);
      assertThat(await(r.get(k("as/299")))).isEqualTo(v("x"));
    }
  }
}
