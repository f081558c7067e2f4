package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's own pgbench against a node: {@code pgbench -i -s 1} (DROP/CREATE TABLE … WITH
 * (fillfactor), TRUNCATE and COPY in one transaction, VACUUM, ALTER TABLE ADD PRIMARY KEY), then a
 * short run of the default TPC-B script; afterwards every balance change is in the history.
 */
@Tag("slow")
class PgbenchIT {
  private static final Path PGBENCH = Path.of("/usr/bin/pgbench");

  @TempDir Path tmp;

  private static String run(Path log, List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  @Test
  void initThenTpcbKeepsBalancesConsistent() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PGBENCH), "pgbench not installed (apt-get install postgresql-contrib)");
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      String port = Integer.toString(node.pgAddress().getPort());
      List<String> base = List.of(PGBENCH.toString(), "-h", "127.0.0.1", "-p", port, "-U", "root");
      String init = run(tmp.resolve("init.log"), concat(base, "-i", "-s", "1", "defaultdb"));
      assertThat(init).contains("creating primary keys...").contains("done in");
      String bench = run(tmp.resolve("run.log"),
          concat(base, "-c", "4", "-j", "2", "-T", "5", "--max-tries", "20", "defaultdb"));
      assertThat(bench).contains("number of failed transactions: 0");
      long processed = Long.parseLong(bench.replaceAll("(?s).*number of transactions actually processed: (\\d+).*", "$1"));
      assertThat(processed).isPositive();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/defaultdb?user=root");
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pgbench_accounts), "
               + "(SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(delta) FROM pgbench_history), "
               + "(SELECT count(*) FROM pgbench_history), (SELECT sum(bbalance) FROM pgbench_branches), "
               + "(SELECT sum(tbalance) FROM pgbench_tellers)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(100_000);
        assertThat(rs.getLong(2)).isEqualTo(rs.getLong(3)).isEqualTo(rs.getLong(5)).isEqualTo(rs.getLong(6));
        assertThat(rs.getLong(4)).isEqualTo(processed);
      }
    }
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }
}
