package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.k;
import static org.troupedb.txn.TxnCoordinatorTest.v;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough KV throughput (not run by default: {@code -Pall} or {@code -DexcludedGroups=none}):
 * batched 1PC inserts from 4 loaders, then point reads from 4 clients. Prints rates.
 */
@Tag("bench")
class KvBench {

  @TempDir
  Path dir;

  @Test
  void loadThenPointReads() throws Exception {
    int rows = Integer.getInteger("bench.rows", 200_000);
    int batch = 500;
    int clients = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (TestNode node = TestNode.start(dir)) {
      TxnService svc = node.service;
      svc.ensureSplitAt(k("bench/")).toCompletableFuture().get();
      long t0 = System.nanoTime();
      List<CompletableFuture<Void>> loaders = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        loaders.add(CompletableFuture.runAsync(() -> {
          for (int b = client * batch; b < rows; b += clients * batch) {
            List<Mutation> ms = new ArrayList<>(batch);
            for (int i = b; i < Math.min(rows, b + batch); i++) {
              ms.add(new Mutation.Insert(k(String.format("bench/%08d", i)), v("value-" + i + "-padding-padding")));
            }
            Txn t = svc.begin(TxnOptions.implicitStatement());
            t.write(ms).thenCompose(x -> t.commit()).toCompletableFuture().join();
          }
        }, pool));
      }
      CompletableFuture.allOf(loaders.toArray(CompletableFuture[]::new)).join();
      double loadSecs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("BENCH load: %d rows in %.1f s = %.0f rows/s%n", rows, loadSecs, rows / loadSecs);
      org.troupedb.range.RangeStats stats = org.troupedb.range.RangeStats.get(node.system);
      System.out.printf("BENCH write commands %d, journal writes %d%n", stats.writeCommands(), stats.writeJournalWrites());

      AtomicLong reads = new AtomicLong();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long until = System.nanoTime() + 10_000_000_000L;
      List<CompletableFuture<Void>> readers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        readers.add(CompletableFuture.runAsync(() -> {
          while (System.nanoTime() < until) {
            int i = ThreadLocalRandom.current().nextInt(rows);
            Txn t = svc.begin(TxnOptions.implicitStatement());
            byte[] got = t.get(k(String.format("bench/%08d", i))).toCompletableFuture().join();
            t.commit().toCompletableFuture().join();
            assertThat(got).isNotNull();
            reads.incrementAndGet();
          }
        }, pool));
      }
      CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).join();
      double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / reads.get();
      // CPU per read is the figure to compare when the machine is shared (rates depend on load).
      System.out.printf("BENCH point reads: %.0f/s with %d clients, %.1f us CPU per read%n", reads.get() / 10.0,
          clients, cpuMicros);
    } finally {
      pool.shutdownNow();
    }
  }
}
