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
    this.hash = Arrays.hashCode(key);
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
