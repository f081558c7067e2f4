package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.node.TlsTestNode.psql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.node.TlsTestNode.PsqlResult;

/**
 * TLS for clients: certificates made by {@link Certs} (what {@code troupe cert} runs), a node that
 * requires TLS, psql with {@code sslmode=verify-full} and pgjdbc with {@code sslmode=verify-full}
 * against the generated CA, and plaintext clients refused.
 */
class TlsIT {
  @TempDir static Path tmp;
  private static TlsTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TlsTestNode.start(tmp, true);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static String jdbcUrl(String sslParams) {
    return "jdbc:postgresql://127.0.0.1:" + node.port() + "/defaultdb?user=root&" + sslParams;
  }

  @Test
  void pgjdbcVerifiesTheNodeCertificateAgainstTheCa() throws Exception {
    String url = jdbcUrl("ssl=true&sslmode=verify-full&sslrootcert=" + node.caCert());
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tls_t (id INT PRIMARY KEY, v TEXT)");
      s.execute("UPSERT INTO tls_t VALUES (1, 'over tls')");
      try (ResultSet rs = s.executeQuery("SELECT v FROM tls_t WHERE id = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("over tls");
      }
    }
  }

  @Test
  void pgjdbcRefusesANodeItCannotVerify() throws Exception {
    // A CA the node's certificate does not chain to.
    Path other = tmp.resolve("other-ca");
    Certs.createCa(other, Duration.ofDays(1));
    String url = jdbcUrl("ssl=true&sslmode=verify-full&sslrootcert=" + other.resolve(Certs.CA_CERT));
    assertThatThrownBy(() -> DriverManager.getConnection(url).close()).isInstanceOf(SQLException.class)
        .hasMessageContaining("SSL");
  }

  @Test
  void plaintextClientsAreRefusedWhenTlsIsRequired() {
    assertThatThrownBy(() -> DriverManager.getConnection(jdbcUrl("sslmode=disable")).close())
        .isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("28000");
          assertThat(e.getMessage()).contains("no encryption");
        });
  }

  @Test
  void psqlVerifyFullConnectsAndPlaintextIsRefused() throws Exception {
    String ca = node.caCert().toString();
    PsqlResult ok = psql("host=127.0.0.1 port=" + node.port()
        + " user=root dbname=defaultdb sslmode=verify-full sslrootcert=" + ca, null, "SELECT 40 + 2 AS answer");
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("42");
    PsqlResult refused = psql("host=127.0.0.1 port=" + node.port()
        + " user=root dbname=defaultdb sslmode=disable", null, "SELECT 1");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.output()).contains("no pg_hba.conf entry").contains("no encryption");
  }
}
