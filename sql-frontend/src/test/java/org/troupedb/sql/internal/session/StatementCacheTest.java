package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.parser.TroupeParser;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * The node's {@link StatementCache}: a text prepared once is neither parsed nor planned again, by
 * this session or another; declared parameter types, DDL and the transaction block's own DDL
 * give another prepared form.
 */
class StatementCacheTest {
  private static final String POINT = "SELECT v FROM t WHERE id = $1";
  private Engine engine;
  private SqlSession a;
  private SqlSession b;

  @BeforeEach
  void setUp() throws SqlException {
    engine = new Engine(new InMemoryTxnService());
    a = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    b = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    SessionRunner.run(a, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
    SessionRunner.run(a, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  }

  /** What a Parse message does: parse the text, prepare its one statement with the declared types. */
  private static Prepared parseMessage(SqlSession s, String sql, PgType... declared) throws SqlException {
    return s.prepare(s.parse(sql).get(0), Arrays.asList(declared));
  }

  private static List<List<Object>> exec(SqlSession s, Prepared p, Object... params) throws SqlException {
    return SessionRunner.rows(s.execute(p, Arrays.asList(params)));
  }

  @Test
  void aTextPreparedOnceIsNotParsedOrPlannedAgainInAnySession() throws SqlException {
    assertThat(exec(a, parseMessage(a, POINT, PgType.INT4), 1)).containsExactly(List.of("one"));
    exec(a, parseMessage(a, "BEGIN"));
    exec(a, parseMessage(a, "COMMIT"));
    long parses = TroupeParser.parses();
    long planned = engine.statementsPlanned.get();
    long plans = engine.planner().plansBuilt();
    for (int id = 1; id <= 3; id++) {
      for (SqlSession s : List.of(a, b)) {
        Prepared p = parseMessage(s, POINT, PgType.INT4);
        assertThat(exec(s, p, id)).hasSize(1);
        assertThat(exec(s, parseMessage(s, "BEGIN"))).isEmpty();
        assertThat(exec(s, parseMessage(s, "COMMIT"))).isEmpty();
      }
    }
    assertThat(exec(b, parseMessage(b, POINT, PgType.INT4), 3)).containsExactly(List.of("three"));
    assertThat(TroupeParser.parses()).as("Calcite parses").isEqualTo(parses);
    assertThat(engine.statementsPlanned.get()).as("plannings").isEqualTo(planned);
    assertThat(engine.planner().plansBuilt()).as("plans built").isEqualTo(plans);
  }

  @Test
  void declaredParameterTypesAreOtherPreparedForms() throws SqlException {
    Prepared int8 = parseMessage(a, POINT, PgType.INT8);
    Prepared int4 = parseMessage(a, POINT, PgType.INT4);
    Prepared inferred = parseMessage(a, POINT);
    assertThat(int8.parameterTypes()).containsExactly(PgType.INT8);
    assertThat(int4.parameterTypes()).containsExactly(PgType.INT4);
    assertThat(inferred.parameterTypes()).containsExactly(PgType.INT4);
    assertThat(parseMessage(b, POINT, PgType.INT8)).isSameAs(int8);
    assertThat(exec(a, int8, 2L)).containsExactly(List.of("two"));
    assertThat(exec(b, parseMessage(b, POINT, PgType.TEXT), "3")).containsExactly(List.of("three"));
    assertThat(parseMessage(a, POINT, PgType.TEXT).parameterTypes()).containsExactly(PgType.TEXT);
  }

  @Test
  void ddlGivesANewPreparedFormWithTheNewColumnsTablesAndIndexes() throws SqlException {
    String all = "SELECT * FROM t WHERE id = $1";
    assertThat(parseMessage(a, all).columns()).hasSize(2);
    SessionRunner.run(a, "ALTER TABLE t ADD COLUMN w INT");
    Prepared widened = parseMessage(b, all);
    assertThat(widened.columns()).hasSize(3);
    assertThat(exec(b, widened, 1)).containsExactly(Arrays.asList(1, "one", null));

    SessionRunner.run(b, "DROP TABLE t");
    SessionRunner.run(b, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    SessionRunner.run(b, "INSERT INTO t VALUES (1, 10), (2, 20)");
    Prepared retyped = parseMessage(a, POINT);
    assertThat(retyped.columns().get(0).type()).isEqualTo(PgType.INT4);
    assertThat(exec(a, retyped, 2)).containsExactly(List.of(20));

    String byValue = "SELECT id FROM t WHERE v = $1";
    assertThat(exec(a, parseMessage(a, byValue), 20)).containsExactly(List.of(2));
    long planned = engine.statementsPlanned.get();
    SessionRunner.run(a, "CREATE INDEX t_v ON t (v)");
    assertThat(exec(b, parseMessage(b, byValue), 20)).containsExactly(List.of(2));
    assertThat(engine.statementsPlanned.get()).as("planned again for the index").isGreaterThan(planned);
    SessionRunner.run(a, "DROP INDEX t_v");
    assertThat(exec(b, parseMessage(b, byValue), 10)).containsExactly(List.of(1));
  }

  @Test
  void insideABlockTheBlocksOwnCatalogDecides() throws SqlException {
    String sql = "SELECT count(*) FROM u";
    SessionRunner.run(a, "BEGIN");
    SessionRunner.run(a, "CREATE TABLE u (id INT PRIMARY KEY)");
    SessionRunner.run(a, "INSERT INTO u VALUES (1)");
    assertThat(exec(a, parseMessage(a, sql))).containsExactly(List.of(1L));
    SessionRunner.run(a, "ROLLBACK");
    assertThatThrownBy(() -> parseMessage(a, sql)).isInstanceOf(SqlException.class)
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("42P01");
    assertThatThrownBy(() -> parseMessage(b, sql)).isInstanceOf(SqlException.class)
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("42P01");
  }

  @Test
  void aFailedBlockStillRefusesQueries() throws SqlException {
    Prepared p = parseMessage(a, POINT);
    assertThat(exec(a, p, 1)).containsExactly(List.of("one"));
    SessionRunner.run(a, "BEGIN");
    assertThatThrownBy(() -> SessionRunner.run(a, "SELECT nosuch FROM t")).isInstanceOf(SqlException.class);
    assertThatThrownBy(() -> parseMessage(a, POINT)).isInstanceOf(SqlException.class)
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("25P02");
    SessionRunner.run(a, "ROLLBACK");
    assertThat(exec(a, parseMessage(a, POINT), 1)).containsExactly(List.of("one"));
  }
}
