package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Simple queries through {@link SqlSession#parseSimple}: the same rows, errors and command tags as
 * through {@link SqlSession#parse}, and a shape planned once per session.
 */
class SimpleLiteralsSessionTest {
  private Engine engine;
  private SqlSession s;

  @BeforeEach
  void setUp() throws SqlException {
    engine = new Engine(new InMemoryTxnService());
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    SessionRunner.run(s, "CREATE TABLE t (id INT PRIMARY KEY, si SMALLINT, big BIGINT, txt TEXT, num NUMERIC(4,1),"
        + " dbl DOUBLE PRECISION)");
    SessionRunner.run(s, "INSERT INTO t VALUES (1, 10, 100, '1', 1.0, 1.5), (2, 20, 3000000000, '2', 2.0, 2.0),"
        + " (3, 30, 300, '3', 999.9, 3.0)");
  }

  /** Rows, or the SQLSTATE, of running {@code sql} as a simple query (simple) or plainly. */
  private String outcome(String sql, boolean simple) {
    try {
      List<Statement> parsed = simple ? s.parseSimple(sql) : s.parse(sql);
      StatementResult r = s.execute(s.prepare(parsed.get(0), List.of()), List.of());
      List<String> rows = new ArrayList<>();
      for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
        rows.add(Arrays.toString(it.next()));
      }
      return r.commandTag() + " " + rows;
    } catch (SqlException e) {
      return "error " + e.sqlState();
    }
  }

  @Test
  void sameOutcomeAsThePlainPath() {
    for (String sql : new String[] {
        "SELECT id, big FROM t WHERE id = 2", "SELECT id FROM t WHERE id >= 2 ORDER BY id",
        "SELECT id FROM t WHERE si = 40000", "SELECT id FROM t WHERE si = 20", "SELECT id FROM t WHERE big = 3000000000",
        "SELECT id FROM t WHERE id = 3000000000", "SELECT id FROM t WHERE num = 2", "SELECT id FROM t WHERE num = 99999",
        "SELECT id FROM t WHERE dbl = 2", "SELECT id FROM t WHERE txt = 1", "SELECT nosuch FROM t WHERE id = 1",
        "SELECT id FROM nosuch WHERE id = 1", "SELECT id FROM t WHERE id = 1 FOR UPDATE",
        "UPDATE t SET si = 11 WHERE id = 1", "SELECT si FROM t WHERE id = 1", "UPDATE t SET si = 99999 WHERE id = 1",
        "DELETE FROM t WHERE id = 42", "SELECT count(*) FROM t WHERE id <> 1", "SELECT id FROM t WHERE id = -1",
        "SELECT id FROM t WHERE id > -1 ORDER BY id", "UPDATE t SET big = big + -5 WHERE id = 2", "SELECT big FROM t WHERE id = 2",
        "UPDATE t SET si = si + 32767 WHERE id = 1", "SELECT si + 32767 FROM t WHERE id = 1", "SELECT id + 2147483647 FROM t",
        "SELECT big - -3000000000 FROM t WHERE id = 2", "UPDATE t SET num = num + 1 WHERE id = 3", "SELECT txt + 1 FROM t",
        "SELECT dbl - 2 FROM t ORDER BY id", "UPDATE t SET dbl = dbl - -1 WHERE id = 1", "SELECT dbl FROM t WHERE id = 1"}) {
      String plain = outcome(sql, false);
      // run twice: the updates write the same values again, the delete matches nothing
      assertThat(outcome(sql, true)).as(sql).isEqualTo(plain);
    }
  }

  @Test
  void aShapeIsPlannedOncePerSessionAndAgainAfterDdl() throws SqlException {
    assertThat(outcome("SELECT big FROM t WHERE id = 1", true)).isEqualTo("SELECT 1 [[100]]");
    long planned = engine.statementsPlanned.get();
    for (int id = 1; id <= 3; id++) {
      assertThat(outcome("SELECT big FROM t WHERE id = " + id, true)).startsWith("SELECT 1 [[");
    }
    assertThat(outcome("SELECT big FROM t WHERE id = 7", true)).isEqualTo("SELECT 0 []");
    assertThat(engine.statementsPlanned.get()).as("no parse, no plan").isEqualTo(planned);

    SessionRunner.run(s, "DROP TABLE t");
    SessionRunner.run(s, "CREATE TABLE t (id INT PRIMARY KEY, big TEXT)");
    SessionRunner.run(s, "INSERT INTO t VALUES (1, 'one')");
    assertThat(outcome("SELECT big FROM t WHERE id = 1", true)).isEqualTo("SELECT 1 [[one]]");
    assertThat(outcome("SELECT big FROM t WHERE big = 1", true)).isEqualTo(outcome("SELECT big FROM t WHERE big = 1", false));
  }

  @Test
  void theShapeIsParsedOnceToo() throws SqlException {
    assertThat(outcome("SELECT big FROM t WHERE id = 1;", true)).isEqualTo("SELECT 1 [[100]]");
    Object first = ((Session.LiteralStmt) s.parseSimple("SELECT big FROM t WHERE id = 2;").get(0)).shape();
    for (int id = 1; id <= 3; id++) {
      String sql = "SELECT big FROM t WHERE id = " + id + ";";
      assertThat(((Session.LiteralStmt) s.parseSimple(sql).get(0)).shape()).as("the parsed shape, reused")
          .isSameAs(first);
      assertThat(outcome(sql, true)).startsWith("SELECT 1 [[");
    }
  }

  @Test
  void insideATransactionBlockOnlyTheTextsOwnErrorAbortsIt() throws SqlException {
    SessionRunner.run(s, "BEGIN");
    assertThat(outcome("SELECT id FROM t WHERE id = 1", true)).isEqualTo("SELECT 1 [[1]]");
    Object shape = ((Session.LiteralStmt) s.parseSimple("SELECT id FROM t WHERE id = 2").get(0)).shape();
    assertThat(outcome("SELECT id FROM t WHERE id = 2", true)).isEqualTo("SELECT 1 [[2]]");
    assertThat(((Session.LiteralStmt) s.parseSimple("SELECT id FROM t WHERE id = 3").get(0)).shape()).isSameAs(shape);
    // a value outside the parameter's type: its own text runs, and the block goes on
    assertThat(outcome("SELECT id FROM t WHERE si = 40000", true)).isEqualTo("SELECT 0 []");
    assertThat(outcome("SELECT id FROM t WHERE si = 10", true)).isEqualTo("SELECT 1 [[1]]");
    assertThat(outcome("SELECT nosuch FROM t WHERE id = 1", true)).isEqualTo("error 42703");
    assertThat(outcome("SELECT id FROM t WHERE id = 1", true)).isEqualTo("error 25P02");
    SessionRunner.run(s, "ROLLBACK");
    assertThat(outcome("SELECT id FROM t WHERE id = 1", true)).isEqualTo("SELECT 1 [[1]]");
  }

  @Test
  void anInsertsValuesKeepTheirMeaning() throws SqlException {
    long planned = engine.statementsPlanned.get();
    assertThat(outcome("INSERT INTO t (id, si, big, dbl) VALUES (10, -5, -500, 7)", true)).isEqualTo("INSERT 0 1 []");
    assertThat(outcome("INSERT INTO t (id, si, big, dbl) VALUES (11, 6, 600, -8), (12, 7, 700, 9)", true))
        .isEqualTo("INSERT 0 2 []");
    assertThat(outcome("INSERT INTO t (id, si, big, dbl) VALUES (13, 8, 800, 10)", true)).isEqualTo("INSERT 0 1 []");
    assertThat(engine.statementsPlanned.get() - planned).as("one plan per shape").isEqualTo(2);
    assertThat(outcome("INSERT INTO t (id, si) VALUES (14, 40000)", true))
        .isEqualTo(outcome("INSERT INTO t (id, si) VALUES (14, 40000)", false));
    assertThat(outcome("INSERT INTO t (id, txt, num) VALUES (15, 15, 15)", true)).isEqualTo("INSERT 0 1 []");
    assertThat(outcome("INSERT INTO t (id, si) VALUES (10, 1)", true)).isEqualTo("error 23505");
    assertThat(outcome("SELECT id, si, big, txt, num, dbl FROM t WHERE id >= 10 ORDER BY id", false)).isEqualTo(
        "SELECT 5 [[10, -5, -500, null, null, 7.0], [11, 6, 600, null, null, -8.0], [12, 7, 700, null, null, 9.0],"
        + " [13, 8, 800, null, null, 10.0], [15, null, null, 15, 15.0, null]]");
  }
}
