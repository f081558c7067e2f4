package org.troupedb.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An in-process single node with client TLS, for the TLS and login tests: a CA and a node
 * certificate for 127.0.0.1 and localhost made by {@link Certs} under {@code dir/certs} (valid for
 * a day), the store under {@code dir/store}; plus the one-command psql runs those tests make.
 */
record TlsTestNode(Path certs, TroupeNode node) implements AutoCloseable {

  /** What one psql run exited with and printed (stdout and stderr together). */
  record PsqlResult(int exit, String output) {}

  /** Starts a node under {@code dir}; {@code requireTls} refuses plaintext clients. */
  static TlsTestNode start(Path dir, boolean requireTls) throws Exception {
    Path certs = dir.resolve("certs");
    Certs.createCa(certs, Duration.ofDays(1));
    Certs.createNode(certs, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    return new TlsTestNode(certs,
        TroupeNode.start(NodeConfig.singleNode(0, 0, dir.resolve("store")).withTls(certs, requireTls)));
  }

  /** The CA certificate clients verify the node's certificate against. */
  Path caCert() {
    return certs.resolve(Certs.CA_CERT);
  }

  int port() {
    return node.pgAddress().getPort();
  }

  /**
   * Runs {@code psql -X -A -t -d conninfo -c sql} with {@code PGPASSWORD} set to {@code password}
   * (unset when null), bounded to 60 s.
   */
  static PsqlResult psql(String conninfo, String password, String sql) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-A", "-t", "-d", conninfo, "-c", sql)
        .redirectErrorStream(true);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().remove("PGPASSWORD");
    if (password != null) {
      pb.environment().put("PGPASSWORD", password);
    }
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish in 60 s");
    }
    return new PsqlResult(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    node.close();
  }
}
