package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;
import org.troupedb.testkit.PsqlDiff;

/**
 * COPY against a node and a real PostgreSQL side by side: psql {@code \copy} transcripts (data,
 * errors with their CONTEXT lines, atomicity) must match, and pgjdbc's CopyManager must read back
 * what it wrote, byte for byte the same as from PostgreSQL.
 */
class CopyIT extends InProcessNodeFixture {
  private static final String TABLE = "CREATE TABLE tricky (id int PRIMARY KEY, t text, n numeric(10,2), "
      + "f float8, ts timestamp, b bytea, ok boolean)";

  private LocalPostgres postgres;

  @BeforeAll
  void startPostgres() throws Exception {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private Connection postgres() throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl());
  }

  @Test
  void psqlTranscriptMatchesPostgres() {
    Psql troupe = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
    String diff = PsqlDiff.compareScript(Psql.to(postgres), troupe, Path.of("src/test/resources/copy/copy.sql"));
    assertThat(diff).as("psql transcript diff (- PostgreSQL, + TroupeDB)").isEmpty();
  }

  /** Loads generated rows with tricky values through CopyManager and dumps them in text and CSV. */
  private static String roundTrip(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS tricky");
      st.execute(TABLE);
    }
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      in.append(i).append('\t')
          .append(i % 7 == 0 ? "\\N" : "v" + i + (i % 3 == 0 ? "\\t\\\\ \"q\" ü" : "")).append('\t')
          .append(i % 5 == 0 ? "\\N" : (i - 1000) + "." + (i % 100)).append('\t')
          .append(i / 8.0).append('\t')
          .append("2024-02-").append(10 + i % 19).append(" 12:34:").append(10 + i % 50).append('\t')
          .append("\\\\x").append(String.format("%04x", i)).append('\t')
          .append(i % 2 == 0 ? 't' : 'f').append('\n');
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    long loaded = copy.copyIn("COPY tricky FROM STDIN", new StringReader(in.toString()));
    assertThat(loaded).isEqualTo(2000);
    StringWriter text = new StringWriter();
    assertThat(copy.copyOut("COPY tricky TO STDOUT", text)).isEqualTo(2000);
    StringWriter csv = new StringWriter();
    copy.copyOut("COPY tricky (t, id, b) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER '|')", csv);
    return text + "----\n" + csv;
  }

  @Test
  void copyManagerRoundTripMatchesPostgres() throws Exception {
    String expected;
    try (Connection pg = postgres()) {
      expected = roundTrip(pg);
    }
    try (Connection c = connect("")) {
      assertThat(roundTrip(c)).isEqualTo(expected);
    }
  }

  /** Cancels a COPY FROM STDIN through pgjdbc (CopyFail); returns what the client saw and the row count. */
  private static String cancelledCopy(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS cancelled");
      st.execute("CREATE TABLE cancelled (id int PRIMARY KEY, t text)");
    }
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY cancelled FROM STDIN");
    byte[] rows = "1\ta\n2\tb\n".getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(rows, 0, rows.length);
    in.flushCopy();
    String outcome;
    try {
      in.cancelCopy();
      outcome = "no error";
    } catch (SQLException e) {
      outcome = e.getSQLState();
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM cancelled")) {
      rs.next();
      return outcome + ", rows " + rs.getLong(1);
    }
  }

  @Test
  void clientCopyFailLeavesNoRowsAsInPostgres() throws Exception {
    String expected;
    try (Connection pg = postgres()) {
      expected = cancelledCopy(pg);
    }
    try (Connection c = connect("")) {
      assertThat(cancelledCopy(c)).isEqualTo(expected).endsWith("rows 0");
    }
  }

  @Test
  void copyThroughTheExtendedProtocolIsRefusedByJdbcAndTheConnectionRecovers() throws Exception {
    // pgjdbc answers a CopyInResponse to a plain statement with CopyFail: this drives copy-in mode
    // entered through Parse/Bind/Execute, then the skip-until-Sync recovery.
    try (Connection c = connect("&preferQueryMode=extended"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE viajdbc (id int PRIMARY KEY)");
      assertThatThrownBy(() -> st.execute("COPY viajdbc FROM STDIN")).isInstanceOf(SQLException.class);
      st.execute("INSERT INTO viajdbc VALUES (1)");
      try (ResultSet rs = st.executeQuery("COPY viajdbc TO STDOUT")) {
        // pgjdbc reads a CopyOutResponse to a plain query as an error too; reaching here is fine
      } catch (SQLException expected) {
        // expected: "COPY commands are only supported using the CopyManager API"
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM viajdbc")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }
}
