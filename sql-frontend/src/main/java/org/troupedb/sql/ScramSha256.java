package org.troupedb.sql;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677) primitives and PostgreSQL's password verifier format,
 * shared by the catalog (which stores verifiers) and pgwire (which checks client proofs).
 *
 * <pre>
 *   SaltedPassword = Hi(SASLprep(password), salt, iterations)      (PBKDF2-HMAC-SHA-256)
 *   ClientKey      = HMAC(SaltedPassword, "Client Key")
 *   StoredKey      = SHA-256(ClientKey)
 *   ServerKey      = HMAC(SaltedPassword, "Server Key")
 *   verifier text  = SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt b64&gt;$&lt;StoredKey b64&gt;:&lt;ServerKey b64&gt;
 * </pre>
 */
public final class ScramSha256 {
  /** PostgreSQL's default (scram_iterations). */
  public static final int DEFAULT_ITERATIONS = 4096;
  /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
  public static final int SALT_BYTES = 16;
  public static final String MECHANISM = "SCRAM-SHA-256";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ScramSha256() {}

  /** A stored SCRAM-SHA-256 verifier: what the server needs to check a client without the password. */
  public record Verifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    /** PostgreSQL's text form, as pg_authid.rolpassword shows it. */
    @Override
    public String toString() {
      Base64.Encoder b64 = Base64.getEncoder();
      return MECHANISM + "$" + iterations + ":" + b64.encodeToString(salt) + "$"
          + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }
  }

  /** A fresh verifier for {@code password} with a random salt and {@link #DEFAULT_ITERATIONS}. */
  public static Verifier newVerifier(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return verifier(password, salt, DEFAULT_ITERATIONS);
  }

  /** The verifier of {@code password} for a given salt and iteration count. */
  public static Verifier verifier(String password, byte[] salt, int iterations) {
    byte[] salted = saltedPassword(password, salt, iterations);
    return new Verifier(iterations, salt.clone(), sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
  }

  /** Whether a cleartext {@code password} matches verifier {@code v} (for password authentication). */
  public static boolean matches(Verifier v, String password) {
    byte[] stored = verifier(password, v.salt(), v.iterations()).storedKey();
    return MessageDigest.isEqual(stored, v.storedKey());
  }

  /** Whether {@code text} has the shape of a verifier (then it is stored as given, as PostgreSQL does). */
  public static boolean isVerifier(String text) {
    return parse(text) != null;
  }

  /** Parses PostgreSQL's verifier text; null if it is not one. */
  public static Verifier parse(String text) {
    if (text == null || !text.startsWith(MECHANISM + "$")) {
      return null;
    }
    String[] parts = text.substring(MECHANISM.length() + 1).split("\\$", -1);
    if (parts.length != 2) {
      return null;
    }
    String[] iterSalt = parts[0].split(":", -1);
    String[] keys = parts[1].split(":", -1);
    if (iterSalt.length != 2 || keys.length != 2) {
      return null;
    }
    try {
      int iterations = Integer.parseInt(iterSalt[0]);
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(iterSalt[1]);
      byte[] stored = b64.decode(keys[0]);
      byte[] server = b64.decode(keys[1]);
      if (iterations <= 0 || salt.length == 0 || stored.length != 32 || server.length != 32) {
        return null;
      }
      return new Verifier(iterations, salt, stored, server);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Hi() of RFC 5802 (PBKDF2 with HMAC-SHA-256, one block) over the normalized password.
   * NB: SASLprep is approximated by NFKC normalization, which is what it does for the passwords
   * people type; PostgreSQL also falls back to the raw bytes when SASLprep fails.
   */
  public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    byte[] key = Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
    Mac mac = mac(key);
    mac.update(salt);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  public static byte[] hmac(byte[] key, String message) {
    return hmac(key, message.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] hmac(byte[] key, byte[] message) {
    return mac(key).doFinal(message);
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random printable nonce (base64 of 18 random bytes, as PostgreSQL's SCRAM_RAW_NONCE_LEN). */
  public static String nonce() {
    byte[] raw = new byte[18];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
