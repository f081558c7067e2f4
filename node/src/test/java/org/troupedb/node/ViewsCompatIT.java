package org.troupedb.node;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;

/**
 * Issue 14: views and CREATE TABLE AS through psql (compat/views.sql) print what PostgreSQL 15
 * prints — results, \dv, \d of a view, pg_views / pg_tables / pg_indexes / information_schema,
 * errors with their DETAIL and HINT lines — except the deviations in views.known-diff.
 */
class ViewsCompatIT {

  @TempDir Path tmp;

  @Test
  void viewsScriptMatchesPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      CompatScript.assertOnlyKnownDiff(Psql.to(postgres), troupe, "views");
    }
  }
}
