package org.troupedb.node;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;

/**
 * Issue 14: CHECK and FOREIGN KEY constraints through psql (compat/constraints.sql) print what
 * PostgreSQL 15 prints — results, \d, pg_constraint, errors with their DETAIL lines.
 */
class ConstraintsCompatIT {

  @TempDir Path tmp;

  @Test
  void constraintsScriptMatchesPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "constraints");
    }
  }
}
