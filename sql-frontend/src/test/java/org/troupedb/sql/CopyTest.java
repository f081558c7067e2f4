package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** COPY through the {@link SqlSession} API: options, typing, defaults, batching, atomicity. */
class CopyTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService())
        .openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL DEFAULT 'dflt', n NUMERIC(6,2), "
        + "ts TIMESTAMP, b BYTEA)");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private CopyIn copyIn(String sql) throws SqlException {
    return (CopyIn) run(sql);
  }

  private static String[] row(String... fields) {
    return fields;
  }

  private static void assertFails(ThrowingRunnable r, String state, String message, String context) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).as(e.getMessage()).isEqualTo(state);
      assertThat(e.getMessage()).isEqualTo(message);
      assertThat(e.context()).isEqualTo(context);
    });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void loadsTypedRowsWithDefaultsAndReportsCount() throws Exception {
    CopyIn in = copyIn("COPY t (id, n, ts, b) FROM STDIN");
    assertThat(in.options()).isEqualTo(CopyOptions.defaults(CopyOptions.Format.TEXT));
    assertThat(in.columns()).extracting(ColumnInfo::name).containsExactly("id", "n", "ts", "b");
    in.write(List.<String[]>of(row("1", "1.5", "2024-01-02 03:04:05", "\\x0102"), row("2", null, null, null)), 1);
    in.finish();
    assertThat(in.commandTag()).isEqualTo("COPY 2");
    assertThat(rows("SELECT id, name, n, b IS NULL FROM t ORDER BY id")).containsExactly(
        List.of(1, "dflt", new BigDecimal("1.50"), false), Arrays.asList(2, "dflt", null, true));
    assertThat((byte[]) rows("SELECT b FROM t WHERE id = 1").get(0).get(0)).containsExactly(1, 2);
  }

  @Test
  void manyRowsGoOutInSeveralBatches() throws Exception {
    CopyIn in = copyIn("COPY t (id, name) FROM STDIN");
    List<String[]> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch.add(row(Integer.toString(i), "n" + i % 1000));
    }
    in.write(batch, 1);
    in.finish();
    assertThat(in.commandTag()).isEqualTo("COPY 10000");
    assertThat(rows("SELECT count(*), sum(id) FROM t")).containsExactly(List.of(10_000L, 49_995_000L));
  }

  @Test
  void badValueNamesLineAndColumnAndLeavesNoRows() throws Exception {
    CopyIn in = copyIn("COPY t (id, name) FROM STDIN");
    in.write(List.<String[]>of(row("1", "a")), 1);
    assertFails(() -> in.write(List.<String[]>of(row("2", "b"), row("x3", "c")), 2), SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type integer: \"x3\"", "COPY t, line 3, column id: \"x3\"");
    assertFails(() -> in.write(List.<String[]>of(row("4", "d")), 4), SqlState.INTERNAL_ERROR, "COPY already aborted", null);
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));
  }

  @Test
  void tooLongAndNotNullViolations() throws Exception {
    assertFails(() -> copyIn("COPY t (id, name) FROM STDIN").write(List.<String[]>of(row("1", "toolong")), 7),
        SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type character varying(5)",
        "COPY t, line 7, column name: \"toolong\"");
    assertFails(() -> copyIn("COPY t (id, name) FROM STDIN").write(List.<String[]>of(row("1", null)), 1),
        SqlState.NOT_NULL_VIOLATION,
        "null value in column \"name\" of relation \"t\" violates not-null constraint", "COPY t, line 1");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));
  }

  @Test
  void duplicateKeyNamesItsLineAndUndoesEverything() throws Exception {
    run("INSERT INTO t (id, name) VALUES (5, 'x')");
    CopyIn in = copyIn("COPY t (id, name) FROM STDIN");
    List<String[]> batch = new ArrayList<>();
    for (int i = 100; i < 5000; i++) {
      batch.add(row(Integer.toString(i), "r"));
    }
    batch.add(row("5", "dup"));
    in.write(batch, 10);
    assertFails(in::finish, SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"t_pkey\"",
        "COPY t, line 4910");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(1L));
  }

  @Test
  void abortLeavesNoRows() throws Exception {
    CopyIn in = copyIn("COPY t (id, name) FROM STDIN");
    in.write(List.<String[]>of(row("1", "a"), row("2", "b")), 1);
    in.abort();
    in.abort();
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));
  }

  @Test
  void insideABlockItWritesIntoTheBlockAndAFailureFailsIt() throws Exception {
    run("BEGIN");
    CopyIn in = copyIn("COPY t (id, name) FROM STDIN");
    in.write(List.<String[]>of(row("1", "a")), 1);
    in.finish();
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(1L));
    run("ROLLBACK");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));

    run("BEGIN");
    run("INSERT INTO t (id, name) VALUES (9, 'x')");
    CopyIn bad = copyIn("COPY t (id, name) FROM STDIN");
    assertThatThrownBy(() -> bad.write(List.<String[]>of(row("oops", "a")), 1)).isInstanceOf(SqlException.class);
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.FAILED);
    assertThatThrownBy(() -> run("SELECT 1")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo(SqlState.IN_FAILED_SQL_TRANSACTION));
    run("ROLLBACK");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));
  }

  @Test
  void copyOutYieldsTheTableRows() throws Exception {
    run("INSERT INTO t (id, name, n) VALUES (2, 'b', 2.5), (1, 'a', NULL)");
    StatementResult r = run("COPY t (name, n, id) TO STDOUT WITH (FORMAT csv, HEADER true)");
    assertThat(r).isInstanceOf(CopyOut.class);
    assertThat(((CopyOut) r).options().csv()).isTrue();
    assertThat(((CopyOut) r).options().header()).isTrue();
    List<List<Object>> out = new ArrayList<>();
    r.rows().forEachRemaining(x -> out.add(Arrays.asList(x)));
    assertThat(out).containsExactly(Arrays.asList("a", null, 1), List.of("b", new BigDecimal("2.50"), 2));
    assertThat(r.commandTag()).isEqualTo("COPY 2");
  }

  @Test
  void optionsFollowPostgres() throws Exception {
    CopyOptions legacy = ((CopyIn) run("COPY t FROM STDIN WITH CSV HEADER DELIMITER ';' NULL 'NA'")).options();
    assertThat(legacy).isEqualTo(new CopyOptions(CopyOptions.Format.CSV, ';', "NA", true, '"', '"'));
    CopyOptions modern = ((CopyIn) run(
        "COPY t FROM STDIN (FORMAT csv, QUOTE '''', ESCAPE '\\', FREEZE ON, ENCODING 'UTF8')")).options();
    assertThat(modern).isEqualTo(new CopyOptions(CopyOptions.Format.CSV, ',', "", false, '\'', '\\'));
  }

  @Test
  void badOptionsAndNamesFail() {
    assertFails(() -> run("COPY t FROM STDIN (FORMAT xml)"), SqlState.INVALID_PARAMETER_VALUE,
        "COPY format \"xml\" not recognized", null);
    assertFails(() -> run("COPY t FROM STDIN (DELIMITER ';;')"), SqlState.INVALID_PARAMETER_VALUE,
        "COPY delimiter must be a single one-byte character", null);
    assertFails(() -> run("COPY t FROM STDIN (QUOTE '\"')"), SqlState.FEATURE_NOT_SUPPORTED,
        "COPY quote available only in CSV mode", null);
    assertFails(() -> run("COPY t FROM STDIN (FORMAT csv, DELIMITER '\"')"), SqlState.INVALID_PARAMETER_VALUE,
        "COPY delimiter and quote must be different", null);
    assertFails(() -> run("COPY t FROM STDIN (bogus 1)"), SqlState.SYNTAX_ERROR, "option \"bogus\" not recognized",
        null);
    assertFails(() -> run("COPY t FROM STDIN (HEADER true, HEADER false)"), SqlState.SYNTAX_ERROR,
        "conflicting or redundant options", null);
    assertFails(() -> run("COPY nosuch FROM STDIN"), SqlState.UNDEFINED_TABLE, "relation \"nosuch\" does not exist",
        null);
    assertFails(() -> run("COPY t (id, nope) FROM STDIN"), SqlState.UNDEFINED_COLUMN,
        "column \"nope\" of relation \"t\" does not exist", null);
    assertFails(() -> run("COPY t (id, id) FROM STDIN"), SqlState.DUPLICATE_COLUMN,
        "column \"id\" specified more than once", null);
  }
}
