package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code troupe cert create-ca / create-node} and the TLS options of {@code start-single-node}. */
class CertCommandTest {
  @TempDir Path dir;

  private static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
    return cl.execute(args);
  }

  @Test
  void createsACaAndANodeCertificateSignedByIt() throws Exception {
    assertThat(run("cert", "create-ca", "--certs-dir", dir.toString())).isZero();
    assertThat(run("cert", "create-node", "--certs-dir", dir.toString(), "--host", "127.0.0.1", "--host",
        "db.example.com")).isZero();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate ca = (X509Certificate) cf.generateCertificate(
        new ByteArrayInputStream(Files.readAllBytes(dir.resolve(Certs.CA_CERT))));
    X509Certificate node = (X509Certificate) cf.generateCertificate(
        new ByteArrayInputStream(Files.readAllBytes(dir.resolve(Certs.NODE_CERT))));
    node.verify(ca.getPublicKey()); // throws unless the CA signed it
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(node.getBasicConstraints()).isEqualTo(-1);
    assertThat(node.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
        .containsExactlyInAnyOrder((Object) "127.0.0.1", "db.example.com");
    for (String key : List.of(Certs.CA_KEY, Certs.NODE_KEY)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).isEqualTo("rw-------");
      assertThat(Files.readString(dir.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  @Test
  void refusesToOverwriteACa() {
    assertThat(run("cert", "create-ca", "--certs-dir", dir.toString())).isZero();
    assertThat(run("cert", "create-ca", "--certs-dir", dir.toString())).isNotZero();
  }

  @Test
  void aNodeCertificateNeedsACa() {
    assertThat(run("cert", "create-node", "--certs-dir", dir.toString(), "--host", "localhost")).isNotZero();
  }

  @Test
  void requireTlsWithoutCertificatesIsAUsageError() {
    assertThat(run("start-single-node", "--require-tls", "--store", dir.resolve("s").toString())).isEqualTo(2);
  }
}
