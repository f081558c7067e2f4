package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.node.differential.DifferentialRunner;
import org.troupedb.testkit.LocalPostgres;

/**
 * Differential testing against PostgreSQL 15 (issue 14): random schemas, rows and queries from
 * {@link org.troupedb.node.differential.QueryGenerator} run on a throwaway PostgreSQL and on an
 * in-process node, answers compared by {@link DifferentialRunner}; every mismatch is printed with
 * its seed and SQL. CI runs a fixed set of seeds; {@code -Dtroupe.differential.seeds=N} and
 * {@code -Dtroupe.differential.queries=M} (per seed) scale it, and the {@code slow} test runs
 * many more. See docs/differential-testing.md.
 */
class DifferentialIT {
  @TempDir Path tmp;

  @Test
  void fixedSeedsAgreeWithPostgres() throws Exception {
    int seeds = Integer.getInteger("troupe.differential.seeds", 4);
    int queries = Integer.getInteger("troupe.differential.queries", 30);
    runSeeds(Long.getLong("troupe.differential.firstSeed", 1), seeds, queries);
  }

  @Test
  @Tag("slow")
  void manySeedsAgreeWithPostgres() throws Exception {
    runSeeds(System.nanoTime(), Integer.getInteger("troupe.differential.slowSeeds", 200), 200);
  }

  private void runSeeds(long first, int seeds, int queries) throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")));
         Connection pg = DriverManager.getConnection(postgres.jdbcUrl());
         Connection tr = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
             + "/defaultdb?user=root")) {
      DifferentialRunner runner = new DifferentialRunner(pg, tr);
      List<DifferentialRunner.Mismatch> all = new ArrayList<>();
      int run = 0;
      int answered = 0;
      long t0 = System.nanoTime();
      for (long seed = first; seed < first + seeds; seed++) {
        DifferentialRunner.Outcome o = runner.run(seed, queries);
        run += o.queries();
        answered += o.bothAnswered();
        for (DifferentialRunner.Mismatch m : o.mismatches()) {
          System.out.println("MISMATCH " + m);
        }
        all.addAll(o.mismatches());
      }
      System.out.printf("differential: %d queries (%d answered by both), %d mismatches, seeds %d..%d, %d ms%n",
          run, answered, all.size(), first, first + seeds - 1, (System.nanoTime() - t0) / 1_000_000);
      assertThat(all).as("queries whose answers differ from PostgreSQL's (seed, SQL, both answers)").isEmpty();
    }
  }
}
