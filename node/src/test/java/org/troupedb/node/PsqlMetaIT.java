package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;
import org.troupedb.testkit.PsqlDiff;

/**
 * psql's meta-commands ({@code \dn \dt \d \d table \di}, {@code \l \du}, and {@code \x \timing
 * \copy} in src/test/resources/compat/display.sql) on the same schema
 * against a real PostgreSQL and a TroupeDB node print the same thing; see
 * src/test/resources/compat/meta.sql. Known deviations are in meta.known-diff, which can only
 * shrink (as for CompatScriptsIT).
 */
class PsqlMetaIT {

  @TempDir Path tmp;

  @Test
  void metaCommandsMatchPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "meta");
      listsDatabasesAndRoles(troupe.withMergedOutput());
      displayAndFileCopyMatchPostgres(Psql.to(postgres), troupe);
    }
  }

  /**
   * {@code \x}, {@code \timing} and {@code \copy} to and from files (text and CSV) show the same
   * transcript on both servers, modulo the measured times, and the exported files are identical.
   */
  private static void displayAndFileCopyMatchPostgres(Psql postgres, Psql troupe) throws Exception {
    String name = "troupedb-psqlmeta-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String script = Files.readString(Path.of("src/test/resources/compat/display.sql")).replace("{file}", name);
    // psql resolves \copy's relative file names against its working directory, the temp directory
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    List<String> files = List.of(name + ".txt", name + ".csv");
    String reference = timesMasked(postgres.withMergedOutput().runScriptText("display.sql", script).stdout());
    List<String> referenceFiles = readAndDelete(dir, files);
    String candidate = timesMasked(troupe.withMergedOutput().runScriptText("display.sql", script).stdout());
    List<String> candidateFiles = readAndDelete(dir, files);
    assertThat(reference).contains("Expanded display is on.", "-[ RECORD 1 ]", "Timing is on.", "Time: x ms",
        "COPY 3");
    assertThat(PsqlDiff.diff(reference, candidate)).as("\\x \\timing \\copy transcript (- PostgreSQL, + TroupeDB)")
        .isEmpty();
    assertThat(candidateFiles).as("files written by \\copy ... to").isEqualTo(referenceFiles);
  }

  /** psql's {@code Time: 0.412 ms} (and {@code (00:01.234)} beyond a second) as {@code Time: x ms}. */
  static String timesMasked(String transcript) {
    return transcript.replaceAll("(?m)^Time: [0-9.]+ ms( \\([0-9:.]+\\))?$", "Time: x ms");
  }

  private static List<String> readAndDelete(Path dir, List<String> files) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (String f : files) {
      Path p = dir.resolve(f);
      out.add(Files.exists(p) ? Files.readString(p) : "(missing " + f + ")");
      Files.deleteIfExists(p);
    }
    return out;
  }

  /**
   * {@code \l} and {@code \du} list server-wide objects that differ by nature (PostgreSQL's
   * template databases and its postgres role); what TroupeDB shows must still be its own truth.
   */
  private static void listsDatabasesAndRoles(Psql troupe) {
    troupe.runCommand("CREATE DATABASE shop");
    String l = troupe.runCommand("\\l").stdout();
    assertThat(l).contains("List of databases")
        .containsPattern("(?m)^ defaultdb +\\| root +\\| UTF8 +\\| C.UTF-8 +\\| C.UTF-8 +\\| +\\| libc ")
        .containsPattern("(?m)^ postgres +\\| root ")
        .containsPattern("(?m)^ shop +\\| root ")
        .contains("(3 rows)");
    String du = troupe.runCommand("\\du").stdout();
    assertThat(du).contains("List of roles")
        .containsPattern("(?m)^ root +\\| Superuser, Create role, Create DB, Replication, Bypass RLS +\\| \\{\\}");
  }
}
