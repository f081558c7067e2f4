package org.troupedb.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/** Errors reported as PostgreSQL reports them (SQLSTATE, message, detail, position). */
class ErrorReportingTest {

  private static StatementResult run(SqlSession s, String sql) throws SqlException {
    StatementResult last = null;
    for (Statement st : s.parse(sql)) {
      last = s.execute(s.prepare(st, List.of()), List.of());
    }
    return last;
  }

  private static List<List<Object>> rows(SqlSession s, String sql) throws SqlException {
    List<List<Object>> out = new ArrayList<>();
    for (Iterator<Object[]> it = run(s, sql).rows(); it.hasNext(); ) {
      out.add(Arrays.asList(it.next()));
    }
    return out;
  }

  private static SqlException error(SqlSession s, String sql) {
    return catchThrowableOfType(() -> run(s, sql), SqlException.class);
  }

  private static SqlSession session(org.troupedb.txn.TxnService kv) throws SqlException {
    return new Engine(kv).openSession(new SessionParams("u", "defaultdb", Map.of()));
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
}
