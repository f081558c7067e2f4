package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drivers other than pgjdbc against one node: Python's psycopg2 (Debian's python3-psycopg2) and
 * Node's pg (installed by {@code npm ci} from src/test/drivers/package-lock.json into
 * target/drivers-node). Each script in src/test/drivers connects, round-trips parameters of the
 * common types, commits one transaction and rolls one back, checks the SQLSTATE of a unique
 * violation and of an unknown table, and goes on using the connection; it exits non-zero on the
 * first wrong answer.
 */
class DriversIT extends InProcessNodeFixture {
  private static final Path SCRIPTS = Path.of("src/test/drivers");

  @Test
  void psycopg2() throws Exception {
    Result r = run(SCRIPTS, 120, python(), "psycopg2_smoke.py", port());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ok unique violation SQLSTATE", "ok undefined table SQLSTATE",
        "ok named cursor fetchall", "ok WITH HOLD cursor after commit", "psycopg2 smoke: all passed");
  }

  @Test
  void nodePg() throws Exception {
    Path dir = Path.of("target", "drivers-node");
    Files.createDirectories(dir);
    for (String f : List.of("package.json", "package-lock.json", "pg_smoke.js")) {
      Files.copy(SCRIPTS.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(dir.resolve("node_modules/pg/package.json"))) {
      Result install = run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline");
      assertThat(install.exit()).as("npm ci: " + install.output()).isZero();
    }
    Result r = run(dir, 120, "node", "pg_smoke.js", port());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("fails with 23505", "fails with 42P01", "fails with 25P02",
        "pg smoke: all passed");
  }

  private String port() {
    return Integer.toString(node.pgAddress().getPort());
  }

  /** Debian's python3 (where python3-psycopg2 installs) if present, else the one on the PATH. */
  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  record Result(int exit, String output) {}

  /** Runs a command in {@code dir}, output and errors merged, killed after {@code seconds}. */
  static Result run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
        .redirectErrorStream(true);
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return new Result(-1, "timed out after " + seconds + " s: " + String.join(" ", command) + "\n" + out.join());
    }
    return new Result(p.exitValue(), out.join());
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output lost: " + e + ")";
    }
  }
}
