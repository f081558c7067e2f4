package org.troupedb.sql.internal.pgcatalog;

import java.util.Map;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.testkit.InMemoryTxnService;

/** A session as root on defaultdb over an in-memory store, for the catalog tests. */
final class CatalogSession implements SessionRunner {
  private final SqlSession s;

  CatalogSession() throws SqlException {
    this(TroupeSqlEngine.create(new InMemoryTxnService()));
  }

  CatalogSession(org.troupedb.sql.SqlEngine engine) throws SqlException {
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }
}
