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
 * The same psql script against a real PostgreSQL and a TroupeDB node must print the same thing:
 * results, command tags and errors (see src/test/resources/compat/README.md).
 */
class PsqlCompatIT {

  @TempDir Path tmp;

  @Test
  void basicScriptMatchesPostgres() throws Exception {
    Path script = Path.of("src/test/resources/compat/basic.sql");
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      String diff = PsqlDiff.compareScript(Psql.to(postgres), troupe, script);
      // Known, documented deviations are listed in basic.known-diff; anything else (a new
      // difference, or a fixed one still listed) fails, so the file only ever shrinks.
      Path known = Path.of("src/test/resources/compat/basic.known-diff");
      String expected = Files.exists(known) ? Files.readString(known) : "";
      if (!diff.equals(expected)) {
        Files.writeString(Path.of("target/basic.actual-diff"), diff);
      }
      assertThat(diff).as("psql transcript diff (- PostgreSQL, + TroupeDB); actual in target/basic.actual-diff")
          .isEqualTo(expected);
    }
  }
}
