package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.troupedb.sql.SessionRunner.rows;
import static org.troupedb.sql.SessionRunner.run;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.internal.BufferingTxnService;

/** Errors reported as PostgreSQL reports them (SQLSTATE, message, detail, position). */
class ErrorReportingTest {

  private static SqlException error(SqlSession s, String sql) {
    return catchThrowableOfType(() -> run(s, sql), SqlException.class);
  }

  private static SqlSession session(org.troupedb.txn.TxnService kv) throws SqlException {
    return new Engine(kv).openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  @Test
  void duplicateKeyFoundAtImplicitCommitNamesTheConstraint() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    run(s, "CREATE TABLE products (sku TEXT PRIMARY KEY, title TEXT)");
    run(s, "CREATE TABLE customers (id INT PRIMARY KEY, email TEXT UNIQUE)");
    run(s, "INSERT INTO products VALUES ('A1', 'one')");
    run(s, "INSERT INTO customers VALUES (1, 'ann@example.com')");

    SqlException pk = error(s, "INSERT INTO products VALUES ('A1', 'again')");
    assertThat(pk.sqlState()).isEqualTo("23505");
    assertThat(pk.getMessage()).isEqualTo("duplicate key value violates unique constraint \"products_pkey\"");
    assertThat(pk.detail()).isEqualTo("Key (sku)=(A1) already exists.");

    SqlException uq = error(s, "INSERT INTO customers VALUES (2, 'ann@example.com')");
    assertThat(uq.sqlState()).isEqualTo("23505");
    assertThat(uq.getMessage()).isEqualTo("duplicate key value violates unique constraint \"customers_email_key\"");
    assertThat(uq.detail()).isEqualTo("Key (email)=(ann@example.com) already exists.");

    assertThat(rows(s, "SELECT count(*) FROM customers")).containsExactly(List.of(1L));
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.IDLE);
  }

  @Test
  void uniqueIndexBackfillFoundAtImplicitCommitNamesTheIndex() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    run(s, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
    run(s, "INSERT INTO t VALUES (1, 'x'), (2, 'x')");
    SqlException e = error(s, "CREATE UNIQUE INDEX t_v ON t (v)");
    assertThat(e.sqlState()).isEqualTo("23505");
    assertThat(e.getMessage()).isEqualTo("could not create unique index \"t_v\"");
    assertThat(e.detail()).isEqualTo("Key (v)=(x) is duplicated.");
  }

  @Test
  void duplicateKeyInsideABlockFailsTheBlock() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    run(s, "CREATE TABLE products (sku TEXT PRIMARY KEY)");
    run(s, "INSERT INTO products VALUES ('A1')");
    run(s, "BEGIN");
    SqlException e = error(s, "INSERT INTO products VALUES ('A1')");
    assertThat(e.sqlState()).isEqualTo("23505");
    assertThat(e.detail()).isEqualTo("Key (sku)=(A1) already exists.");
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.FAILED);
    run(s, "ROLLBACK");
  }

  @Test
  void unknownTablesAndColumnsArePositionedAtTheirName() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    run(s, "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT)");
    SqlException table = error(s, "SELECT * FROM no_such_table;");
    assertThat(table.sqlState()).isEqualTo("42P01");
    assertThat(table.position()).isEqualTo(15);
    SqlException column = error(s, "SELECT no_such_column FROM customers");
    assertThat(column.sqlState()).isEqualTo("42703");
    assertThat(column.position()).isEqualTo(8);
    assertThat(error(s, "SELECT id,\n  nope\nFROM customers").position()).isEqualTo(14);
    assertThat(error(s, "SELECT * FROM customers WHERE nope = 1").position()).isEqualTo(31);
    assertThat(error(s, "INSERT INTO nope VALUES (1)").position()).isEqualTo(13);
    SqlException target = error(s, "INSERT INTO customers (id, nope) VALUES (1, 2)");
    assertThat(target.sqlState()).isEqualTo("42703");
    assertThat(target.getMessage()).isEqualTo("column \"nope\" of relation \"customers\" does not exist");
    assertThat(target.position()).isEqualTo(28);
    SqlException twice = error(s, "INSERT INTO customers (id, id) VALUES (1, 2)");
    assertThat(twice.sqlState()).isEqualTo("42701");
    assertThat(twice.position()).isEqualTo(28);
    assertThat(error(s, "UPDATE customers SET nope = 1").position()).isEqualTo(22);
    // positions count from the start of the whole query string, past earlier statements
    SqlException second = error(s, "SELECT 1;  SELECT * FROM nope");
    assertThat(second.sqlState()).isEqualTo("42P01");
    assertThat(second.position()).isEqualTo(26);
  }

  @Test
  void syntaxErrorsQuoteTheTokenAsWrittenAndPointAtIt() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    SqlException e = error(s, "SELEC 1;");
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage()).isEqualTo("syntax error at or near \"SELEC\"");
    assertThat(e.position()).isEqualTo(1);
    SqlException calcite = error(s, "SELECT 1 Two Three");
    assertThat(calcite.getMessage()).isEqualTo("syntax error at or near \"Three\"");
    assertThat(calcite.position()).isEqualTo(14);
    SqlException end = error(s, "SELECT * FROM t WHERE");
    assertThat(end.getMessage()).isEqualTo("syntax error at end of input");
    assertThat(end.position()).isEqualTo(22);
    assertThat(error(s, "SELECT 1; EXPLAIN SELEC 1").position()).isEqualTo(19);
  }

  @Test
  void badTextInALiteralCastIs22P02AtTheLiteral() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    SqlException e = error(s, "SELECT 'abc'::INTEGER;");
    assertThat(e.sqlState()).isEqualTo("22P02");
    assertThat(e.getMessage()).isEqualTo("invalid input syntax for type integer: \"abc\"");
    assertThat(e.position()).isEqualTo(8);
    assertThat(error(s, "SELECT 1 + CAST('x' AS BIGINT)").getMessage())
        .isEqualTo("invalid input syntax for type bigint: \"x\"");
    assertThat(error(s, "SELECT 'maybe'::boolean").getMessage())
        .isEqualTo("invalid input syntax for type boolean: \"maybe\"");
    assertThat(error(s, "SELECT '1.5x'::numeric(5,2)").getMessage())
        .isEqualTo("invalid input syntax for type numeric: \"1.5x\"");
    assertThat(rows(s, "SELECT '42'::INTEGER, 'true'::BOOLEAN")).containsExactly(List.of(42, true));
  }

  @Test
  void notNullViolationShowsTheFailingRow() throws Exception {
    SqlSession s = session(new BufferingTxnService());
    run(s, "CREATE TABLE products (sku TEXT PRIMARY KEY, title TEXT NOT NULL, price NUMERIC(10,2),"
        + " stock INT NOT NULL DEFAULT 0, active BOOLEAN)");
    SqlException e = error(s, "INSERT INTO products (sku, title, price, active) VALUES ('G7', NULL, 1.00, true)");
    assertThat(e.sqlState()).isEqualTo("23502");
    assertThat(e.getMessage())
        .isEqualTo("null value in column \"title\" of relation \"products\" violates not-null constraint");
    assertThat(e.detail()).isEqualTo("Failing row contains (G7, null, 1.00, 0, t).");
  }
}
