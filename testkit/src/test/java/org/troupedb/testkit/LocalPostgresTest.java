package org.troupedb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  @Test
  void startsQueriesWithPsqlAndJdbcAndStopsOnClose() throws Exception {
    LocalPostgres pg = LocalPostgres.start();
    Path dir = pg.baseDir();
    long pid = pg.pid();
    int port = pg.port();
    try {
      assertThat(pg.jdbcUrl())
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/defaultdb?user=root");
      assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

      try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery(
            "SELECT current_user, current_database(), rolsuper, current_setting('fsync'),"
                + " current_setting('listen_addresses'),"
                + " current_setting('max_pred_locks_per_transaction')"
                + " FROM pg_roles WHERE rolname = current_user")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("root");
          assertThat(rs.getString(2)).isEqualTo("defaultdb");
          assertThat(rs.getBoolean(3)).isTrue();
          assertThat(rs.getString(4)).isEqualTo("off");
          assertThat(rs.getString(5)).isEqualTo("127.0.0.1");
          assertThat(rs.getString(6)).isEqualTo("512");
        }
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, name TEXT NOT NULL)");
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
          for (int i = 1; i <= 3; i++) {
            ins.setInt(1, i);
            ins.setString(2, "n" + i);
            ins.addBatch();
          }
          assertThat(ins.executeBatch()).containsExactly(1, 1, 1);
        }
      }

      Psql psql = Psql.to(pg);
      Psql.Result r = psql.runCommand("SELECT id, name FROM t ORDER BY id");
      assertThat(r.exitCode()).isZero();
      assertThat(r.stderr()).isEmpty();
      assertThat(r.stdout()).isEqualTo(
          "SELECT id, name FROM t ORDER BY id\n" // -a echoes the input
              + " id | name \n"
              + "----+------\n"
              + "  1 | n1\n"
              + "  2 | n2\n"
              + "  3 | n3\n"
              + "(3 rows)\n\n");

      Psql.Result script = psql.runScriptText("s.sql",
          "SELECT count(*) AS n FROM t;\nSELECT * FROM nope;\nUPDATE t SET name = 'x' WHERE id < 3;\n");
      assertThat(script.exitCode()).isZero();
      assertThat(script.stdout()).contains("SELECT count(*) AS n FROM t;", " n \n---\n 3\n", "UPDATE 2");
      assertThat(script.errorLines())
          .containsExactly("psql:s.sql:2: ERROR:  relation \"nope\" does not exist");
    } finally {
      pg.close();
    }
    assertThat(Files.exists(dir)).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(accepts(port)).isFalse();
    pg.close(); // idempotent
  }

  @Test
  void mergedOutputInterleavesErrorsInOrder() {
    try (LocalPostgres pg = LocalPostgres.start()) {
      Psql.Result r = Psql.to(pg).withMergedOutput()
          .runScriptText("m.sql", "SELECT 1 AS a;\nSELECT 1/0;\nSELECT 2 AS b;\n");
      assertThat(r.stderr()).isEmpty();
      assertThat(r.stdout()).containsSubsequence(
          " a \n---\n 1\n", "psql:m.sql:2: ERROR:  division by zero", " b \n---\n 2\n");
    }
  }

  @Test
  void normaliseStripsDirectoriesFromPsqlPrefixes() {
    assertThat(Psql.normalise("psql:/tmp/x/y/basic.sql:12: ERROR:  boom\nLINE 1: psql:a\n"))
        .isEqualTo("psql:basic.sql:12: ERROR:  boom\nLINE 1: psql:a\n");
    assertThat(Psql.normalise("psql:basic.sql:3: ERROR:  x")).isEqualTo("psql:basic.sql:3: ERROR:  x");
  }

  @Test
  void missingBinariesGiveAClearMessage(@TempDir Path empty) {
    assertThatThrownBy(() -> LocalPostgres.start(LocalPostgres.Options.forTests().withBinDir(empty)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void prefersPostgres15Binaries() {
    assertThat(LocalPostgres.defaultBinDir()).isEqualTo(LocalPostgres.DEFAULT_BIN_DIR);
    assertThat(LocalPostgres.Options.forTests().binDir()).isEqualTo(LocalPostgres.DEFAULT_BIN_DIR);
  }

  @Test
  void missingPsqlGivesAClearMessage(@TempDir Path empty) {
    assertThatThrownBy(() -> new Psql("127.0.0.1", 1, "root", "defaultdb")
            .withBinary(empty.resolve("psql")).runCommand("SELECT 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install postgresql-client");
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
