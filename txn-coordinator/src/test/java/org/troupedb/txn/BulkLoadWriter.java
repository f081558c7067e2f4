package org.troupedb.txn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-process main for {@link KillDuringLoadTest}: starts a node on {@code args[0]} with disk
 * ranges and, from 4 concurrent writers, commits transactions of {@link #ROWS} rows
 * ({@code load/<i>/<j>}), printing {@code ACK i} after transaction {@code i} is acknowledged,
 * until it is killed.
 */
public final class BulkLoadWriter {
  static final int ROWS = 50;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestNode node = TestNode.start(dir, org.troupedb.hlc.HybridClock.system(java.time.Duration.ofMillis(500)),
        CrashWriter.storage(dir, "disk"));
    System.out.println("READY");
    System.out.flush();
    int writers = 4;
    for (int w = 0; w < writers; w++) {
      int first = w;
      Thread t = new Thread(() -> {
        for (int i = first; i < 1_000_000; i += writers) {
          Txn txn = node.service.begin(TxnOptions.implicitStatement());
          List<Mutation> rows = new ArrayList<>(ROWS);
          for (int j = 0; j < ROWS; j++) {
            rows.add(new Mutation.Put(key(i, j), value(i, j)));
          }
          try {
            txn.write(rows).thenCompose(v -> txn.commit()).toCompletableFuture().get();
          } catch (Exception e) {
            System.out.println("ERR " + i + " " + e);
            continue;
          }
          synchronized (System.out) {
            System.out.println("ACK " + i);
            System.out.flush();
          }
        }
      });
      t.start();
    }
  }

  static byte[] key(int txn, int row) {
    return TxnCoordinatorTest.k(String.format("load/%06d/%02d", txn, row));
  }

  static byte[] value(int txn, int row) {
    return TxnCoordinatorTest.v(txn + "." + row + ".0123456789012345678901234567890123456789");
  }
}
