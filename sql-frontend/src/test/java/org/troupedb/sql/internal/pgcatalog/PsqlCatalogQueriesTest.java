package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Every catalog query psql 15 sends for {@code \l \dn \dt \d \d table \di \du} (captured with
 * {@code psql -E} from a real PostgreSQL, in src/test/resources/pgcatalog/psql15-queries.sql)
 * plans and runs, and the answers reflect the live catalog.
 */
class PsqlCatalogQueriesTest {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE customers (id SERIAL PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name TEXT,"
        + " created DATE DEFAULT '2020-01-01')");
    run("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, total NUMERIC(10,2) DEFAULT 0,"
        + " note CHAR(5))");
    run("CREATE INDEX orders_customer_idx ON orders (customer_id)");
    run("CREATE TABLE items (order_id BIGINT, line INT, qty SMALLINT NOT NULL DEFAULT 1, price DOUBLE PRECISION,"
        + " PRIMARY KEY (order_id, line))");
  }

  private StatementResult run(String sql) throws SqlException {
    StatementResult last = null;
    for (Statement st : s.parse(sql)) {
      last = s.execute(s.prepare(st, List.of()), List.of());
    }
    return last;
  }

  private List<List<Object>> rows(String sql) throws SqlException {
    StatementResult r = run(sql);
    List<List<Object>> out = new ArrayList<>();
    for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
      out.add(Arrays.asList(it.next()));
    }
    return out;
  }

  @Test
  void everyPsqlQueryRuns() throws Exception {
    Object oid = rows("SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = 'orders'").get(0).get(0);
    String all = Files.readString(Path.of("src/test/resources/pgcatalog/psql15-queries.sql"))
        .replace("{orders}", oid.toString());
    List<String> failures = new ArrayList<>();
    for (String q : all.split(";\n")) {
      if (q.isBlank()) {
        continue;
      }
      try {
        rows(q);
      } catch (SqlException | RuntimeException e) {
        failures.add(e.getMessage() + "\n  in: " + q.strip().replace('\n', ' '));
      }
    }
    assertThat(failures).isEmpty();
  }
}
