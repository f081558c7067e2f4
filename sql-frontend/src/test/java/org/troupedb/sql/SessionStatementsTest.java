package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PREPARE / EXECUTE / DEALLOCATE, DECLARE / FETCH / MOVE / CLOSE and COPY (query) TO STDOUT
 * through the {@link SqlSession} API: results, command tags and PostgreSQL's SQLSTATEs (the psql
 * transcript against PostgreSQL 15 is node's {@code compat/sessions.sql}).
 */
class SessionStatementsTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = SessionRunner.newSession();
    run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT)");
    run("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void preparedStatementsRunWithTheirArguments() throws Exception {
    assertThat(run("PREPARE q (int) AS SELECT name FROM t WHERE id = $1").commandTag()).isEqualTo("PREPARE");
    StatementResult r = run("EXECUTE q (3)");
    assertThat(SessionRunner.rows(r)).containsExactly(List.of("c"));
    assertThat(r.commandTag()).isEqualTo("SELECT 1");
    run("PREPARE ins AS INSERT INTO t VALUES ($1, $2)");
    assertThat(run("EXECUTE ins (5, 'e')").commandTag()).isEqualTo("INSERT 0 1");
    assertThat(run("EXECUTE ins ('6', NULL)").commandTag()).isEqualTo("INSERT 0 1");
    assertThat(rows("EXECUTE q (-1)")).isEmpty();
    assertThat(rows("SELECT id, name FROM t WHERE id > 4 ORDER BY id"))
        .containsExactly(List.of(5, "e"), Arrays.asList(6, null));
    run("PREPARE n (numeric, text) AS SELECT $1, $2 || '!'");
    assertThat(rows("EXECUTE n (1.25, 7)")).containsExactly(List.of(new BigDecimal("1.25"), "7!"));
    assertThat(run("DEALLOCATE q").commandTag()).isEqualTo("DEALLOCATE");
    fails("EXECUTE q (1)", "26000", "prepared statement \"q\" does not exist");
    assertThat(run("DEALLOCATE ALL").commandTag()).isEqualTo("DEALLOCATE ALL");
    fails("EXECUTE ins (7, 'x')", "26000", "prepared statement \"ins\" does not exist");
  }

  @Test
  void preparedStatementErrorsAreTheOnesOfPostgres() throws Exception {
    run("PREPARE p (int, int) AS SELECT $1 + $2");
    fails("PREPARE p AS SELECT 1", "42P05", "prepared statement \"p\" already exists");
    fails("EXECUTE p (1)", "42601", "wrong number of parameters for prepared statement \"p\"");
    fails("EXECUTE p ('x', 1)", "22P02", "invalid input syntax for type integer: \"x\"");
    fails("EXECUTE p (true, 1)", "42804", "parameter $1 of type boolean cannot be coerced to the expected type integer");
    fails("EXECUTE p (1 + 1, 1)", "0A000", "EXECUTE arguments other than constants is not supported");
    fails("DEALLOCATE nope", "26000", "prepared statement \"nope\" does not exist");
    fails("PREPARE c AS CREATE TABLE x (a int)", "42601", "syntax error at or near \"CREATE\"");
    fails("PREPARE u AS SELECT * FROM nope", "42P01", "relation \"nope\" does not exist");
    assertThat(rows("EXECUTE p (40, 2)")).containsExactly(List.of(42));
  }

  @Test
  void preparedStatementsOutliveRollbackAndFailTheBlock() throws Exception {
    run("BEGIN");
    run("PREPARE kept AS SELECT count(*) FROM t");
    fails("EXECUTE kept (1)", "42601", "wrong number of parameters for prepared statement \"kept\"");
    fails("EXECUTE kept", "25P02", "current transaction is aborted, commands ignored until end of transaction block");
    run("ROLLBACK");
    assertThat(rows("EXECUTE kept")).containsExactly(List.of(4L));
  }

  @Test
  void cursorsFetchAndMoveAsPostgres() throws Exception {
    fails("DECLARE c CURSOR FOR SELECT id FROM t", "25P01", "DECLARE CURSOR can only be used in transaction blocks");
    run("BEGIN");
    assertThat(run("DECLARE c SCROLL CURSOR FOR SELECT id FROM t ORDER BY id").commandTag()).isEqualTo("DECLARE CURSOR");
    StatementResult r = run("FETCH 2 FROM c");
    assertThat(SessionRunner.rows(r)).containsExactly(List.of(1), List.of(2));
    assertThat(r.commandTag()).isEqualTo("FETCH 2");
    assertThat(rows("FETCH c")).containsExactly(List.of(3));
    assertThat(rows("FETCH PRIOR FROM c")).containsExactly(List.of(2));
    assertThat(rows("FETCH LAST FROM c")).containsExactly(List.of(4));
    assertThat(rows("FETCH NEXT FROM c")).isEmpty();
    assertThat(rows("FETCH BACKWARD 2 FROM c")).containsExactly(List.of(4), List.of(3));
    assertThat(rows("FETCH ABSOLUTE 1 FROM c")).containsExactly(List.of(1));
    assertThat(rows("FETCH RELATIVE 2 FROM c")).containsExactly(List.of(3));
    assertThat(rows("FETCH 0 FROM c")).containsExactly(List.of(3));
    assertThat(run("MOVE FORWARD ALL IN c").commandTag()).isEqualTo("MOVE 1");
    assertThat(rows("FETCH ABSOLUTE -2 FROM c")).containsExactly(List.of(3));
    assertThat(rows("FETCH FORWARD ALL FROM c")).containsExactly(List.of(4));
    assertThat(run("MOVE BACKWARD ALL IN c").commandTag()).isEqualTo("MOVE 4");
    assertThat(rows("FETCH ALL FROM c")).containsExactly(List.of(1), List.of(2), List.of(3), List.of(4));
    fails("DECLARE c CURSOR FOR SELECT 1", "42P03", "cursor \"c\" already exists");
    run("ROLLBACK");
    fails("FETCH c", "34000", "cursor \"c\" does not exist");
    fails("CLOSE c", "34000", "cursor \"c\" does not exist");
  }

  @Test
  void noScrollCursorsOnlyGoForward() throws Exception {
    run("BEGIN");
    run("DECLARE n NO SCROLL CURSOR FOR SELECT id FROM t ORDER BY id");
    assertThat(rows("FETCH 3 FROM n")).hasSize(3);
    assertThat(run("MOVE 0 IN n").commandTag()).isEqualTo("MOVE 1");
    fails("FETCH PRIOR FROM n", "0A000", "cursor can only scan forward");
    run("ROLLBACK");
  }

  @Test
  void aCursorSeesTheRowsOfItsDeclareAndHoldOutlivesCommit() throws Exception {
    run("BEGIN");
    run("DECLARE v CURSOR FOR SELECT name FROM t WHERE id = 1");
    run("DECLARE h CURSOR WITH HOLD FOR SELECT id FROM t ORDER BY id");
    run("UPDATE t SET name = 'changed' WHERE id = 1");
    assertThat(rows("FETCH ALL FROM v")).containsExactly(List.of("a"));
    assertThat(rows("FETCH 1 FROM h")).containsExactly(List.of(1));
    run("COMMIT");
    fails("FETCH v", "34000", "cursor \"v\" does not exist");
    assertThat(rows("FETCH ALL FROM h")).containsExactly(List.of(2), List.of(3), List.of(4));
    assertThat(run("CLOSE h").commandTag()).isEqualTo("CLOSE CURSOR");
    run("BEGIN");
    run("DECLARE gone CURSOR WITH HOLD FOR SELECT 1");
    run("ROLLBACK");
    fails("FETCH gone", "34000", "cursor \"gone\" does not exist");
    // ROLLBACK TO SAVEPOINT and cursors: compat/sessions.sql (the in-memory KV here has no savepoints)
  }

  @Test
  void copyOfAQueryReturnsItsRows() throws Exception {
    StatementResult r = run("COPY (SELECT id, upper(name) AS n FROM t WHERE id < 3 ORDER BY id) TO STDOUT WITH CSV HEADER");
    assertThat(r).isInstanceOf(CopyOut.class);
    CopyOut out = (CopyOut) r;
    assertThat(out.options().csv()).isTrue();
    assertThat(out.columns()).extracting(ColumnInfo::name).containsExactly("id", "n");
    assertThat(SessionRunner.rows(r)).containsExactly(List.of(1, "A"), List.of(2, "B"));
    assertThat(r.commandTag()).isEqualTo("COPY 2");
    fails("COPY (SELECT * FROM nope) TO STDOUT", "42P01", "relation \"nope\" does not exist");
    fails("COPY (DELETE FROM t) TO STDOUT", "0A000", "COPY of DELETE is not supported");
  }
}
