package org.troupedb.bench.listappend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list-append --check FILE}: exit status 0 for a valid history, 1 with the anomaly printed, 2 for usage. */
class ListAppendCliTest {
  @TempDir Path tmp;

  private record Ran(int status, String out) {}

  private static Ran run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Ran(ListAppendCli.execute(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void validHistoryExitsZero() throws Exception {
    Path h = Files.writeString(tmp.resolve("ok.txt"), "ok 1 append 1 1\nok 2 r 1 [1]\n");
    Ran r = run("--check", h.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("no anomalies");
  }

  @Test
  void writeSkewExitsOneAndIsPrinted() throws Exception {
    Path h = Files.writeString(tmp.resolve("g2.txt"), """
        invoke 1 r 1, append 2 1
        invoke 2 r 2, append 1 2
        ok 1 r 1 [], append 2 1
        ok 2 r 2 [], append 1 2
        ok 3 r 1 [2], r 2 [1]
        """);
    Ran r = run("--check", h.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("anomalies: G2=1").contains("T0 read key 1 = [] and did not see 2");
  }

  @Test
  void unknownIsolationIsAUsageError() {
    assertThat(run("--isolation", "snapshot", "--url", "jdbc:postgresql://127.0.0.1:1/x").status()).isEqualTo(2);
  }
}
