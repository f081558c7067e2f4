package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.ScramSha256;

/**
 * The server side of SCRAM-SHA-256 against a client computed here independently with the JDK's
 * PBKDF2WithHmacSHA256 and HmacSHA256 (RFC 5802 §3).
 */
class ScramExchangeTest {
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";

  /** The client side: proof for a server-first-message and the expected server signature. */
  private record ClientFinal(String message, String serverSignature) {}

  private static byte[] hmac(byte[] key, String msg) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
  }

  private static ClientFinal clientFinal(String password, String serverFirst) throws Exception {
    String nonce = null;
    byte[] salt = null;
    int iterations = 0;
    for (String a : serverFirst.split(",")) {
      switch (a.charAt(0)) {
        case 'r' -> nonce = a.substring(2);
        case 's' -> salt = Base64.getDecoder().decode(a.substring(2));
        case 'i' -> iterations = Integer.parseInt(a.substring(2));
        default -> { }
      }
    }
    byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    byte[] clientKey = hmac(salted, "Client Key");
    byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
    String withoutProof = "c=biws,r=" + nonce;
    String authMessage = "n=,r=" + CLIENT_NONCE + "," + serverFirst + "," + withoutProof;
    byte[] signature = hmac(storedKey, authMessage);
    byte[] proof = new byte[32];
    for (int i = 0; i < 32; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    String serverSig = Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
    return new ClientFinal(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof), "v=" + serverSig);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ScramExchange.Step step) {
    return new String(step instanceof ScramExchange.Continue c ? c.data() : ((ScramExchange.Success) step).data(),
        StandardCharsets.UTF_8);
  }

  @Test
  void acceptsTheRightPasswordAndSignsTheServerFinalMessage() throws Exception {
    ScramSha256.Verifier v = ScramSha256.newVerifier("pencil");
    ScramExchange x = new ScramExchange("alice", v);
    ScramExchange.Step first = x.initial("SCRAM-SHA-256", bytes("n,,n=,r=" + CLIENT_NONCE));
    String serverFirst = text(first);
    assertThat(serverFirst).startsWith("r=" + CLIENT_NONCE)
        .contains(",s=" + Base64.getEncoder().encodeToString(v.salt()) + ",i=4096");
    ClientFinal cf = clientFinal("pencil", serverFirst);
    ScramExchange.Step last = x.response(bytes(cf.message()));
    assertThat(last).isInstanceOf(ScramExchange.Success.class);
    assertThat(text(last)).isEqualTo(cf.serverSignature());
  }

  /** RFC 7677 section 3: user "user", password "pencil". */
  @Test
  void rfc7677TestVector() {
    ScramSha256.Verifier v = ScramSha256.verifier("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
    ScramExchange x = new ScramExchange("user", v, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    assertThat(text(x.initial("SCRAM-SHA-256", bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))))
        .isEqualTo("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    ScramExchange.Step last = x.response(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
    assertThat(text(last)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  }

  @Test
  void rejectsAWrongPasswordWith28P01() throws Exception {
    ScramExchange x = new ScramExchange("alice", ScramSha256.newVerifier("pencil"));
    String serverFirst = text(x.initial("SCRAM-SHA-256", bytes("n,,n=,r=" + CLIENT_NONCE)));
    ScramExchange.Step last = x.response(bytes(clientFinal("pen", serverFirst).message()));
    assertThat(last).isEqualTo(new ScramExchange.Failure("28P01", "password authentication failed for user \"alice\""));
  }

  @Test
  void anUnknownUserGoesThroughTheExchangeAndFailsLikeAWrongPassword() throws Exception {
    ScramExchange x = new ScramExchange("ghost", null);
    String serverFirst = text(x.initial("SCRAM-SHA-256", bytes("n,,n=,r=" + CLIENT_NONCE)));
    assertThat(serverFirst).contains(",s=").contains(",i=4096");
    // The same made-up salt each time: the salt does not reveal whether the role exists.
    String again = text(new ScramExchange("ghost", null).initial("SCRAM-SHA-256", bytes("n,,n=,r=" + CLIENT_NONCE)));
    assertThat(again.substring(again.indexOf(",s="))).isEqualTo(serverFirst.substring(serverFirst.indexOf(",s=")));
    assertThat(x.response(bytes(clientFinal("", serverFirst).message())))
        .isEqualTo(new ScramExchange.Failure("28P01", "password authentication failed for user \"ghost\""));
  }

  @Test
  void protocolErrors() throws Exception {
    ScramSha256.Verifier v = ScramSha256.newVerifier("pencil");
    assertThat(new ScramExchange("a", v).initial("SCRAM-SHA-256-PLUS", bytes("p=tls-server-end-point,,n=,r=x")))
        .isInstanceOfSatisfying(ScramExchange.Failure.class, f -> assertThat(f.sqlState()).isEqualTo("08P01"));
    assertThat(new ScramExchange("a", v).initial("SCRAM-SHA-256", bytes("p=tls-server-end-point,,n=,r=x")))
        .isInstanceOfSatisfying(ScramExchange.Failure.class, f -> assertThat(f.sqlState()).isEqualTo("08P01"));
    assertThat(new ScramExchange("a", v).initial("SCRAM-SHA-256", bytes("n,a=bob,n=,r=x")))
        .isInstanceOfSatisfying(ScramExchange.Failure.class, f -> assertThat(f.sqlState()).isEqualTo("0A000"));
    assertThat(new ScramExchange("a", v).initial("SCRAM-SHA-256", bytes("garbage")))
        .isEqualTo(new ScramExchange.Failure("08P01", "malformed SCRAM message"));
    ScramExchange x = new ScramExchange("a", v);
    String serverFirst = text(x.initial("SCRAM-SHA-256", bytes("n,,n=,r=" + CLIENT_NONCE)));
    String tampered = clientFinal("pencil", serverFirst).message().replace("r=" + CLIENT_NONCE, "r=other");
    assertThat(x.response(bytes(tampered))).isEqualTo(new ScramExchange.Failure("08P01", "malformed SCRAM message"));
    assertThat(x.response(bytes("c=biws"))).isInstanceOf(ScramExchange.Failure.class); // exchange is over
  }

  @Test
  void verifierTextRoundTripsInPostgresFormat() {
    ScramSha256.Verifier v = ScramSha256.verifier("pencil", new byte[16], 4096);
    String text = v.toString();
    assertThat(text).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+");
    assertThat(ScramSha256.parse(text).toString()).isEqualTo(text);
    assertThat(ScramSha256.matches(v, "pencil")).isTrue();
    assertThat(ScramSha256.matches(v, "Pencil")).isFalse();
    assertThat(ScramSha256.parse("md5abc")).isNull();
    assertThat(ScramSha256.parse("SCRAM-SHA-256$x:AAAA$AAAA:AAAA")).isNull();
  }
}
