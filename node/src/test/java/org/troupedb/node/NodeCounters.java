package org.troupedb.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's load-independent work counters, read from its {@code /metrics} endpoint, and their
 * growth over a benchmark run divided by the transactions it committed (journal writes, range
 * round trips and intents per commit).
 */
final class NodeCounters {
  private NodeCounters() {}

  /** The {@code troupe_range_*} and {@code troupe_txn*} samples of the node's Prometheus text. */
  static Map<String, Double> scrape(InetSocketAddress http) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, Double> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("troupe_") && !line.contains("{")) {
        int sp = line.lastIndexOf(' ');
        out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return out;
  }

  /** One line: each counter's growth between {@code before} and {@code after}, per commit. */
  static String perCommit(String label, Map<String, Double> before, Map<String, Double> after, long commits,
      long retries) {
    double n = Math.max(1, commits);
    double journal = delta("troupe_range_journal_writes_total", before, after)
        + delta("troupe_range_txn_journal_writes_total", before, after);
    return String.format("  %-14s journal writes %.2f (group-commit flushes %.2f, other persists %.2f), "
            + "range commands via mailbox %.2f, local reads %.2f, intents written %.2f, resolved %.2f, "
            + "1PC %.2f, retries %.3f", label, journal / n,
        delta("troupe_range_journal_writes_total", before, after) / n,
        delta("troupe_range_txn_journal_writes_total", before, after) / n,
        delta("troupe_range_commands_total", before, after) / n,
        delta("troupe_range_local_reads_total", before, after) / n,
        delta("troupe_range_intents_written_total", before, after) / n,
        delta("troupe_range_intents_resolved_total", before, after) / n,
        delta("troupe_range_one_phase_commits_total", before, after) / n, retries / n);
  }

  private static double delta(String name, Map<String, Double> before, Map<String, Double> after) {
    return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
  }
}
