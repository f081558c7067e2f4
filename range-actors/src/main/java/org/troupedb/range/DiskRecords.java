package org.troupedb.range;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.troupedb.hlc.Timestamp;

/**
 * The layout of range data in the node's RocksDB ({@link RangeDataDb}): record keys and values.
 *
 * <pre>
 *   key    = storeId (8 bytes, big-endian) | escaped(user key) | 00 01 | tag [| ~wallTime (8) ~logical (4)]
 *              escaped: every 00 byte becomes 00 FF, so 00 01 ends the key and order is kept
 *   tag 00 = the key's meta record        value = flags | [intent] | [shared locks] | [newest version]
 *   tag 02 = an older committed version   value = 00 (tombstone) | 01 value bytes
 * </pre>
 *
 * The meta record holds what a point read at or above the newest version needs (the intent, the
 * shared locks and the newest version), so such a read is one {@code get} (with the whole-key
 * bloom filters); a read below the newest version seeks to {@code storeId | escaped(key) | 00 01}
 * and reads on: the older versions follow the meta record newest first (inverted timestamps).
 */
final class DiskRecords {
  private DiskRecords() {}

  static final byte TAG_META = 0;
  static final byte TAG_VERSION = 2;
  static final int STORE_ID_BYTES = 8;

  /** The first key of store {@code storeId}; {@code prefixOf(storeId + 1)} bounds it. */
  static byte[] prefixOf(long storeId) {
    byte[] p = new byte[STORE_ID_BYTES];
    for (int i = 0; i < 8; i++) {
      p[i] = (byte) (storeId >>> (56 - 8 * i));
    }
    return p;
  }

  /** {@code storeId | escaped(key)}, without the terminator: the lower bound of {@code key}'s span, upper of keys below it. */
  static byte[] keyBound(long storeId, byte[] key) {
    return escape(storeId, key, false);
  }

  /** {@code storeId | escaped(key) | 00 01}: every record of {@code key} starts with this. */
  static byte[] keyPrefix(long storeId, byte[] key) {
    return escape(storeId, key, true);
  }

  private static byte[] escape(long storeId, byte[] key, boolean terminate) {
    int zeros = 0;
    for (byte b : key) {
      if (b == 0) {
        zeros++;
      }
    }
    byte[] out = new byte[STORE_ID_BYTES + key.length + zeros + (terminate ? 2 : 0)];
    System.arraycopy(prefixOf(storeId), 0, out, 0, STORE_ID_BYTES);
    int j = STORE_ID_BYTES;
    for (byte b : key) {
      out[j++] = b;
      if (b == 0) {
        out[j++] = (byte) 0xFF;
      }
    }
    if (terminate) {
      out[j++] = 0;
      out[j] = 1;
    }
    return out;
  }

  /** The record key {@code prefix | tag}. */
  static byte[] tagged(byte[] keyPrefix, byte tag) {
    byte[] out = new byte[keyPrefix.length + 1];
    System.arraycopy(keyPrefix, 0, out, 0, keyPrefix.length);
    out[keyPrefix.length] = tag;
    return out;
  }

  /** The record key of the version of the key with prefix {@code keyPrefix} at {@code ts}. */
  static byte[] version(byte[] keyPrefix, Timestamp ts) {
    byte[] out = new byte[keyPrefix.length + 1 + Timestamp.ENCODED_LENGTH];
    System.arraycopy(keyPrefix, 0, out, 0, keyPrefix.length);
    int j = keyPrefix.length;
    out[j++] = TAG_VERSION;
    long w = ~ts.wallTime();
    for (int i = 0; i < 8; i++) {
      out[j++] = (byte) (w >>> (56 - 8 * i));
    }
    int l = ~ts.logical();
    for (int i = 0; i < 4; i++) {
      out[j++] = (byte) (l >>> (24 - 8 * i));
    }
    return out;
  }

  /**
   * The length of the key prefix ({@code storeId | escaped | 00 01}) of record {@code rec}, whose
   * user key is then {@link #userKey}.
   */
  static int prefixLength(byte[] rec) {
    int i = STORE_ID_BYTES;
    while (true) {
      if (rec[i] == 0) {
        if (rec[i + 1] == 1) {
          return i + 2;
        }
        i += 2;
      } else {
        i++;
      }
    }
  }

  /** The user key of a record whose key prefix is {@code prefixLength} bytes long. */
  static byte[] userKey(byte[] rec, int prefixLength) {
    byte[] out = new byte[prefixLength - 2 - STORE_ID_BYTES];
    int j = 0;
    for (int i = STORE_ID_BYTES; i < prefixLength - 2; i++) {
      out[j++] = rec[i];
      if (rec[i] == 0) {
        i++; // the FF after an escaped 00
      }
    }
    return j == out.length ? out : java.util.Arrays.copyOf(out, j);
  }

  /** The timestamp of version record {@code rec} (its tag at {@code prefixLength}). */
  static Timestamp versionTs(byte[] rec, int prefixLength) {
    long w = 0;
    int j = prefixLength + 1;
    for (int i = 0; i < 8; i++) {
      w = (w << 8) | (rec[j++] & 0xff);
    }
    int l = 0;
    for (int i = 0; i < 4; i++) {
      l = (l << 8) | (rec[j++] & 0xff);
    }
    return new Timestamp(~w, ~l);
  }

  // ---------------------------------------------------------------- values

  static byte[] versionValue(byte[] value) {
    if (value == null) {
      return new byte[] {0};
    }
    byte[] out = new byte[value.length + 1];
    out[0] = 1;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** The value of a version record (null: a tombstone). */
  static byte[] value(byte[] rec) {
    return rec[0] == 0 ? null : java.util.Arrays.copyOfRange(rec, 1, rec.length);
  }

  /** What a meta record holds. */
  record Meta(Intent intent, List<Intent> sharers, Timestamp headTs, byte[] headValue, boolean hasHead) {}

  static byte[] meta(Intent intent, List<Intent> sharers, Timestamp headTs, byte[] headValue) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + (headValue == null ? 0 : headValue.length));
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte((intent != null ? 1 : 0) | (sharers != null ? 2 : 0) | (headTs != null ? 4 : 0));
      if (intent != null) {
        writeIntent(out, intent);
      }
      if (sharers != null) {
        out.writeInt(sharers.size());
        for (Intent in : sharers) {
          writeIntent(out, in);
        }
      }
      if (headTs != null) {
        writeTs(out, headTs);
        writeBytes(out, headValue);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Meta meta(byte[] key, byte[] rec) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(rec));
      int flags = in.readByte();
      Intent intent = (flags & 1) != 0 ? readIntent(key, in) : null;
      List<Intent> sharers = null;
      if ((flags & 2) != 0) {
        int n = in.readInt();
        sharers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          sharers.add(readIntent(key, in));
        }
      }
      if ((flags & 4) != 0) {
        return new Meta(intent, sharers, readTs(in), readBytes(in), true);
      }
      return new Meta(intent, sharers, null, null, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeIntent(DataOutputStream out, Intent in) throws IOException {
    TxnMeta t = in.txn();
    out.writeLong(t.id().getMostSignificantBits());
    out.writeLong(t.id().getLeastSignificantBits());
    writeBytes(out, t.anchorKey());
    writeTs(out, t.readTs());
    writeTs(out, t.writeTs());
    out.writeInt(t.priority());
    out.writeInt(t.epoch());
    out.writeInt(t.seq());
    out.writeInt(t.savepointSeq());
    writeBytes(out, in.value());
    out.writeBoolean(in.lockOnly());
    out.writeInt(in.history().size());
    for (Intent.Prior p : in.history()) {
      out.writeInt(p.seq());
      writeBytes(out, p.value());
      out.writeBoolean(p.lockOnly());
    }
  }

  private static Intent readIntent(byte[] key, DataInputStream in) throws IOException {
    UUID id = new UUID(in.readLong(), in.readLong());
    TxnMeta t = new TxnMeta(id, readBytes(in), readTs(in), readTs(in), in.readInt(), in.readInt(), in.readInt(),
        in.readInt());
    byte[] value = readBytes(in);
    boolean lockOnly = in.readBoolean();
    int n = in.readInt();
    List<Intent.Prior> history = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      history.add(new Intent.Prior(in.readInt(), readBytes(in), in.readBoolean()));
    }
    return new Intent(key, t, value, lockOnly, List.copyOf(history));
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void writeTs(DataOutputStream out, Timestamp ts) throws IOException {
    out.writeBoolean(ts != null);
    if (ts != null) {
      out.writeLong(ts.wallTime());
      out.writeInt(ts.logical());
    }
  }

  private static Timestamp readTs(DataInputStream in) throws IOException {
    return in.readBoolean() ? new Timestamp(in.readLong(), in.readInt()) : null;
  }
}
