package org.troupedb.node;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates a node serves TLS with, in a certificates directory laid out like
 * CockroachDB's: {@code ca.crt} (the CA clients trust), {@code ca.key} (kept to sign more
 * node certificates; 0600), {@code node.crt} and {@code node.key} (0600). Keys are ECDSA P-256,
 * written as PKCS#8 PEM; certificates as X.509 PEM.
 */
public final class Certs {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String NODE_CERT = "node.crt";
  public static final String NODE_KEY = "node.key";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certs() {}

  /** Creates a self-signed CA in {@code dir} ({@code ca.crt}, {@code ca.key}); refuses to overwrite. */
  public static void createCa(Path dir, Duration lifetime) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    refuseOverwrite(dir.resolve(CA_CERT), dir.resolve(CA_KEY));
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("O=TroupeDB,CN=TroupeDB CA");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime)), name, keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate cert = sign(b, keys.getPrivate());
    writePem(dir.resolve(CA_CERT), cert);
    writeKey(dir.resolve(CA_KEY), keys.getPrivate());
  }

  /**
   * Creates {@code node.crt}/{@code node.key} in {@code dir}, signed by the CA there, valid for
   * {@code hosts} (DNS names or IP addresses, as subject alternative names); overwrites an
   * existing node certificate.
   */
  public static void createNode(Path dir, List<String> hosts, Duration lifetime)
      throws IOException, GeneralSecurityException {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a node certificate needs at least one host name or address");
    }
    X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(
        (X509CertificateHolder) readPem(dir.resolve(CA_CERT)));
    PrivateKey caKey = readKey(dir.resolve(CA_KEY));
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime)),
        new X500Name("O=TroupeDB,CN=node"), keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(isIpAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
    }
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    X509Certificate cert = sign(b, caKey);
    writePem(dir.resolve(NODE_CERT), cert);
    writeKey(dir.resolve(NODE_KEY), keys.getPrivate());
  }

  static boolean isIpAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static void refuseOverwrite(Path... files) throws IOException {
    for (Path f : files) {
      if (Files.exists(f)) {
        throw new IOException(f + " already exists; remove it first to create a new CA");
      }
    }
  }

  private static void writePem(Path file, Object object) throws IOException {
    Files.deleteIfExists(file);
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(object);
    }
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file);
    restrict(file);
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to restrict with
    }
  }

  private static Object readPem(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file))) {
      Object o = p.readObject();
      if (o == null) {
        throw new IOException(file + " holds no PEM object");
      }
      return o;
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    Object o = readPem(file);
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
      return conv.getPrivateKey(info);
    }
    if (o instanceof PEMKeyPair pair) {
      return conv.getKeyPair(pair).getPrivate();
    }
    throw new IOException(file + " is not a private key");
  }
}
