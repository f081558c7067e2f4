package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlSession.TransactionStatus;
import org.troupedb.sql.StatementResult;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Every kind of statement reaches its executor through the parsed AST: command tags, session
 * statements (transactions, SET / SHOW / RESET), DDL routes, and the errors of statements that do
 * not parse or are parsed but not supported.
 */
class StatementRoutingTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void open() throws Exception {
    s = new Engine(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  private String tag(String sql) throws SqlException {
    return run(sql).commandTag();
  }

  private Object show(String name) throws SqlException {
    return rows("SHOW " + name).get(0).get(0);
  }

  private SqlException error(String sql) {
    return catchThrowableOfType(() -> run(sql), SqlException.class);
  }

  @Test
  void commandTagsAreThePostgresOnes() throws Exception {
    assertThat(tag("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)")).isEqualTo("CREATE TABLE");
    assertThat(tag("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE")).isEqualTo("START TRANSACTION");
    assertThat(tag("END")).isEqualTo("COMMIT");
    assertThat(tag("BEGIN WORK")).isEqualTo("BEGIN");
    assertThat(tag("ABORT")).isEqualTo("ROLLBACK");
    assertThat(tag("TRUNCATE t")).isEqualTo("TRUNCATE TABLE");
    assertThat(tag("VACUUM (ANALYZE) t")).isEqualTo("VACUUM");
    assertThat(tag("ANALYZE VERBOSE t")).isEqualTo("ANALYZE");
    assertThat(tag("SET application_name TO 'x'")).isEqualTo("SET");
    assertThat(tag("RESET application_name")).isEqualTo("RESET");
    assertThat(tag("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED")).isEqualTo("SET");
    assertThat(tag("CREATE SEQUENCE public.s AS integer START WITH 5 CACHE 10 NO CYCLE")).isEqualTo("CREATE SEQUENCE");
    assertThat(rows("SELECT nextval('s')")).containsExactly(List.of(5L));
    assertThat(tag("DROP SEQUENCE IF EXISTS s CASCADE")).isEqualTo("DROP SEQUENCE");
    assertThat(s.parse("INSERT INTO t VALUES ($1, $2) RETURNING id").get(0).commandTag()).isEqualTo("INSERT");
    assertThat(s.parse("INSERT INTO t VALUES ($1, $2) RETURNING id").get(0).parameterCount()).isEqualTo(2);
    assertThat(s.parse("-- nothing here\n;").isEmpty()).isTrue();
  }

  @Test
  void statementsThatBeginWithNoStatementWordAreSyntaxErrorsAtThatWord() {
    SqlException e = error("SELECT 1;\n  FROB the table");
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage()).isEqualTo("syntax error at or near \"FROB\"");
    assertThat(e.position()).isEqualTo(13);
    assertThat(error("EXPLAIN VERBOSE 42").getMessage()).isEqualTo("syntax error at or near \"42\"");
    assertThat(error("EXPLAIN").getMessage()).isEqualTo("syntax error at end of input");
    SqlException late = error("CREATE TABLE x (a INT,)");
    assertThat(late.sqlState()).isEqualTo("42601");
    assertThat(late.position()).isEqualTo(23);
    SqlException set = error("SELECT 1; SET = 3");
    assertThat(set.getMessage()).isEqualTo("syntax error at or near \"=\"");
    assertThat(set.position()).isEqualTo(15);
  }

  @Test
  void postgresStatementsTroupeLacksAreFeatureNotSupported() {
    for (String sql : List.of("LISTEN chan", "DISCARD ALL", "LOCK TABLE t")) {
      SqlException e = error(sql);
      assertThat(e.sqlState()).as(sql).isEqualTo("0A000");
      assertThat(e.getMessage()).as(sql).isEqualTo(sql.substring(0, sql.indexOf(' ')) + " is not supported");
    }
  }

  @Test
  void parsedButUnsupportedStatementsNameTheFeature() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
    assertUnsupported("ALTER TABLE t DROP COLUMN v CASCADE", "ALTER TABLE DROP COLUMN … CASCADE");
    assertUnsupported("ALTER TABLE t ALTER COLUMN v TYPE int", "ALTER COLUMN TYPE from text to integer (only widening"
        + " changes are)");
    assertUnsupported("ALTER TABLE t ALTER v TYPE text USING v || 'x'", "ALTER COLUMN TYPE … USING");
    assertUnsupported("CREATE INDEX ON t USING hash (v)", "index access method \"hash\"");
    assertUnsupported("CREATE TABLE u (id INT PRIMARY KEY, doc xml)", "columns of type xml");
    assertUnsupported("CREATE SEQUENCE c CYCLE", "CYCLE sequences");
    assertUnsupported("EXPLAIN CREATE TABLE u (a INT)", "EXPLAIN of CREATE TABLE");
    assertUnsupported("UPDATE t SET v = 'x' RETURNING v || $1", "parameters in RETURNING");
    assertUnsupported("SELECT * FROM t AS OF SYSTEM TIME now()", "AS OF SYSTEM TIME with a non-constant expression");
    SqlException type = error("CREATE TABLE u (id frobnitz)");
    assertThat(type.sqlState()).isEqualTo("42704");
    assertThat(type.getMessage()).isEqualTo("type \"frobnitz\" does not exist");
  }

  private void assertUnsupported(String sql, String feature) {
    SqlException e = error(sql);
    assertThat(e.sqlState()).as(sql).isEqualTo("0A000");
    assertThat(e.getMessage()).as(sql).isEqualTo(feature + " is not supported");
  }

  @Test
  void qualifiedNamesResolveInPublicOfTheSessionDatabase() throws Exception {
    run("CREATE TABLE public.q (id INT PRIMARY KEY)");
    run("CREATE INDEX q_id ON defaultdb.public.q (id)");
    run("TRUNCATE TABLE public.q");
    SqlException schema = error("CREATE TABLE other.q (id INT)");
    assertThat(schema.sqlState()).isEqualTo("3F000");
    assertThat(schema.getMessage()).isEqualTo("schema \"other\" does not exist");
    assertThat(error("DROP TABLE postgres.public.q").sqlState()).isEqualTo("0A000");
    run("DROP TABLE public.q");
    assertThat(error("TRUNCATE q").sqlState()).isEqualTo("42P01");
  }

  @Test
  void defaultsAreStoredAsWrittenIncludingParentheses() throws Exception {
    run("CREATE TABLE d (id INT PRIMARY KEY, n INT DEFAULT (1 + 2) * 3 NOT NULL, s TEXT DEFAULT 'a;b' || 'c',"
        + " m INT DEFAULT -(4))");
    run("ALTER TABLE d ADD COLUMN IF NOT EXISTS n INT");
    run("INSERT INTO d (id) VALUES (1)");
    assertThat(rows("SELECT n, s, m FROM d")).containsExactly(List.of(9, "a;bc", -4));
  }

  @Test
  void transactionBlocksBeginCommitAndRollBackThroughTheAst() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY)");
    run("START TRANSACTION; INSERT INTO t VALUES (1); END");
    run("BEGIN; INSERT INTO t VALUES (2); ABORT");
    assertThat(rows("SELECT id FROM t")).containsExactly(List.of(1));
    assertThat(tag("COMMIT")).isEqualTo("COMMIT"); // no block: PostgreSQL warns and says COMMIT
    run("BEGIN");
    assertThat(error("BEGIN; SELECT 1 / 0").sqlState()).isEqualTo("22012");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.FAILED);
    assertThat(error("BEGIN").sqlState()).isEqualTo("25P02");
    assertThat(tag("END")).isEqualTo("ROLLBACK");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
  }

  @Test
  void savepointsAreRefusedTheWayPostgresWouldWithoutThem() throws Exception {
    SqlException outside = error("SAVEPOINT a");
    assertThat(outside.sqlState()).isEqualTo("25P01");
    assertThat(outside.getMessage()).isEqualTo("SAVEPOINT can only be used in transaction blocks");
    assertThat(error("ROLLBACK TO SAVEPOINT a").sqlState()).isEqualTo("25P01");
    assertThat(error("RELEASE a").sqlState()).isEqualTo("25P01");
    run("BEGIN");
    SqlException inside = error("SAVEPOINT a");
    assertThat(inside.sqlState()).isEqualTo("0A000");
    assertThat(inside.getMessage()).isEqualTo("SAVEPOINT is not supported");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.FAILED);
    SqlException rollbackTo = error("ROLLBACK TO a");
    assertThat(rollbackTo.sqlState()).isEqualTo("3B001");
    assertThat(rollbackTo.getMessage()).isEqualTo("savepoint \"a\" does not exist");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.FAILED);
    assertThat(tag("ROLLBACK")).isEqualTo("ROLLBACK");
  }

  @Test
  void readOnlyTransactionsRefuseWrites() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY)");
    run("BEGIN READ ONLY");
    assertThat(show("transaction_read_only")).isEqualTo("on");
    assertThat(rows("SELECT count(*) FROM t")).containsExactly(List.of(0L));
    SqlException e = error("INSERT INTO t VALUES (1)");
    assertThat(e.sqlState()).isEqualTo("25006");
    assertThat(e.getMessage()).isEqualTo("cannot execute INSERT in a read-only transaction");
    run("ROLLBACK");
    run("BEGIN; SET TRANSACTION READ ONLY");
    assertThat(error("CREATE TABLE u (a INT)").getMessage())
        .isEqualTo("cannot execute CREATE TABLE in a read-only transaction");
    run("ROLLBACK");
    assertThat(show("transaction_read_only")).isEqualTo("off");
    run("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    assertThat(show("default_transaction_read_only")).isEqualTo("on");
    assertThat(error("DELETE FROM t").sqlState()).isEqualTo("25006");
    run("BEGIN READ WRITE; INSERT INTO t VALUES (1); COMMIT");
    run("SET default_transaction_read_only = off");
    run("INSERT INTO t VALUES (2)");
    assertThat(rows("SELECT id FROM t ORDER BY id")).containsExactly(List.of(1), List.of(2));
  }

  @Test
  void blockStatementsThatCannotRunInsideABlock() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY)");
    assertThat(error("VACUUM nope").sqlState()).isEqualTo("42P01");
    run("BEGIN");
    assertThat(tag("ANALYZE t")).isEqualTo("ANALYZE");
    SqlException vacuum = error("VACUUM t");
    assertThat(vacuum.sqlState()).isEqualTo("25001");
    assertThat(vacuum.getMessage()).isEqualTo("VACUUM cannot run inside a transaction block");
    run("ROLLBACK; BEGIN");
    assertThat(error("CREATE DATABASE d2").sqlState()).isEqualTo("25001");
    run("ROLLBACK");
    assertThat(tag("CREATE DATABASE IF NOT EXISTS d2")).isEqualTo("CREATE DATABASE");
    assertThat(tag("DROP DATABASE d2")).isEqualTo("DROP DATABASE");
  }

  @Test
  void setShowAndResetFollowPostgres() throws Exception {
    run("SET application_name TO 'app one'");
    assertThat(show("application_name")).isEqualTo("app one");
    assertThat(s.takeChangedParameters()).containsEntry("application_name", "app one");
    run("SET SESSION extra_float_digits = 3");
    assertThat(show("extra_float_digits")).isEqualTo("3");
    run("SET search_path = public, '$user', \"My Schema\"");
    assertThat(show("search_path")).isEqualTo("public, \"$user\", \"My Schema\"");
    run("SET TIME ZONE 'america/new_york'");
    assertThat(show("TIME ZONE")).isEqualTo("America/New_York");
    run("SET TIME ZONE -5");
    assertThat(show("timezone")).isEqualTo("<-05>+05");
    run("SET TimeZone TO DEFAULT");
    assertThat(show("timezone")).isEqualTo("UTC");
    run("SET datestyle = 'iso, dmy'");
    assertThat(show("DateStyle")).isEqualTo("ISO, DMY");
    run("SET my.custom = 42");
    assertThat(show("my.custom")).isEqualTo("42");
    StatementResult showOne = run("SHOW timezone");
    assertThat(showOne.columns()).extracting(ColumnInfo::name).containsExactly("TimeZone");
    StatementResult all = run("SHOW ALL");
    assertThat(all.columns()).extracting(ColumnInfo::name).containsExactly("name", "setting", "description");
    assertThat(rows("SHOW ALL")).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly("DateStyle", "ISO, DMY"));
    run("RESET datestyle");
    assertThat(show("datestyle")).isEqualTo("ISO, MDY");
    run("RESET ALL");
    assertThat(show("application_name")).isEqualTo("");
    assertThat(show("search_path")).isEqualTo("\"$user\", public");
    assertThat(show("transaction isolation level")).isEqualTo("serializable");
  }

  @Test
  void startupOptionsAreCanonicalLikeSet() throws Exception {
    // pgjdbc sends DateStyle=ISO and the JVM's TimeZone in its startup packet.
    s = new Engine(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb",
        Map.of("DateStyle", "ISO", "TimeZone", "europe/berlin", "application_name", "app")));
    assertThat(show("DateStyle")).isEqualTo("ISO, MDY");
    assertThat(show("TimeZone")).isEqualTo("Europe/Berlin");
    assertThat(show("application_name")).isEqualTo("app");
    run("SET datestyle = dmy");
    assertThat(show("DateStyle")).isEqualTo("ISO, DMY");
  }

  @Test
  void badSetsFailWithPostgresStates() {
    SqlException unknown = error("SET no_such_thing = 1");
    assertThat(unknown.sqlState()).isEqualTo("42704");
    assertThat(unknown.getMessage()).isEqualTo("unrecognized configuration parameter \"no_such_thing\"");
    assertThat(error("SHOW no_such_thing").sqlState()).isEqualTo("42704");
    SqlException zone = error("SET TIME ZONE 'Mars/Olympus'");
    assertThat(zone.sqlState()).isEqualTo("22023");
    assertThat(zone.getMessage()).isEqualTo("invalid value for parameter \"TimeZone\": \"Mars/Olympus\"");
    SqlException fixed = error("SET server_version = '1'");
    assertThat(fixed.sqlState()).isEqualTo("55P02");
    assertThat(error("SET datestyle = 'yesterday'").sqlState()).isEqualTo("22023");
  }

  @Test
  void setIsUndoneByRollbackAndSetLocalLastsUntilTheBlockEnds() throws Exception {
    run("SET application_name = 'before'");
    run("BEGIN; SET application_name = 'inside'; ROLLBACK");
    assertThat(show("application_name")).isEqualTo("before");
    run("BEGIN; SET application_name = 'kept'; SET LOCAL statement_timeout = 5");
    assertThat(show("statement_timeout")).isEqualTo("5ms"); // PostgreSQL prints the unit
    run("COMMIT");
    assertThat(show("application_name")).isEqualTo("kept");
    assertThat(show("statement_timeout")).isEqualTo("0");
    run("SET LOCAL application_name = 'no block'"); // PostgreSQL: a warning, and no effect
    assertThat(show("application_name")).isEqualTo("kept");
  }

  @Test
  void explainPlansTheExplainedStatementAndPositionsItsErrors() throws Exception {
    run("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
    assertThat(run("EXPLAIN SELECT v FROM t WHERE id > 3").columns()).extracting(ColumnInfo::name)
        .containsExactly("QUERY PLAN");
    assertThat(rows("EXPLAIN ANALYZE VERBOSE SELECT v FROM t")).isNotEmpty();
    SqlException e = error("SELECT 1; EXPLAIN SELECT nope FROM t");
    assertThat(e.sqlState()).isEqualTo("42703");
    assertThat(e.position()).isEqualTo(26);
  }
}
