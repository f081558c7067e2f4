package org.troupedb.node.differential;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a range of seeds with {@link DifferentialRunner} on several threads against one PostgreSQL
 * and one TroupeDB: each worker has a database of its own on both ({@code diff0}, {@code diff1},
 * …, created at the start and dropped at the end), where it creates, queries and drops one seed's
 * tables after another over the same two connections. Seeds are handed out in order, so a seed's
 * schema and queries do not depend on the number of workers.
 */
public final class DifferentialPool {
  /** Opens a connection to a database of one side. */
  public interface Connector {
    Connection open(String database) throws SQLException;
  }

  /** What a run did and where its time went (nanoseconds; the per-side times summed over workers). */
  public record Summary(int seeds, int queries, int bothAnswered, List<DifferentialRunner.Mismatch> mismatches,
      long wallNanos, long postgresNanos, long troupeNanos, long schemaNanos) {
    /** Queries per second of wall time. */
    public double queriesPerSecond() {
      return queries * 1e9 / Math.max(1, wallNanos);
    }

    @Override
    public String toString() {
      return String.format("%d seeds, %d queries (%d answered by both), %d mismatches, %.1f s wall, %.1f queries/s;"
          + " summed over workers: PostgreSQL %.1f s, TroupeDB %.1f s, schemas (both) %.1f s", seeds, queries,
          bothAnswered, mismatches.size(), wallNanos / 1e9, queriesPerSecond(), postgresNanos / 1e9,
          troupeNanos / 1e9, schemaNanos / 1e9);
    }
  }

  private DifferentialPool() {}

  /** Seeds {@code first} .. {@code first + seeds - 1}, {@code queries} each, on {@code workers} threads. */
  public static Summary run(Connector postgres, Connector troupe, int workers, long first, int seeds, int queries)
      throws Exception {
    List<String> databases = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      databases.add("diff" + w);
    }
    try (Connection pgAdmin = postgres.open("defaultdb"); Connection trAdmin = troupe.open("defaultdb")) {
      for (String db : databases) {
        execute(pgAdmin, "DROP DATABASE IF EXISTS " + db);
        execute(pgAdmin, "CREATE DATABASE " + db);
        execute(trAdmin, "DROP DATABASE IF EXISTS " + db);
        execute(trAdmin, "CREATE DATABASE " + db);
      }
      AtomicLong next = new AtomicLong(first);
      List<DifferentialRunner.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<Void>> done = new ArrayList<>();
        for (String db : databases) {
          done.add(pool.submit(() -> {
            try (Connection pg = postgres.open(db); Connection tr = troupe.open(db)) {
              DifferentialRunner runner = new DifferentialRunner(pg, tr);
              for (long seed = next.getAndIncrement(); seed < first + seeds; seed = next.getAndIncrement()) {
                outcomes.add(runner.run(seed, queries));
              }
            }
            return null;
          }));
        }
        for (Future<Void> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      long wall = System.nanoTime() - t0;
      for (String db : databases) {
        execute(pgAdmin, "DROP DATABASE IF EXISTS " + db);
        execute(trAdmin, "DROP DATABASE IF EXISTS " + db);
      }
      return summarize(seeds, outcomes, wall);
    }
  }

  private static Summary summarize(int seeds, List<DifferentialRunner.Outcome> outcomes, long wall) {
    int queries = 0;
    int answered = 0;
    long pg = 0;
    long tr = 0;
    long schema = 0;
    List<DifferentialRunner.Mismatch> mismatches = new ArrayList<>();
    for (DifferentialRunner.Outcome o : outcomes) {
      queries += o.queries();
      answered += o.bothAnswered();
      pg += o.postgresNanos();
      tr += o.troupeNanos();
      schema += o.schemaNanos();
      mismatches.addAll(o.mismatches());
    }
    mismatches.sort((a, b) -> a.seed() != b.seed() ? Long.compare(a.seed(), b.seed()) : Integer.compare(a.query(), b.query()));
    return new Summary(seeds, queries, answered, mismatches, wall, pg, tr, schema);
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
