package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.range.RangeStats;

/** Concurrent one-phase commits, and concurrent EndTxns, on one range share journal writes (group commit). */
class GroupCommitTest {

  @TempDir
  Path dir;

  @Test
  void concurrentWritesToOneRangeShareJournalWrites() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      RangeStats stats = RangeStats.get(node.system);
      long cmds0 = stats.writeCommands();
      long writes0 = stats.writeJournalWrites();
      int n = 200;
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Txn t = node.service.begin(TxnOptions.implicitStatement());
        int row = i;
        commits.add(t.write(List.of(new Mutation.Insert(k("gc/" + row), v("x"))))
            .thenCompose(x -> t.commit()).toCompletableFuture());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long cmds = stats.writeCommands() - cmds0;
      long journalWrites = stats.writeJournalWrites() - writes0;
      System.out.printf("group commit: %d write commands in %d journal writes%n", cmds, journalWrites);
      assertThat(cmds).isEqualTo(n);
      assertThat(journalWrites).isLessThan(n / 2);
      Txn r = node.service.begin(TxnOptions.readWrite());
      assertThat(r.scan(k("gc/"), k("gc0"), 0).toCompletableFuture().get(30, TimeUnit.SECONDS)).hasSize(n);
    }
  }

  @Test
  void concurrentExplicitCommitsShareJournalWritesWithEachOther() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      RangeStats stats = RangeStats.get(node.system);
      int n = 100;
      List<Txn> txns = new ArrayList<>();
      for (int i = 0; i < n; i++) { // explicit transactions, each with an intent on the one range
        Txn t = node.service.begin(TxnOptions.readWrite());
        t.write(List.of(new Mutation.Put(k("ge/" + i), v("x")))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        t.get(k("ge/" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS); // the pipelined intent is durable
        txns.add(t);
      }
      long ends0 = stats.txnEnds();
      long writes0 = stats.writeJournalWrites() + stats.txnJournalWrites();
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (Txn t : txns) {
        commits.add(t.commit().toCompletableFuture());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long ends = stats.txnEnds() - ends0;
      long journalWrites = stats.writeJournalWrites() + stats.txnJournalWrites() - writes0;
      System.out.printf("group commit: %d commits (EndTxn) in %d journal writes%n", ends, journalWrites);
      assertThat(ends).isEqualTo(n);
      assertThat(journalWrites).isLessThan(n / 2);
      Txn r = node.service.begin(TxnOptions.readWrite());
      assertThat(r.scan(k("ge/"), k("ge0"), 0).toCompletableFuture().get(30, TimeUnit.SECONDS)).hasSize(n);
    }
  }
}
