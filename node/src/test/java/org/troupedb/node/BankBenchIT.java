package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;

/**
 * Benchmark (not a timed test): the bank workload at low contention (10,000 accounts) and high
 * contention (10 accounts) against TroupeDB (one in-process node) and a throwaway PostgreSQL 15 at
 * SERIALIZABLE with its default durability, in the same run: committed transfers/s and
 * retries/s. Prints a table and writes it to {@code node/target/bank-bench.txt}.
 *
 * <p>{@code mvn -B -pl node -am verify -DexcludedGroups=none -Dit.test=BankBenchIT
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 * (options: {@code -Dbank.seconds=20 -Dbank.clients=8}); or {@code ops/bench-bank}.
 */
@Tag("bench")
class BankBenchIT {

  @TempDir Path tmp;

  @Test
  void bankWorkloadAgainstTroupeDbAndPostgres() throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("bank.seconds", 20));
    int clients = Integer.getInteger("bank.clients", 8);
    List<String> lines = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    lines.add(String.format("bank workload: %d clients, %s per run, transfers retried up to 50 times on 40001/40P01, "
        + "10%% full-sum reads", clients, duration));
    lines.add(String.format("%-10s %9s %14s %12s %10s %9s", "target", "accounts", "committed/s", "retries/s",
        "declined", "gave up"));
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Options.forTests().withDurable(true));
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      String troupeUrl = "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root";
      for (int accounts : new int[] {10_000, 10}) {
        for (Map.Entry<String, String> target : List.of(Map.entry("troupedb", troupeUrl),
            Map.entry("postgres", pg.jdbcUrl()))) {
          BankWorkload bank = new BankWorkload(new BankWorkload.Config(target::getValue, accounts, 4, clients,
              duration, 50, 10));
          bank.load();
          boolean troupe = target.getKey().equals("troupedb");
          Map<String, Double> before = troupe ? NodeCounters.scrape(node.httpAddress()) : Map.of();
          BankWorkload.Outcome out = bank.run(() -> { });
          if (troupe) {
            counts.add(NodeCounters.perCommit(accounts + " accounts", before, NodeCounters.scrape(node.httpAddress()),
                out.committed.get(), out.retries.get()));
          }
          assertThat(bank.verify(out)).as(target.getKey() + " " + accounts).isEmpty();
          lines.add(String.format("%-10s %9d %14.1f %12.1f %10d %9d", target.getKey(), accounts,
              out.perSecond(out.committed), out.perSecond(out.retries), out.declined.get(), out.gaveUp.get()));
        }
      }
    }
    lines.add("TroupeDB, per committed transfer (all of the run's work, sum reads included):");
    lines.addAll(counts);
    String report = String.join("\n", lines);
    System.out.println(report);
    Files.writeString(Path.of("target", "bank-bench.txt"), report + "\n");
  }
}
