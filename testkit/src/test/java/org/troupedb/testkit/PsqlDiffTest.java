package org.troupedb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PsqlDiffTest {

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(PsqlDiff.diff("a\nb\n", "a\nb\n")).isEmpty();
  }

  @Test
  void showsChangedLinesWithContext() {
    String ref = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n";
    String cand = "1\n2\n3\n4\n5\n6\nseven\n8\n9\n10\n11\n12\n13\n14\n15\nextra\n";
    assertThat(PsqlDiff.diff(ref, cand)).isEqualTo(
        "--- reference\n+++ candidate\n"
            + " 4\n 5\n 6\n-7\n+seven\n 8\n 9\n 10\n"
            + "@@\n"
            + " 13\n 14\n 15\n+extra\n \n");
  }

  @Test
  void comparesTheSameScriptOnTwoServers(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("t.sql");
    Files.writeString(script, "SELECT id FROM t ORDER BY id;\nSELECT * FROM missing;\n");
    try (LocalPostgres a = LocalPostgres.start(); LocalPostgres b = LocalPostgres.start()) {
      setUp(a, "(1), (2)");
      setUp(b, "(1), (3)");
      String same = PsqlDiff.compareScript(Psql.to(a), Psql.to(a), script);
      String diff = PsqlDiff.compareScript(Psql.to(a), Psql.to(b), script);
      assertThat(same).isEmpty();
      assertThat(diff)
          .contains("-  2\n+  3\n")
          .doesNotContain("-psql:t.sql:2: ERROR"); // same error on both, so not a difference
    }
  }

  private static void setUp(LocalPostgres pg, String rows) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      s.execute("INSERT INTO t VALUES " + rows);
    }
  }
}
