package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgbench (postgresql-client) runs {@code ops/bank/transfer.sql} against a node with
 * {@code --max-tries=10}: transactions commit, serialization failures are retried by pgbench,
 * and the total of the balances holds afterwards.
 */
class PgbenchTransferIT {
  private static final Logger log = LoggerFactory.getLogger(PgbenchTransferIT.class);
  static final Path PGBENCH = Path.of("/usr/bin/pgbench");
  private static final Path SCRIPT = Path.of("..", "ops", "bank", "transfer.sql");

  @TempDir Path tmp;

  @Test
  void pgbenchTransfersWithRetriesKeepTheTotal() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      int port = node.pgAddress().getPort();
      int accounts = 10;
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/defaultdb?user=root");
           Statement s = c.createStatement()) {
        s.execute("CREATE TABLE bank (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= accounts; i++) {
          rows.append(i == 1 ? "" : ", ").append("(").append(i).append(", 1000)");
        }
        s.execute("INSERT INTO bank VALUES " + rows);
      }
      String out = pgbench(port, "-n", "-f", SCRIPT.toString(), "-D", "accounts=" + accounts, "-c", "4", "-j", "2",
          "-T", "10", "--max-tries=10");
      log.info("pgbench:\n{}", out);
      long processed = number(out, "number of transactions actually processed: (\\d+)");
      assertThat(processed).as(out).isPositive();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/defaultdb?user=root");
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT balance FROM bank")) {
        long total = 0;
        int rows = 0;
        while (rs.next()) {
          total += rs.getLong(1);
          rows++;
        }
        assertThat(total).as("total after pgbench").isEqualTo(1000L * accounts);
        assertThat(rows).isEqualTo(accounts);
      }
    }
  }

  static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Runs pgbench against 127.0.0.1:{@code port} (bounded); returns its output; fails on a non-zero exit. */
  static String pgbench(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PGBENCH.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
        "-U", "root"));
    cmd.addAll(List.of(args));
    cmd.add("defaultdb");
    Path log = java.nio.file.Files.createTempFile("pgbench", ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("pgbench did not finish within 120 s");
      }
    } finally {
      p.destroyForcibly();
    }
    String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
    java.nio.file.Files.deleteIfExists(log);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
