package org.troupedb.range;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * Key-space constants and helpers. Keys are byte strings compared as unsigned bytes.
 *
 * <pre>
 *   [0x00, 0x01)  meta range (range 1): range descriptors live in its state
 *   [0x01, 0x10)  other KV-internal keys
 *   [0x10, ...)   SQL keys (the SQL layer splits at table prefixes)
 * </pre>
 */
public final class Keys {
  private Keys() {}

  public static final Comparator<byte[]> COMPARATOR = Arrays::compareUnsigned;
  public static final byte[] EMPTY = new byte[0];
  /** End of the meta range / start of the first data range. */
  public static final byte[] META_END = {0x01};
  /** Smallest key the SQL layer may use. */
  public static final byte[] SQL_MIN = {0x10};

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** The smallest key strictly greater than {@code key}: key + 0x00. */
  public static byte[] next(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** Whether {@code start <= key < end}; a null end is +infinity. */
  public static boolean inSpan(byte[] key, byte[] start, byte[] end) {
    return compare(key, start) >= 0 && (end == null || compare(key, end) < 0);
  }

  public static String toString(byte[] key) {
    return key == null ? "+inf" : HexFormat.of().formatHex(key);
  }
}
