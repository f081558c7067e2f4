package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * retries/s, and TroupeDB's work per committed transfer (journal writes, range commands, intents).
 * Prints a table and writes it to {@code node/target/bank-bench.txt}.
 *
 * <p>{@code -Dbank.variants=before,after} runs TroupeDB once per variant, each on a fresh node:
 * {@code before} turns off the commit path of issue 16 (write pipelining, transaction ends in the
 * group commit), {@code after} is the default configuration. Default: {@code after} only.
 *
 * <p>{@code mvn -B -pl node -am verify -DexcludedGroups=none -Dit.test=BankBenchIT
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 * (options: {@code -Dbank.seconds=20 -Dbank.clients=8 -Dbank.variants=before,after}); or {@code ops/bench-bank}.
 */
@Tag("bench")
class BankBenchIT {
  private static final int[] ACCOUNTS = {10_000, 10};
  /** The configuration each variant sets (system properties, read by the node's ConfigFactory.load()). */
  private static final Map<String, Map<String, String>> VARIANTS = Map.of(
      "before", Map.of("troupedb.kv.write-pipelining", "off", "troupedb.kv.group-commit-ends", "off"),
      "after", Map.of());

  @TempDir Path tmp;

  @Test
  void bankWorkloadAgainstTroupeDbAndPostgres() throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("bank.seconds", 20));
    int clients = Integer.getInteger("bank.clients", 8);
    List<String> variants = List.of(System.getProperty("bank.variants", "after").split(","));
    List<String> lines = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    lines.add(String.format("bank workload: %d clients, %s per run, transfers retried up to 50 times on 40001/40P01, "
        + "10%% full-sum reads", clients, duration));
    lines.add(String.format("%-17s %9s %14s %12s %10s %9s %8s", "target", "accounts", "committed/s", "retries/s",
        "declined", "gave up", "vs pg"));
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Options.forTests().withDurable(true))) {
      for (int accounts : ACCOUNTS) {
        BankWorkload.Outcome out = run(load(pg::jdbcUrl, accounts, clients, duration), accounts, "postgres");
        rates.put("postgres/" + accounts, out.perSecond(out.committed));
        lines.add(row("postgres", accounts, out, 1.0));
      }
    }
    for (String variant : variants) {
      Map<String, String> props = VARIANTS.get(variant);
      assertThat(props).as("unknown variant " + variant).isNotNull();
      props.forEach(System::setProperty);
      ConfigFactory.invalidateCaches();
      try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store-" + variant)))) {
        String url = "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root";
        for (int accounts : ACCOUNTS) {
          BankWorkload bank = load(() -> url, accounts, clients, duration);
          Map<String, Double> before = NodeCounters.scrape(node.httpAddress()); // after the load
          BankWorkload.Outcome out = run(bank, accounts, "troupedb " + variant);
          counts.add(NodeCounters.perCommit(variant + " " + accounts, before, NodeCounters.scrape(node.httpAddress()),
              out.committed.get(), out.retries.get()));
          lines.add(row("troupedb " + variant, accounts, out,
              out.perSecond(out.committed) / rates.get("postgres/" + accounts)));
        }
      } finally {
        props.keySet().forEach(System::clearProperty);
        ConfigFactory.invalidateCaches();
      }
    }
    lines.add("TroupeDB, per committed transfer (all of the run's work, sum reads included):");
    lines.addAll(counts);
    String report = String.join("\n", lines);
    System.out.println(report);
    Files.writeString(Path.of("target", "bank-bench.txt"), report + "\n");
  }

  private static BankWorkload load(java.util.function.Supplier<String> url, int accounts, int clients,
      Duration duration) throws Exception {
    BankWorkload bank = new BankWorkload(new BankWorkload.Config(url, accounts, 4, clients, duration, 50, 10));
    bank.load();
    return bank;
  }

  private static BankWorkload.Outcome run(BankWorkload bank, int accounts, String label) throws Exception {
    BankWorkload.Outcome out = bank.run(() -> { });
    assertThat(bank.verify(out)).as(label + " " + accounts).isEmpty();
    return out;
  }

  private static String row(String target, int accounts, BankWorkload.Outcome out, double ratio) {
    return String.format("%-17s %9d %14.1f %12.1f %10d %9d %7.2fx", target, accounts, out.perSecond(out.committed),
        out.perSecond(out.retries), out.declined.get(), out.gaveUp.get(), ratio);
  }
}
