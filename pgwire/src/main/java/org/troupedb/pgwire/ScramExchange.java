package org.troupedb.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.troupedb.sql.ScramSha256;
import org.troupedb.sql.SqlState;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as PostgreSQL runs it
 * (auth-scram.c): no channel binding, the user name in the message ignored (the startup packet's
 * counts), and an unknown user or one without a password taken through the whole exchange with a
 * made-up verifier, so that the failure looks like a wrong password.
 *
 * <pre>
 *   client                                     server
 *   SASLInitialResponse "SCRAM-SHA-256",
 *     n,,n=,r=cnonce              ──▶  INITIAL ──▶ AuthenticationSASLContinue
 *                                                  r=cnonce+snonce,s=salt,i=4096
 *   SASLResponse c=biws,r=cnonce+snonce,p=proof ──▶ CONTINUED ──▶ proof ok: AuthenticationSASLFinal
 *                                                  v=ServerSignature (then AuthenticationOk)
 *                                              otherwise FATAL 28P01 / 08P01
 * </pre>
 */
final class ScramExchange {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Seeds the made-up salts of unknown users: the same user gets the same salt from this process. */
  private static final byte[] MOCK_SECRET = RANDOM.generateSeed(32);

  /** What to send next, or why the exchange failed. */
  sealed interface Step {}

  /** Send AuthenticationSASLContinue with this data and wait for a SASLResponse. */
  record Continue(byte[] data) implements Step {}

  /** Authenticated: send AuthenticationSASLFinal with this data, then AuthenticationOk. */
  record Success(byte[] data) implements Step {}

  /** Authentication failed: FATAL with this SQLSTATE and message. */
  record Failure(String sqlState, String message) implements Step {}

  private enum State { INITIAL, CONTINUED, DONE }

  private final String user;
  private final ScramSha256.Verifier verifier;
  /** The role may not authenticate (unknown, or no password): fail at the end whatever the proof. */
  private final boolean doomed;
  private final String serverNonce;
  private State state = State.INITIAL;
  private String gs2Header;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;

  /**
   * @param user the startup packet's user name (for messages and a made-up salt)
   * @param verifier the role's stored verifier, or null if the role does not exist or has no
   *     password (the exchange then fails with 28P01 after the client's proof)
   */
  ScramExchange(String user, ScramSha256.Verifier verifier) {
    this(user, verifier, ScramSha256.nonce());
  }

  /** With a given server nonce (for test vectors). */
  ScramExchange(String user, ScramSha256.Verifier verifier, String serverNonce) {
    this.user = user;
    this.doomed = verifier == null;
    this.verifier = verifier != null ? verifier : mockVerifier(user);
    this.serverNonce = serverNonce;
  }

  private static ScramSha256.Verifier mockVerifier(String user) {
    byte[] salt = Arrays.copyOf(ScramSha256.hmac(MOCK_SECRET, user), ScramSha256.SALT_BYTES);
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new ScramSha256.Verifier(ScramSha256.DEFAULT_ITERATIONS, salt, key, key.clone());
  }

  /** Whether the SASLInitialResponse was handled (the next message is a SASLResponse). */
  boolean hasStarted() {
    return state != State.INITIAL;
  }

  /** The SASLInitialResponse: the mechanism chosen and the client-first-message. */
  Step initial(String mechanism, byte[] data) {
    if (state != State.INITIAL) {
      return fail(SqlState.PROTOCOL_VIOLATION, "unexpected SASL message");
    }
    state = State.DONE;
    if (!ScramSha256.MECHANISM.equals(mechanism)) {
      return fail(SqlState.PROTOCOL_VIOLATION, "client selected an invalid SASL authentication mechanism");
    }
    String msg = new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8);
    // gs2-header: cbind-flag "," [authzid] ","
    if (msg.startsWith("p=")) {
      return fail(SqlState.PROTOCOL_VIOLATION,
          "client selected SCRAM-SHA-256-PLUS channel binding, but the server offered only SCRAM-SHA-256");
    }
    if (!msg.startsWith("n,") && !msg.startsWith("y,")) {
      return malformed();
    }
    int second = msg.indexOf(',', 2);
    if (second < 0) {
      return malformed();
    }
    if (second != 2) {
      return fail(SqlState.FEATURE_NOT_SUPPORTED, "client uses authorization identity, but it is not supported");
    }
    gs2Header = msg.substring(0, second + 1);
    clientFirstBare = msg.substring(second + 1);
    String clientNonce = null;
    boolean sawUser = false;
    for (String attr : clientFirstBare.split(",", -1)) {
      if (attr.startsWith("m=")) {
        return fail(SqlState.FEATURE_NOT_SUPPORTED, "client requires an unsupported SCRAM extension");
      } else if (attr.startsWith("n=")) {
        sawUser = true;
      } else if (attr.startsWith("r=")) {
        clientNonce = attr.substring(2);
      }
    }
    if (!sawUser || clientNonce == null || clientNonce.isEmpty() || !printable(clientNonce)) {
      return malformed();
    }
    nonce = clientNonce + serverNonce;
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i="
        + verifier.iterations();
    state = State.CONTINUED;
    return new Continue(serverFirst.getBytes(StandardCharsets.UTF_8));
  }

  /** A SASLResponse: the client-final-message. */
  Step response(byte[] data) {
    if (state != State.CONTINUED) {
      return fail(SqlState.PROTOCOL_VIOLATION, "unexpected SASL message");
    }
    state = State.DONE;
    String msg = new String(data, StandardCharsets.UTF_8);
    int proofAt = msg.lastIndexOf(",p=");
    if (!msg.startsWith("c=") || proofAt < 0) {
      return malformed();
    }
    String withoutProof = msg.substring(0, proofAt);
    String[] attrs = withoutProof.split(",", -1);
    if (attrs.length < 2 || !attrs[1].startsWith("r=")) {
      return malformed();
    }
    byte[] binding;
    byte[] proof;
    try {
      binding = Base64.getDecoder().decode(attrs[0].substring(2));
      proof = Base64.getDecoder().decode(msg.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      return malformed();
    }
    if (!Arrays.equals(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
      return fail(SqlState.PROTOCOL_VIOLATION, "unexpected SCRAM channel-binding attribute in client-final-message");
    }
    if (!attrs[1].substring(2).equals(nonce)) {
      return malformed(); // PostgreSQL: "Nonce does not match."
    }
    if (proof.length != 32) {
      return malformed();
    }
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] clientSignature = ScramSha256.hmac(verifier.storedKey(), authMessage);
    byte[] clientKey = new byte[32];
    for (int i = 0; i < 32; i++) {
      clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    }
    boolean ok = MessageDigest.isEqual(ScramSha256.sha256(clientKey), verifier.storedKey());
    if (!ok || doomed) {
      return fail(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }
    byte[] serverSignature = ScramSha256.hmac(verifier.serverKey(), authMessage);
    return new Success(("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ',') {
        return false;
      }
    }
    return true;
  }

  private static Failure malformed() {
    return new Failure(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message");
  }

  private static Failure fail(String sqlState, String message) {
    return new Failure(sqlState, message);
  }
}
