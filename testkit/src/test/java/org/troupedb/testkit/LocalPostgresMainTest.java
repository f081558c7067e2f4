package org.troupedb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher scripts use: READY line on stdout, everything gone after SIGTERM. */
class LocalPostgresMainTest {

  @Test
  void printsReadyUrlAndCleansUpOnSigterm() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", Path.of("target/classes").toString(),
        LocalPostgresMain.class.getName(), "--max-lifetime-seconds", "300")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Path dataDir;
    Optional<ProcessHandle> postmaster;
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(120, TimeUnit.SECONDS);
      assertThat(line).startsWith("READY jdbc:postgresql://127.0.0.1:").endsWith("/defaultdb?user=root");

      try (Connection c = DriverManager.getConnection(line.substring("READY ".length()));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT current_setting('data_directory'), pg_backend_pid(), current_setting('fsync')")) {
        assertThat(rs.next()).isTrue();
        dataDir = Path.of(rs.getString(1));
        postmaster = ProcessHandle.of(rs.getLong(2)).flatMap(ProcessHandle::parent);
        assertThat(rs.getString(3)).isEqualTo("off");
      }
      assertThat(dataDir).exists();
      assertThat(postmaster).isPresent();
    } finally {
      p.destroy(); // SIGTERM
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertThat(p.exitValue()).isNotZero(); // terminated by the signal
    assertThat(Files.exists(dataDir)).isFalse();
    assertThat(postmaster.get().isAlive()).isFalse();
  }
}
