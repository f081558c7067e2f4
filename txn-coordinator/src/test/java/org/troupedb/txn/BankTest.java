package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent transfers between accounts spread over several ranges keep the total: every
 * committed transaction is all-or-nothing and serializable (retry errors are allowed).
 */
class BankTest {

  @TempDir
  Path dir;

  @Test
  void concurrentTransfersKeepTheTotal() throws Exception {
    int accounts = 8;
    try (TestNode node = TestNode.start(dir)) {
      TxnService svc = node.service;
      await(svc.ensureSplitAt(k("bank/3")));
      await(svc.ensureSplitAt(k("bank/6")));
      Txn init = svc.begin(TxnOptions.readWrite());
      List<Mutation> ms = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        ms.add(new Mutation.Put(k("bank/" + i), enc(100)));
      }
      await(init.write(ms));
      await(init.commit());

      AtomicInteger committed = new AtomicInteger();
      AtomicInteger retried = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          workers.add(pool.submit(() -> {
            for (int n = 0; n < 40; n++) {
              int from = ThreadLocalRandom.current().nextInt(accounts);
              int to = (from + 1 + ThreadLocalRandom.current().nextInt(accounts - 1)) % accounts;
              Txn t = svc.begin(TxnOptions.readWrite());
              try {
                long a = dec(await(t.get(k("bank/" + from))));
                long b = dec(await(t.get(k("bank/" + to))));
                await(t.write(List.of(new Mutation.Put(k("bank/" + from), enc(a - 7)),
                    new Mutation.Put(k("bank/" + to), enc(b + 7)))));
                await(t.commit());
                committed.incrementAndGet();
              } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(TxnException.class);
                retried.incrementAndGet();
                await(t.rollback());
              }
            }
            return null;
          }));
        }
        for (Future<?> f : workers) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      // A retry-storm-free read of the total (conflicting leftovers get resolved by pushes).
      long total = 0;
      Txn r = svc.begin(TxnOptions.readWrite());
      for (KeyValue kv : await(r.scan(k("bank/"), k("bank0"), 0))) {
        total += dec(kv.value());
      }
      System.out.printf("bank: committed=%d retried=%d%n", committed.get(), retried.get());
      assertThat(committed.get()).isGreaterThan(0);
      assertThat(total).as("committed=%d retried=%d", committed.get(), retried.get()).isEqualTo(100L * accounts);
    }
  }

  static byte[] enc(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static long dec(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }
}
