package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * The statements psql and pgjdbc send (captured in {@code client-catalog-statements.sql}) plan
 * and run on a fresh engine, and their plans serve every later session, even after DDL. NB: a
 * pgjdbc or psql upgrade that changes what they send fails here first, once the resource is
 * captured again.
 */
class CatalogWarmerTest {

  @Test
  void everyCapturedStatementPlansAndRunsOnAFreshEngine() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    List<CatalogWarmer.ClientStatement> statements = CatalogWarmer.statements();
    assertThat(statements).extracting(CatalogWarmer.ClientStatement::label)
        .anyMatch(l -> l.startsWith("pgjdbc 42.7.10 getColumns"))
        .anyMatch(l -> l.startsWith("pgjdbc 42.7.10 getTypeInfo"))
        .anyMatch(l -> l.startsWith("psql 15.18 \\d t1"))
        .contains("psql 15.18 \\du", "psql 15.18 \\l", "psql 15.18 \\di", "psql 15.18 \\dt", "psql 15.18 \\d");

    CatalogWarmer.Outcome outcome = CatalogWarmer.warm(engine, "defaultdb");

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.warmed()).isEqualTo(statements.size());
  }

  @Test
  void warmedPlansServeLaterSessionsThroughDdl() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    CatalogWarmer.warm(engine, "defaultdb");
    long plans = engine.planner().plansBuilt();
    CatalogSession ddl = new CatalogSession(engine);
    ddl.run("CREATE TABLE later (id INT PRIMARY KEY, v TEXT)");
    long afterDdl = engine.planner().plansBuilt();
    CatalogWarmer.ClientStatement getColumns = statements("pgjdbc 42.7.10 getColumns").get(1);

    List<String> columns = new ArrayList<>();
    try (SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()))) {
      Statement st = s.parse(getColumns.sql()).get(0);
      var prepared = s.prepare(st, Collections.nCopies(3, PgType.VARCHAR));
      for (Iterator<Object[]> it = s.execute(prepared, List.of("public", "later", "%")).rows(); it.hasNext(); ) {
        columns.add((String) it.next()[3]);
      }
    }

    assertThat(columns).containsExactly("id", "v");
    assertThat(afterDdl - plans).as("plans built by the CREATE TABLE").isLessThanOrEqualTo(1);
    assertThat(engine.planner().plansBuilt()).as("plans built by getColumns").isEqualTo(afterDdl);
  }

  @Test
  void startWarmsEveryDatabaseInTheBackground() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    new CatalogSession(engine).run("CREATE DATABASE third");

    List<CatalogWarmer.Outcome> outcomes = CatalogWarmer.start(engine).get(2, TimeUnit.MINUTES);

    assertThat(outcomes).extracting(CatalogWarmer.Outcome::database).containsExactly("defaultdb", "postgres", "third");
    assertThat(outcomes).allSatisfy(o -> assertThat(o.failures()).isEmpty());
  }

  @Test
  void parsesLabelsParametersAndExactText() {
    List<CatalogWarmer.ClientStatement> parsed = CatalogWarmer.parse("""
        # a comment
        -- @ client one
        -- @params public|%
        SELECT 1
          WHERE x = $1;
        -- @ client two
        SELECT 2

        """);

    assertThat(parsed).containsExactly(
        new CatalogWarmer.ClientStatement("client one", "SELECT 1\n  WHERE x = $1;", List.of("public", "%")),
        new CatalogWarmer.ClientStatement("client two", "SELECT 2", List.of()));
  }

  private static List<CatalogWarmer.ClientStatement> statements(String labelPrefix) {
    return CatalogWarmer.statements().stream().filter(s -> s.label().startsWith(labelPrefix)).toList();
  }
}
