package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End-to-end with the real psql (libpq) client against the fake engine. */
class PgServerPsqlIT {
  static final String PSQL = "/usr/bin/psql";
  static final FakeSqlEngine ENGINE = new FakeSqlEngine();
  static PgServer server;
  static InetSocketAddress address;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws InterruptedException {
    assertThat(Files.isExecutable(Path.of(PSQL))).as("psql installed").isTrue();
    server = new PgServer(PgServerConfig.loopback(), ENGINE);
    address = server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Run psql(String user, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PSQL, "-X", "-h", "127.0.0.1", "-p",
        String.valueOf(address.getPort()), "-U", user, "-d", "defaultdb"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().remove("PGPASSWORD");
    Path out = Files.createTempFile("psql", ".out");
    Path err = Files.createTempFile("psql", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("psql did not finish");
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void selectsEveryType() throws Exception {
    Run r = psql("root", "-A", "-t", "-c", "select types");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly(
        "t|-2|123456|9007199254740993|1.5|0.1|-12345.6780|text ✓|varchar|bpchar  |name|\\x0001ff|2024-01-02"
            + "|2024-01-02 03:04:05.123456|2024-01-02 03:04:05.123456+00|4000000000|1 year 2 mons 3 days 04:00:05|x",
        "|||||||||||||||||");
  }

  @Test
  void alignedOutputWithHeader() throws Exception {
    Run r = psql("root", "-c", "generate 2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains(" n ").contains("(2 rows)");
  }

  @Test
  void errorsGoToStderrWithSqlStateAndExitCode() throws Exception {
    Run r = psql("root", "-v", "VERBOSITY=verbose", "-c", "fail 42P01");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("ERROR:  42P01: failed as asked").contains("DETAIL:  some detail");
  }

  @Test
  void multipleCommandsAndTransactions() throws Exception {
    Run r = psql("root", "-A", "-t", "-c", "begin", "-c", "generate 3", "-c", "commit");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("1\n2\n3");
  }

  @Test
  void nonRootIsRefused() throws Exception {
    Run r = psql("mallory", "-c", "generate 1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no pg_hba.conf entry");
  }
}
