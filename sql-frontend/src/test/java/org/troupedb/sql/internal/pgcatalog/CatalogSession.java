package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.testkit.InMemoryTxnService;

/** A session as root on defaultdb over an in-memory store, for the catalog tests. */
final class CatalogSession {
  private final SqlSession s;

  CatalogSession() throws SqlException {
    this(TroupeSqlEngine.create(new InMemoryTxnService()));
  }

  CatalogSession(org.troupedb.sql.SqlEngine engine) throws SqlException {
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  StatementResult run(String sql) throws SqlException {
    StatementResult last = null;
    for (Statement st : s.parse(sql)) {
      last = s.execute(s.prepare(st, List.of()), List.of());
    }
    return last;
  }

  List<List<Object>> rows(String sql) throws SqlException {
    StatementResult r = run(sql);
    List<List<Object>> out = new ArrayList<>();
    for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
      out.add(Arrays.asList(it.next()));
    }
    return out;
  }
}
