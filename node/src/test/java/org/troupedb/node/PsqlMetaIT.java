package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;
import org.troupedb.testkit.PsqlDiff;

/**
 * psql's meta-commands ({@code \dn \dt \d \d table \di}, and {@code \l \du}) on the same schema
 * against a real PostgreSQL and a TroupeDB node print the same thing; see
 * src/test/resources/compat/meta.sql. Known deviations are in meta.known-diff, which can only
 * shrink (as for PsqlCompatIT).
 */
class PsqlMetaIT {

  @TempDir Path tmp;

  @Test
  void metaCommandsMatchPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      String diff = PsqlDiff.compareScript(Psql.to(postgres), troupe, Path.of("src/test/resources/compat/meta.sql"));
      Path known = Path.of("src/test/resources/compat/meta.known-diff");
      String expected = Files.exists(known) ? Files.readString(known) : "";
      if (!diff.equals(expected)) {
        Files.writeString(Path.of("target/meta.actual-diff"), diff);
      }
      assertThat(diff).as("psql meta-command diff (- PostgreSQL, + TroupeDB); actual in target/meta.actual-diff")
          .isEqualTo(expected);
      listsDatabasesAndRoles(troupe.withMergedOutput());
    }
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
