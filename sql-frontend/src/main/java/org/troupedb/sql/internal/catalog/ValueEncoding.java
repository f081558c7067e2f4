package org.troupedb.sql.internal.catalog;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.util.ByteString;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * Compact row value encoding: for each non-null column, {@code varint(columnId)} then the value
 * (zig-zag varint for integers, dates and timestamps; 4/8 raw bytes for floats; varint scale and
 * length-prefixed two's-complement bytes for numeric; length-prefixed bytes for text and bytea;
 * one byte for bool; 16 raw bytes for uuid; zig-zag microseconds for time; for an array, length-prefixed
 * bytes holding a varint count and per element 0 for NULL or 1 and the element as above). NULLs take
 * no space; columns are tagged by id so added/dropped columns need no rewrite. A NULL in a column
 * that has a missing value ({@link ColumnHistory}) is written as {@code varint(0), varint(columnId)};
 * an id the table no longer has is read with its former type and skipped or converted into its
 * successor.
 */
public final class ValueEncoding {
  private ValueEncoding() {}

  public static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static void writeZigzag(ByteArrayOutputStream out, long v) {
    writeVarint(out, (v << 1) ^ (v >> 63));
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
    writeVarint(out, b.length);
    out.write(b, 0, b.length);
  }

  /** Encodes {@code values[i]} for columns {@code cols[i]} (values in internal representation). */
  public static byte[] encode(TableDesc.Column[] cols, Object[] values) {
    return encode(cols, values, ColumnHistory.EMPTY);
  }

  /** As {@link #encode(TableDesc.Column[], Object[])}, marking NULLs of columns with a missing value. */
  public static byte[] encode(TableDesc.Column[] cols, Object[] values, ColumnHistory history) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    for (int i = 0; i < cols.length; i++) {
      Object v = values[i];
      if (v == null) {
        if (history.missing().containsKey(cols[i].id())) {
          out.write(0);
          writeVarint(out, cols[i].id());
        }
        continue;
      }
      writeVarint(out, cols[i].id());
      writeValue(out, cols[i].type().pg(), v);
    }
    return out.toByteArray();
  }

  private static void writeValue(ByteArrayOutputStream out, org.troupedb.sql.PgType pg, Object v) {
    switch (pg) {
      case BOOL -> out.write((Boolean) v ? 1 : 0);
      case FLOAT4 -> {
        int bits = Float.floatToIntBits(((Number) v).floatValue());
        for (int s = 24; s >= 0; s -= 8) {
          out.write(bits >>> s);
        }
      }
      case FLOAT8 -> {
        long bits = Double.doubleToLongBits(((Number) v).doubleValue());
        for (int s = 56; s >= 0; s -= 8) {
          out.write((int) (bits >>> s));
        }
      }
      case NUMERIC -> {
        BigDecimal d = (BigDecimal) v;
        writeZigzag(out, d.scale());
        writeBytes(out, d.unscaledValue().toByteArray());
      }
      case BYTEA -> writeBytes(out, ((ByteString) v).getBytes());
      case UUID -> out.write(org.troupedb.sql.internal.types.PgUuid.bytes((java.util.UUID) v), 0, 16);
      case TIME -> writeZigzag(out, ((Number) v).longValue() * 1000L); // microseconds, as PostgreSQL keeps them
      case INT2, INT4, INT8, DATE, TIMESTAMP, TIMESTAMPTZ, OID, REGCLASS, REGTYPE, REGPROC ->
          writeZigzag(out, ((Number) v).longValue());
      default -> {
        if (pg.isArray()) {
          writeBytes(out, encodeArray(pg.elem(), (java.util.List<?>) v));
        } else {
          writeBytes(out, v.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** An array: varint count, then per element 0 (NULL) or 1 and the element's value. */
  private static byte[] encodeArray(org.troupedb.sql.PgType elem, java.util.List<?> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 4 * values.size());
    writeVarint(out, values.size());
    for (Object e : values) {
      out.write(e == null ? 0 : 1);
      if (e != null) {
        writeValue(out, elem, e);
      }
    }
    return out.toByteArray();
  }

  private static java.util.List<Object> decodeArray(org.troupedb.sql.PgType elem, byte[] buf) {
    int[] pos = {0};
    int n = (int) readVarint(buf, pos);
    java.util.List<Object> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(buf[pos[0]++] == 0 ? null : readValue(elem, buf, pos));
    }
    return out;
  }

  /**
   * Decodes into {@code row}: each column's value goes to {@code row[position of its id]}; a column
   * the stored row lacks gets its missing value, if it has one.
   */
  public static void decode(byte[] buf, TableDesc table, Object[] row) {
    table.history().fillMissing(table, row);
    decodeStored(buf, table, table.history(), row);
  }

  /** Decodes the stored values only (no missing values filled in). */
  static void decodeStored(byte[] buf, TableDesc table, ColumnHistory history, Object[] row) {
    int[] pos = {0};
    while (pos[0] < buf.length) {
      int id = (int) readVarint(buf, pos);
      if (id == 0) { // an explicit NULL
        int nullIdx = table.columnIndexById((int) readVarint(buf, pos));
        if (nullIdx >= 0) {
          row[nullIdx] = null;
        }
        continue;
      }
      int idx = table.columnIndexById(id);
      ColumnHistory.Former former = idx >= 0 ? null : history.former(id);
      ColumnType t = idx >= 0 ? table.columns().get(idx).type() : former != null ? former.type() : null;
      Object v = readValue(t == null ? org.troupedb.sql.PgType.TEXT : t.pg(), buf, pos);
      if (idx >= 0) {
        row[idx] = v;
      } else if (former != null) {
        successor(table, history, former, v, row);
      }
    }
  }

  private static Object readValue(org.troupedb.sql.PgType pg, byte[] buf, int[] pos) {
    Object v;
    switch (pg) {
      case BOOL -> v = buf[pos[0]++] != 0;
      case FLOAT4 -> {
        int bits = 0;
        for (int i = 0; i < 4; i++) {
          bits = (bits << 8) | (buf[pos[0]++] & 0xFF);
        }
        v = Float.intBitsToFloat(bits);
      }
      case FLOAT8 -> {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
          bits = (bits << 8) | (buf[pos[0]++] & 0xFF);
        }
        v = Double.longBitsToDouble(bits);
      }
      case NUMERIC -> {
        int scale = (int) readZigzag(buf, pos);
        v = new BigDecimal(new BigInteger(readBytes(buf, pos)), scale);
      }
      case BYTEA -> v = new ByteString(readBytes(buf, pos));
      case TIME -> v = (int) (readZigzag(buf, pos) / 1000L);
      case UUID -> {
        v = org.troupedb.sql.internal.types.PgUuid.fromBytes(buf, pos[0]);
        pos[0] += 16;
      }
      case INT2 -> v = (short) readZigzag(buf, pos);
      case INT4, DATE -> v = (int) readZigzag(buf, pos);
      case INT8, TIMESTAMP, TIMESTAMPTZ, OID, REGCLASS, REGTYPE, REGPROC -> v = readZigzag(buf, pos);
      default -> v = pg.isArray() ? decodeArray(pg.elem(), readBytes(buf, pos))
          : new String(readBytes(buf, pos), StandardCharsets.UTF_8);
    }
    return v;
  }

  /** Puts a retyped column's stored value into the column that now holds it, converted to its type. */
  private static void successor(TableDesc table, ColumnHistory history, ColumnHistory.Former f, Object v,
      Object[] row) {
    for (int hops = 0; f != null && f.successorId() != 0 && hops < 1000; hops++) {
      int idx = table.columnIndexById(f.successorId());
      if (idx >= 0) {
        try {
          row[idx] = table.columns().get(idx).type().coerce(v);
        } catch (org.troupedb.sql.SqlException e) {
          throw new IllegalStateException("stored value of a retyped column does not convert", e);
        }
        return;
      }
      f = history.former(f.successorId());
    }
  }

  static long readVarint(byte[] buf, int[] pos) {
    long v = 0;
    int shift = 0;
    while (true) {
      int b = buf[pos[0]++] & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
      shift += 7;
    }
  }

  private static long readZigzag(byte[] buf, int[] pos) {
    long u = readVarint(buf, pos);
    return (u >>> 1) ^ -(u & 1);
  }

  private static byte[] readBytes(byte[] buf, int[] pos) {
    int n = (int) readVarint(buf, pos);
    byte[] b = new byte[n];
    System.arraycopy(buf, pos[0], b, 0, n);
    pos[0] += n;
    return b;
  }
}
