package org.troupedb.range;

import java.util.Arrays;

/**
 * A key as a hash-map key: content equality and a cached hash, for the O(1) point lookups that
 * sit beside the ordered maps (a {@code TreeMap<byte[], …>} costs one comparison per level, each a
 * cache miss, on every point read). NB: the array is not copied; keys are never mutated.
 */
final class HashedKey {
  private final byte[] key;
  private final int hash;

  HashedKey(byte[] key) {
    this.key = key;
    this.hash = hash(key);
  }

  /**
   * 64-bit FNV-1a folded to 32 bits. Not {@link Arrays#hashCode(byte[])}: its base-31 polynomial
   * maps keys that differ only in their last bytes (encoded integers) onto few values, and
   * HashMap bins then degrade to trees.
   */
  static int hash(byte[] key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return (int) (h ^ (h >>> 32));
  }

  byte[] bytes() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashedKey k && k.hash == hash && Arrays.equals(k.key, key);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
