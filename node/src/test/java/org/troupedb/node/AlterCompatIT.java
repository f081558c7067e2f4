package org.troupedb.node;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;

/**
 * compat/alter.sql (ALTER TABLE ADD COLUMN with DEFAULT / NOT NULL, DROP COLUMN, RENAME, ALTER
 * COLUMN SET/DROP DEFAULT, SET/DROP NOT NULL, TYPE; errors included) prints the same with psql on
 * PostgreSQL 15 and on a TroupeDB node.
 */
class AlterCompatIT {
  @TempDir Path tmp;

  @Test
  void alterScriptMatchesPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "alter");
    }
  }
}
