package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.node.differential.DifferentialPool;
import org.troupedb.node.differential.DifferentialRunner;
import org.troupedb.testkit.LocalPostgres;

/**
 * Differential testing against PostgreSQL 15 (issue 14): random schemas, rows and queries from
 * {@link org.troupedb.node.differential.QueryGenerator} run on a throwaway PostgreSQL and on an
 * in-process node, answers compared by {@link DifferentialRunner}; every mismatch is printed with
 * its seed and SQL. CI runs a fixed set of seeds; {@code -Dtroupe.differential.seeds=N} and
 * {@code -Dtroupe.differential.queries=M} (per seed) scale it, {@code -Dtroupe.differential.threads=T}
 * runs T seeds at a time (2 by default; {@link DifferentialPool}), and the {@code slow} test runs
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
    int workers = Integer.getInteger("troupe.differential.threads", 2);
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      String pgBase = "jdbc:postgresql://" + LocalPostgres.HOST + ":" + postgres.port() + "/";
      String trBase = "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/";
      DifferentialPool.Summary sum = DifferentialPool.run(
          db -> DriverManager.getConnection(pgBase + db + "?user=" + LocalPostgres.USER),
          db -> DriverManager.getConnection(trBase + db + "?user=root&sslmode=disable"), workers, first, seeds, queries);
      for (DifferentialRunner.Mismatch m : sum.mismatches()) {
        System.out.println("MISMATCH " + m);
      }
      System.out.printf("differential: seeds %d..%d, %d workers: %s%n", first, first + seeds - 1, workers, sum);
      assertThat(sum.queries()).isEqualTo(seeds * queries);
      assertThat(sum.mismatches()).as("queries whose answers differ from PostgreSQL's (seed, SQL, both answers)").isEmpty();
    }
  }
}
