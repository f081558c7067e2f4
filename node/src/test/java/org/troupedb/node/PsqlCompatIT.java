package org.troupedb.node;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;

/**
 * The same psql script against a real PostgreSQL and a TroupeDB node must print the same thing:
 * results, command tags and errors (see src/test/resources/compat/README.md).
 */
class PsqlCompatIT {

  @TempDir Path tmp;

  @Test
  void basicScriptMatchesPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      // Known, documented deviations are listed in basic.known-diff.
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "basic");
    }
  }

  /** Planner regressions of issue 14 (compat/planner.sql): wrong answers and internal errors. */
  @Test
  void plannerRegressionsMatchPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "planner");
    }
  }
}
