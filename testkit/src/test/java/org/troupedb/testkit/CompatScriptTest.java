package org.troupedb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs node's compatibility script against real PostgreSQL: it must fail exactly where it means to
 * (the "Errors" section) and nowhere else, so the script itself is known-good before TroupeDB's
 * output is diffed against PostgreSQL's.
 */
class CompatScriptTest {

  static final Path BASIC = Path.of("../node/src/test/resources/compat/basic.sql");

  @Test
  void basicSqlFailsOnlyWhereIntendedOnPostgres() throws Exception {
    assertThat(BASIC).exists();
    String sql = Files.readString(BASIC);
    int errorsAt = lineOf(sql, "SELECT * FROM no_such_table;");
    try (LocalPostgres pg = LocalPostgres.start()) {
      Psql.Result r = Psql.to(pg).withTimeout(java.time.Duration.ofSeconds(120)).runScript(BASIC);
      // Kept for humans (and for diffing by hand against a TroupeDB run).
      Path out = Files.createDirectories(Path.of("target/compat"));
      Files.writeString(out.resolve("basic.postgres.stdout"), r.stdout());
      Files.writeString(out.resolve("basic.postgres.stderr"), r.stderr());
      Psql.Result transcript = Psql.to(pg).withMergedOutput().runScript(BASIC);
      Files.writeString(out.resolve("basic.postgres.transcript"), transcript.stdout());
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.errorLines()).as(r.stderr()).containsExactly(
          "psql:basic.sql:" + errorsAt + ": ERROR:  relation \"no_such_table\" does not exist",
          "psql:basic.sql:" + (errorsAt + 1)
              + ": ERROR:  column \"no_such_column\" does not exist",
          "psql:basic.sql:" + (errorsAt + 2)
              + ": ERROR:  duplicate key value violates unique constraint \"products_pkey\"",
          "psql:basic.sql:" + (errorsAt + 3)
              + ": ERROR:  duplicate key value violates unique constraint \"customers_email_key\"",
          "psql:basic.sql:" + (errorsAt + 4)
              + ": ERROR:  null value in column \"title\" of relation \"products\""
              + " violates not-null constraint",
          "psql:basic.sql:" + (errorsAt + 5)
              + ": ERROR:  invalid input syntax for type integer: \"abc\"",
          "psql:basic.sql:" + (errorsAt + 6) + ": ERROR:  integer out of range",
          "psql:basic.sql:" + (errorsAt + 7) + ": ERROR:  smallint out of range",
          "psql:basic.sql:" + (errorsAt + 8) + ": ERROR:  syntax error at or near \"SELEC\"");
      // No NOTICE/WARNING either: stderr is errors and their DETAIL/LINE context only.
      assertThat(r.stderr()).doesNotContain("NOTICE:", "WARNING:");
      // Merged, each error follows its statement (a second run: the script cleans up after itself).
      assertThat(transcript.stdout()).containsSubsequence(
          "SELECT * FROM no_such_table;\npsql:basic.sql:" + errorsAt + ": ERROR:",
          "SELEC 1;\npsql:basic.sql:" + (errorsAt + 8) + ": ERROR:");
      assertThat(r.stdout())
          .contains("SET", "CREATE TABLE", "INSERT 0 3", "DROP TABLE")
          // the failed statements changed nothing: 5 products, 5 customers
          .contains(" products \n----------\n        5\n", " customers \n-----------\n         5\n");
    }
  }

  private static int lineOf(String text, String line) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals(line)) {
        return i + 1;
      }
    }
    throw new AssertionError("line not found: " + line);
  }
}
