package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

class SqlSessionTest implements SessionRunner {
  private SqlEngine engine;
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    engine = TroupeSqlEngine.create(new InMemoryTxnService());
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private void assertState(String sql, String state) {
    assertThatThrownBy(() -> run(sql)).isInstanceOf(SqlException.class)
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).as(e.getMessage()).isEqualTo(state));
  }

  @Test
  void createInsertSelect() throws Exception {
    assertThat(run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, v BIGINT)").commandTag()).isEqualTo("CREATE TABLE");
    assertThat(run("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', NULL)").commandTag())
        .isEqualTo("INSERT 0 3");
    assertThat(rows("SELECT id, name, v FROM t ORDER BY id")).containsExactly(
        List.of(1, "a", 10L), List.of(2, "b", 20L), Arrays.asList(3, "c", null));
    assertThat(rows("SELECT name FROM t WHERE id = 2")).containsExactly(List.of("b"));
    assertThat(rows("SELECT name FROM t WHERE id = $1", 3)).containsExactly(List.of("c"));
    StatementResult r = run("SELECT count(*) AS n FROM t");
    assertThat(r.columns().get(0).type()).isEqualTo(PgType.INT8);
    assertThat(r.rows().next()[0]).isEqualTo(3L);
  }

  @Test
  void updateAndDelete() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    run("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
    assertThat(run("UPDATE t SET v = v + 1 WHERE id >= 2").commandTag()).isEqualTo("UPDATE 2");
    assertThat(rows("SELECT v FROM t ORDER BY id")).containsExactly(List.of(10), List.of(21), List.of(31));
    assertThat(run("DELETE FROM t WHERE id = 1").commandTag()).isEqualTo("DELETE 1");
    assertThat(rows("SELECT id FROM t ORDER BY id")).containsExactly(List.of(2), List.of(3));
    assertThat(run("UPDATE t SET id = id + 10").commandTag()).isEqualTo("UPDATE 2");
    assertThat(rows("SELECT id FROM t ORDER BY id")).containsExactly(List.of(12), List.of(13));
  }

  @Test
  void errorsCarrySqlStates() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(3) NOT NULL, s SMALLINT)");
    run("INSERT INTO t VALUES (1, 'a', 1)");
    assertThatThrownBy(() -> run("INSERT INTO t VALUES (1, 'b', 1)"))
        .isInstanceOfSatisfying(SqlException.class, e -> {
          assertThat(e.sqlState()).isEqualTo("23505");
          assertThat(e.getMessage()).isEqualTo("duplicate key value violates unique constraint \"t_pkey\"");
          assertThat(e.detail()).isEqualTo("Key (id)=(1) already exists.");
        });
    assertState("INSERT INTO t (id) VALUES (2)", "23502");
    assertState("INSERT INTO t VALUES (3, 'x', 70000)", "22003");
    assertState("INSERT INTO t VALUES ('zz', 'x', 1)", "22P02");
    assertState("INSERT INTO t VALUES (4, 'toolong', 1)", "22001");
    assertState("SELECT * FROM nope", "42P01");
    assertState("SELECT nope FROM t", "42703");
    assertState("SELEC 1", "42601");
    assertThatThrownBy(() -> run("SELECT * FROM t WHERE"))
        .hasMessage("syntax error at end of input");
    assertThatThrownBy(() -> run("SELECT * FROM t WHERE id = = 1"))
        .hasMessage("syntax error at or near \"=\"");
    assertState("SELECT 1 / 0", "22012");
    assertState("SELECT 1 / 0", "22012");
    assertState("SELECT id / (id - 1) FROM t", "22012");
    assertState("UPDATE t SET nope = 1", "42703");
    assertState("INSERT INTO t (id, name, s, id) VALUES (9, 'a', 1, 9)", "42701"); // DUPLICATE_COLUMN, as PostgreSQL
    assertState("CREATE TABLE t (id INT)", "42P07");
    assertState("ALTER TABLE t ADD COLUMN x SERIAL", "0A000");
    assertState("ALTER TABLE t DROP COLUMN s CASCADE", "0A000");
    assertState("ALTER TABLE t ADD PRIMARY KEY (name)", "42P16");
    assertState("LISTEN chan", "0A000");
    assertThat(run("VACUUM ANALYZE t").commandTag()).isEqualTo("VACUUM");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(1L));
  }

  @Test
  void transactionBlocks() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY)");
    run("BEGIN");
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.IN_TRANSACTION);
    run("INSERT INTO t VALUES (1)");
    assertThat(rows("SELECT id FROM t")).containsExactly(List.of(1));
    run("ROLLBACK");
    assertThat(rows("SELECT id FROM t")).isEmpty();
    run("BEGIN");
    run("INSERT INTO t VALUES (2)");
    assertState("INSERT INTO t VALUES (2)", "23505");
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.FAILED);
    assertState("SELECT 1", "25P02");
    assertThat(run("COMMIT").commandTag()).isEqualTo("ROLLBACK");
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.IDLE);
    assertThat(rows("SELECT id FROM t")).isEmpty();
    run("START TRANSACTION; INSERT INTO t VALUES (3); COMMIT");
    assertThat(rows("SELECT id FROM t")).containsExactly(List.of(3));
  }

  @Test
  void tableWithoutPrimaryKeyGetsHiddenRowid() throws Exception {
    run("CREATE TABLE n (a INT, b TEXT) WITH (fillfactor=100)");
    run("INSERT INTO n VALUES (1, 'x'), (1, 'x'), (2, NULL)");
    StatementResult r = run("SELECT * FROM n");
    assertThat(r.columns()).extracting(ColumnInfo::name).containsExactly("a", "b");
    assertThat(rows("SELECT a, b FROM n ORDER BY a")).hasSize(3);
    assertThat(run("DELETE FROM n WHERE a = 1").commandTag()).isEqualTo("DELETE 2");
    assertThat(rows("SELECT a FROM n")).containsExactly(List.of(2));
    run("INSERT INTO n VALUES (3, 'y')");
    run("ALTER TABLE n ADD PRIMARY KEY (a)");
    assertThat(rows("SELECT a, b FROM n ORDER BY a")).containsExactly(Arrays.asList(2, null), List.of(3, "y"));
    assertState("INSERT INTO n VALUES (3, 'z')", "23505");
    run("ALTER TABLE n ADD COLUMN c BIGINT");
    run("INSERT INTO n VALUES (4, 'w', 40)");
    assertThat(rows("SELECT a, c FROM n ORDER BY a")).containsExactly(Arrays.asList(2, null), Arrays.asList(3, null),
        List.of(4, 40L));
  }

  @Test
  void serialAndDefaults() throws Exception {
    run("CREATE TABLE s (id SERIAL PRIMARY KEY, name TEXT DEFAULT 'anon', n INT DEFAULT 7)");
    run("INSERT INTO s (name) VALUES ('a')");
    run("INSERT INTO s (n) VALUES (1)");
    run("INSERT INTO s VALUES (DEFAULT, DEFAULT, DEFAULT)");
    run("INSERT INTO s DEFAULT VALUES");
    assertThat(rows("SELECT id, name, n FROM s ORDER BY id")).containsExactly(
        List.of(1, "a", 7), List.of(2, "anon", 1), List.of(3, "anon", 7), List.of(4, "anon", 7));
  }

  @Test
  void uniqueIndex() throws Exception {
    run("CREATE TABLE u (id INT PRIMARY KEY, email TEXT UNIQUE)");
    run("INSERT INTO u VALUES (1, 'a@x'), (2, NULL), (3, NULL)");
    assertThatThrownBy(() -> run("INSERT INTO u VALUES (4, 'a@x')"))
        .isInstanceOfSatisfying(SqlException.class, e -> {
          assertThat(e.sqlState()).isEqualTo("23505");
          assertThat(e.getMessage()).contains("u_email_key");
          assertThat(e.detail()).isEqualTo("Key (email)=(a@x) already exists.");
        });
    run("UPDATE u SET email = 'b@x' WHERE id = 1");
    run("INSERT INTO u VALUES (4, 'a@x')");
    run("CREATE INDEX u_e ON u (email)");
    assertThat(rows("SELECT id FROM u WHERE email = 'a@x'")).containsExactly(List.of(4));
  }
}
