package org.troupedb.sql.internal.types;

import java.util.UUID;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL's {@code uuid} input and order. Input takes what {@code uuid_in} takes: 32 hex digits
 * in either case, optionally in braces, with a hyphen allowed after any group of four digits
 * ({@code a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}, {@code {A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}},
 * {@code a0eebc999c0b4ef8bb6d6bb9bd380a11}). Output is the lower-case 8-4-4-4-12 form
 * ({@link UUID#toString()}). Values compare as their 16 bytes, unsigned, as {@code memcmp} does.
 */
public final class PgUuid {
  private PgUuid() {}

  /** Parses {@code text} as {@code uuid_in} does; 22P02 if it is not a uuid. */
  public static UUID parse(String text) throws SqlException {
    String s = text.trim();
    if (s.startsWith("{")) {
      if (!s.endsWith("}") || s.length() < 2) {
        throw invalid(text);
      }
      s = s.substring(1, s.length() - 1);
    }
    long hi = 0;
    long lo = 0;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '-' && digits > 0 && digits % 4 == 0 && digits < 32 && i > 0 && s.charAt(i - 1) != '-') {
        continue;
      }
      int d = Character.digit(c, 16);
      if (d < 0 || digits == 32) {
        throw invalid(text);
      }
      if (digits < 16) {
        hi = hi << 4 | d;
      } else {
        lo = lo << 4 | d;
      }
      digits++;
    }
    if (digits != 32) {
      throw invalid(text);
    }
    return new UUID(hi, lo);
  }

  /** The 16 bytes of {@code u}, big-endian (its binary wire form and its key encoding). */
  public static byte[] bytes(UUID u) {
    byte[] b = new byte[16];
    long hi = u.getMostSignificantBits();
    long lo = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  /** The uuid of 16 big-endian bytes from {@code off}. */
  public static UUID fromBytes(byte[] b, int off) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = hi << 8 | (b[off + i] & 0xFF);
      lo = lo << 8 | (b[off + 8 + i] & 0xFF);
    }
    return new UUID(hi, lo);
  }

  /** PostgreSQL's order: the bytes unsigned (UUID.compareTo compares signed longs). */
  public static int compare(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  /** A version-4 (random) uuid, as {@code gen_random_uuid()} returns. */
  public static UUID random() {
    return UUID.randomUUID();
  }

  private static SqlException invalid(String text) {
    return new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type uuid: \"" + text + "\"");
  }
}
