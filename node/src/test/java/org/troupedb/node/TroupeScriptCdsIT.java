package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/troupe}'s class-data archive (docs/operations.md, "Faster restarts"): the first clean
 * stop writes it under a temporary name, a start adopts it only once the JVM accepts it (a
 * truncated one would crash the JVM), and a later start maps it. The script runs from a copy of
 * the checkout's layout whose jar links to the built one, so the build's own archive is untouched.
 */
class TroupeScriptCdsIT {
  private static final Pattern DUMP = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)");
  private static final Map<String, String> ENV = Map.of("TROUPE_CDS", "on", "TROUPE_JAVA_OPTS", "-Xmx512m");

  @TempDir Path tmp;

  @Test
  void aCleanStopWritesTheArchiveACutShortOneIsDroppedAndTheNextStartMapsIt() throws Exception {
    Path script = checkoutLayout(tmp.resolve("checkout"));
    Path store = tmp.resolve("store");

    Path dump;
    try (NodeProcess node = NodeProcess.startScript(script, ENV, store, NodeProcess.freePort())) {
      node.awaitReady();
      dump = dumpPath(node.commandLine());
      stop(node);
    }
    assertThat(Files.size(dump)).as("the archive the JVM wrote at the clean stop: " + dump).isGreaterThan(1_000_000);

    // A dump cut short (kill -9 while writing): the next start must drop it, not map it.
    byte[] whole = Files.readAllBytes(dump);
    Files.write(dump, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path secondDump;
    try (NodeProcess node = NodeProcess.startScript(script, ENV, store, NodeProcess.freePort())) {
      node.awaitReady();
      assertThat(dump).as("the truncated archive is dropped").doesNotExist();
      secondDump = dumpPath(node.commandLine());
      assertThat(select1(node)).isEqualTo(1);
      stop(node);
    }

    try (NodeProcess node = NodeProcess.startScript(script, ENV, store, NodeProcess.freePort())) {
      node.awaitReady();
      String cmd = node.commandLine();
      String adopted = secondDump.toString().replaceFirst("\\.\\d+\\.tmp$", "");
      assertThat(cmd).as("the third start maps the adopted archive")
          .contains("-XX:SharedArchiveFile=" + adopted).doesNotContain("ArchiveClassesAtExit");
      assertThat(select1(node)).isEqualTo(1);
      stop(node);
    }
  }

  /** {@code root/ops/troupe} (a copy) and {@code root/node/target/} linking to the built jar and its lib. */
  private static Path checkoutLayout(Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("node").resolve("target"));
    Files.createSymbolicLink(target.resolve("troupe-node.jar"), Path.of("target", "troupe-node.jar").toAbsolutePath());
    Files.createSymbolicLink(target.resolve("lib"), Path.of("target", "lib").toAbsolutePath());
    Path script = Files.createDirectories(root.resolve("ops")).resolve("troupe");
    Files.copy(Path.of("..", "ops", "troupe"), script);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static Path dumpPath(String commandLine) {
    Matcher m = DUMP.matcher(commandLine);
    assertThat(m.find()).as("a start without an archive asks the JVM to write one: " + commandLine).isTrue();
    return Path.of(m.group(1));
  }

  /** SIGTERM: the clean stop at which the JVM writes its archive. */
  private static void stop(NodeProcess node) throws InterruptedException {
    assertThat(node.terminate()).as("exit code on SIGTERM").isIn(0, 143);
  }

  private static int select1(NodeProcess node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.jdbcUrl());
        ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
