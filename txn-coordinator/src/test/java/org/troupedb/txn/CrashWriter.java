package org.troupedb.txn;

import java.nio.file.Path;
import java.util.List;

/**
 * Child-process main for {@link KillTest}: starts a node on {@code args[0]} (range storage
 * {@code args[1]}: heap, the default, or disk) and, from 4
 * concurrent writers (so group commit merges them), commits {@code crash/n} together with
 * {@code crash-idx/n} in one transaction each (alternating 1PC and 2PC across a split),
 * printing {@code ACK n} after each commit is acknowledged, until it is killed.
 */
public final class CrashWriter {
  /** The settings of range storage {@code kind} (heap or disk, under {@code dir}). */
  static com.typesafe.config.Config storage(Path dir, String kind) {
    return com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("troupedb.kv.range-storage", kind,
        "troupedb.kv.range-storage-dir", dir.resolve("range-data").toString()));
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestNode node = TestNode.start(dir, org.troupedb.hlc.HybridClock.system(java.time.Duration.ofMillis(500)),
        storage(dir, args.length > 1 ? args[1] : "heap"));
    node.service.ensureSplitAt(TxnCoordinatorTest.k("crash/5")).toCompletableFuture().get();
    System.out.println("READY");
    System.out.flush();
    int writers = 4;
    for (int w = 0; w < writers; w++) {
      int first = w;
      Thread t = new Thread(() -> {
        for (int i = first; i < 100_000; i += writers) {
          boolean twoPhase = (i / writers) % 2 == 1;
          Txn txn = node.service.begin(twoPhase ? TxnOptions.readWrite() : TxnOptions.implicitStatement());
          String n = Integer.toString(i);
          try {
            txn.write(List.of(new Mutation.Put(TxnCoordinatorTest.k("crash/" + n), TxnCoordinatorTest.v(n)),
                new Mutation.Put(TxnCoordinatorTest.k("crash-idx/" + n), TxnCoordinatorTest.v(n))))
                .thenCompose(v -> txn.commit()).toCompletableFuture().get();
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
}
