package org.troupedb.txn;

import java.nio.file.Path;
import java.util.List;

/**
 * Child-process main for {@link KillTest}: starts a node on {@code args[0]} and commits keys
 * {@code crash/0, crash/1, ...} one transaction each (alternating 1PC and 2PC across a split),
 * printing {@code ACK n} after each commit is acknowledged, until it is killed.
 */
public final class CrashWriter {
  public static void main(String[] args) throws Exception {
    TestNode node = TestNode.start(Path.of(args[0]));
    node.service.ensureSplitAt(TxnCoordinatorTest.k("crash/5")).toCompletableFuture().get();
    System.out.println("READY");
    System.out.flush();
    for (int i = 0; i < 100_000; i++) {
      boolean twoPhase = i % 2 == 1;
      Txn t = node.service.begin(twoPhase ? TxnOptions.readWrite() : TxnOptions.implicitStatement());
      String n = Integer.toString(i);
      t.write(List.of(new Mutation.Put(TxnCoordinatorTest.k("crash/" + n), TxnCoordinatorTest.v(n)),
          new Mutation.Put(TxnCoordinatorTest.k("crash-idx/" + n), TxnCoordinatorTest.v(n))))
          .thenCompose(v -> t.commit()).toCompletableFuture().get();
      System.out.println("ACK " + i);
      System.out.flush();
    }
  }
}
