package org.troupedb.range.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key layout of the embedded journal's RocksDB store. Every key starts with one byte naming
 * its kind; sequence numbers are 8 bytes big-endian, so byte order is sequence order.
 *
 * <pre>
 *   'e' persistenceId 0x00 seqNr   → one event (see {@link ReprCodec})
 *   'h' persistenceId              → the highest sequence number ever written (kept by deletes)
 *   's' persistenceId 0x00 seqNr   → one snapshot
 *   'v'                            → the store's format version
 * </pre>
 *
 * A persistence id holding a 0x00 character is refused: it would break the prefix order.
 */
final class JournalKeys {
  private JournalKeys() {}

  static final byte EVENT = 'e';
  static final byte HIGHEST = 'h';
  static final byte SNAPSHOT = 's';
  static final byte[] FORMAT = {'v'};

  /** {@code kind pid 0x00}: the prefix of every event (or snapshot) of {@code pid}. */
  static byte[] prefix(byte kind, String persistenceId) {
    byte[] pid = pidBytes(persistenceId);
    byte[] k = new byte[pid.length + 2];
    k[0] = kind;
    System.arraycopy(pid, 0, k, 1, pid.length);
    k[k.length - 1] = 0;
    return k;
  }

  /** The first key after every key with {@link #prefix}: {@code kind pid 0x01}. */
  static byte[] prefixEnd(byte kind, String persistenceId) {
    byte[] k = prefix(kind, persistenceId);
    k[k.length - 1] = 1;
    return k;
  }

  /** {@code kind pid 0x00 seqNr}. */
  static byte[] key(byte kind, String persistenceId, long seqNr) {
    byte[] p = prefix(kind, persistenceId);
    return ByteBuffer.allocate(p.length + 8).put(p).putLong(seqNr).array();
  }

  static byte[] highest(String persistenceId) {
    byte[] pid = pidBytes(persistenceId);
    byte[] k = new byte[pid.length + 1];
    k[0] = HIGHEST;
    System.arraycopy(pid, 0, k, 1, pid.length);
    return k;
  }

  /** The sequence number at the end of a key made by {@link #key}. */
  static long seqNr(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  /** Whether {@code key} starts with {@code prefix}. */
  static boolean hasPrefix(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static long bytesLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  private static byte[] pidBytes(String persistenceId) {
    if (persistenceId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a persistence id must not contain NUL: " + persistenceId);
    }
    return persistenceId.getBytes(StandardCharsets.UTF_8);
  }
}
