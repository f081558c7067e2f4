package org.troupedb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import picocli.CommandLine;

class PointReadBenchTest {

  @Test
  void loadsAndReadsAgainstPostgres(@TempDir Path out) throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      ByteArrayOutputStream progress = new ByteArrayOutputStream();
      PointReadBench.Config c = PointReadBench.Config.defaults(pg.jdbcUrl())
          .withRows(20_001) // not a multiple of the batch: exercises the short last INSERT
          .withClients(2)
          .withTimes(Duration.ofSeconds(3), Duration.ofSeconds(1))
          .withOut(out, "postgres");

      PointReadResult r =
          PointReadBench.run(c, new PrintStream(progress, true, StandardCharsets.UTF_8));

      assertThat(r.rowsLoaded()).isEqualTo(20_001);
      assertThat(r.loadRowsPerSecond()).isPositive();
      assertThat(r.queries()).isPositive();
      assertThat(r.queriesPerSecond()).isPositive();
      assertThat(r.measuredSeconds()).isBetween(2.9, 10.0);
      assertThat(r.p50Micros()).isPositive().isLessThanOrEqualTo(r.p99Micros());
      assertThat(r.p99Micros()).isLessThanOrEqualTo(r.maxMicros());
      assertThat(progress.toString(StandardCharsets.UTF_8)).contains("loaded 20001 rows");
      assertThat(r.table()).contains("queries/s", "p99");

      try (Connection conn = DriverManager.getConnection(pg.jdbcUrl());
          Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), min(id), max(id) FROM bench_kv")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(20_001);
        assertThat(rs.getLong(2)).isEqualTo(1);
        assertThat(rs.getLong(3)).isEqualTo(20_001);
      }
      String json = Files.readString(out.resolve("point-reads-postgres.json"));
      assertThat(json)
          .contains("\"label\": \"postgres\"", "\"rowsLoaded\": 20001", "\"queriesPerSecond\": ")
          .contains("\"queries\": " + r.queries() + ",");
    }
  }

  @Test
  void cliFailsCleanlyWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    int exit = new CommandLine(new PointReadBench()).execute(
        "--url", "jdbc:postgresql://127.0.0.1:" + port + "/defaultdb?user=root",
        "--rows", "10", "--duration", "1s", "--warmup", "0s");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void cliRejectsBadOptions() {
    assertThat(new CommandLine(new PointReadBench()).execute("--batch", "0")).isEqualTo(2);
    assertThat(new CommandLine(new PointReadBench()).execute("--duration", "soon")).isEqualTo(2);
    assertThatThrownBy(() -> PointReadBench.Config.defaults("jdbc:x").withClients(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsAndHelpers() {
    PointReadBench.DurationConverter d = new PointReadBench.DurationConverter();
    assertThat(d.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(d.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(d.convert("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(PointReadBench.insertSql(2))
        .isEqualTo("INSERT INTO bench_kv (id, v1, v2) VALUES (?,?,?),(?,?,?)");
    assertThat(PointReadBench.maskPassword("jdbc:postgresql://h/db?user=u&password=secret&ssl=false"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=false");
    assertThat(PointReadResult.str("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
  }
}
