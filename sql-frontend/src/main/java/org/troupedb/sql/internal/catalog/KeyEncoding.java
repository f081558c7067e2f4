package org.troupedb.sql.internal.catalog;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.calcite.avatica.util.ByteString;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * Order-preserving key encoding: for two values of one column type, the unsigned byte order of
 * their encodings equals their SQL order; a descending column's bytes are inverted.
 *
 * <pre>
 *   NULL        00                         (nulls first)
 *   bool        01 | 00/01
 *   int2/4/8    02 | 8 bytes big-endian, sign bit flipped
 *   float4/8    03 | 8 bytes: double bits, negatives inverted, else sign bit set
 *   numeric     04 negative | 05 zero | 06 positive, then exponent (4 bytes, sign flipped)
 *               and digits+1 ending 00 (for negatives: exponent and digits inverted, ending FF)
 *   text/bytea  07 | bytes with 00 escaped as 00 FF, terminated 00 01
 *   date        08 | 8-byte day number;   timestamp(tz)  09 | 8-byte epoch milliseconds
 *   uuid        0A | 16 bytes big-endian (PostgreSQL orders uuids by these bytes, unsigned)
 *   time        0B | 8-byte microseconds since midnight (values hold milliseconds today)
 * </pre>
 */
public final class KeyEncoding {
  private KeyEncoding() {}

  /** Appends the encoding of {@code v} (internal representation of {@code t}). */
  public static void encode(ByteArrayOutputStream out, ColumnType t, Object v, boolean descending) {
    if (!descending) {
      encodeAsc(out, t, v);
      return;
    }
    ByteArrayOutputStream tmp = new ByteArrayOutputStream();
    encodeAsc(tmp, t, v);
    for (byte b : tmp.toByteArray()) {
      out.write(~b & 0xFF);
    }
  }

  private static void encodeAsc(ByteArrayOutputStream out, ColumnType t, Object v) {
    if (v == null) {
      out.write(0x00);
      return;
    }
    switch (t.pg()) {
      case BOOL -> {
        out.write(0x01);
        out.write((Boolean) v ? 1 : 0);
      }
      case INT2, INT4, INT8, OID, REGCLASS, REGTYPE, REGPROC -> {
        out.write(0x02);
        writeLong(out, ((Number) v).longValue() ^ Long.MIN_VALUE);
      }
      case FLOAT4, FLOAT8 -> {
        out.write(0x03);
        double d = ((Number) v).doubleValue();
        if (d == 0.0) {
          d = 0.0; // -0.0 sorts with 0.0
        }
        long bits = Double.doubleToLongBits(d);
        writeLong(out, bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
      }
      case NUMERIC -> encodeNumeric(out, (BigDecimal) v);
      case BYTEA -> {
        out.write(0x07);
        writeBytes(out, ((ByteString) v).getBytes());
      }
      case DATE -> {
        out.write(0x08);
        writeLong(out, ((Number) v).longValue() ^ Long.MIN_VALUE);
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        out.write(0x09);
        writeLong(out, ((Number) v).longValue() ^ Long.MIN_VALUE);
      }
      case TIME -> {
        out.write(0x0B);
        writeLong(out, ((Number) v).longValue() * 1000L ^ Long.MIN_VALUE);
      }
      case UUID -> {
        out.write(0x0A);
        out.write(org.troupedb.sql.internal.types.PgUuid.bytes((java.util.UUID) v), 0, 16);
      }
      default -> {
        out.write(0x07);
        writeBytes(out, v.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void encodeNumeric(ByteArrayOutputStream out, BigDecimal d) {
    int sign = d.signum();
    if (sign == 0) {
      out.write(0x05);
      return;
    }
    BigDecimal a = d.abs().stripTrailingZeros();
    String digits = a.unscaledValue().toString();
    int exponent = digits.length() - a.scale(); // value = 0.digits * 10^exponent
    boolean neg = sign < 0;
    out.write(neg ? 0x04 : 0x06);
    int e = exponent ^ Integer.MIN_VALUE;
    if (neg) {
      e = ~e;
    }
    out.write(e >>> 24);
    out.write(e >>> 16);
    out.write(e >>> 8);
    out.write(e);
    for (int i = 0; i < digits.length(); i++) {
      int b = digits.charAt(i) - '0' + 1;
      out.write(neg ? ~b & 0xFF : b);
    }
    out.write(neg ? 0xFF : 0x00);
  }

  private static void writeLong(ByteArrayOutputStream out, long l) {
    for (int i = 56; i >= 0; i -= 8) {
      out.write((int) (l >>> i));
    }
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
    for (byte b : bytes) {
      out.write(b);
      if (b == 0) {
        out.write(0xFF);
      }
    }
    out.write(0x00);
    out.write(0x01);
  }

  /** A cursor over an encoded key. */
  public static final class Reader {
    private final byte[] buf;
    private int pos;

    public Reader(byte[] buf, int pos) {
      this.buf = buf;
      this.pos = pos;
    }

    public int position() {
      return pos;
    }

    private int next(boolean desc) {
      int b = buf[pos++] & 0xFF;
      return desc ? ~b & 0xFF : b;
    }

    private long readLong(boolean desc) {
      long l = 0;
      for (int i = 0; i < 8; i++) {
        l = (l << 8) | next(desc);
      }
      return l;
    }

    /** Decodes one value of type {@code t}. */
    public Object read(ColumnType t, boolean desc) {
      int marker = next(desc);
      switch (marker) {
        case 0x00:
          return null;
        case 0x01:
          return next(desc) == 1;
        case 0x02: {
          long l = readLong(desc) ^ Long.MIN_VALUE;
          return switch (t.pg()) {
            case INT2 -> (short) l;
            case INT4 -> (int) l;
            default -> l;
          };
        }
        case 0x03: {
          long bits = readLong(desc);
          bits = bits < 0 ? bits ^ Long.MIN_VALUE : ~bits;
          double d = Double.longBitsToDouble(bits);
          return t.pg() == org.troupedb.sql.PgType.FLOAT4 ? (Object) (float) d : (Object) d;
        }
        case 0x04:
        case 0x06: {
          boolean neg = marker == 0x04;
          int e = 0;
          for (int i = 0; i < 4; i++) {
            e = (e << 8) | next(desc);
          }
          if (neg) {
            e = ~e;
          }
          e ^= Integer.MIN_VALUE;
          StringBuilder digits = new StringBuilder();
          while (true) {
            int b = next(desc);
            if (neg) {
              b = ~b & 0xFF;
            }
            if (b == 0) {
              break;
            }
            digits.append((char) ('0' + b - 1));
          }
          BigDecimal v = new BigDecimal(new BigInteger(digits.toString()), digits.length() - e);
          if (neg) {
            v = v.negate();
          }
          if (t.scale() >= 0 && t.precision() > 0) {
            v = v.setScale(t.scale());
          }
          return v;
        }
        case 0x05:
          return t.scale() > 0 && t.precision() > 0 ? BigDecimal.ZERO.setScale(t.scale()) : BigDecimal.ZERO;
        case 0x07: {
          ByteArrayOutputStream o = new ByteArrayOutputStream();
          while (true) {
            int b = next(desc);
            if (b == 0) {
              int c = next(desc);
              if (c == 0x01) {
                break;
              }
              o.write(0);
            } else {
              o.write(b);
            }
          }
          byte[] bytes = o.toByteArray();
          return t.pg() == org.troupedb.sql.PgType.BYTEA
              ? new ByteString(bytes) : new String(bytes, StandardCharsets.UTF_8);
        }
        case 0x08:
          return (int) (readLong(desc) ^ Long.MIN_VALUE);
        case 0x09:
          return readLong(desc) ^ Long.MIN_VALUE;
        case 0x0B:
          return (int) ((readLong(desc) ^ Long.MIN_VALUE) / 1000L);
        case 0x0A: {
          long hi = readLong(desc);
          return new java.util.UUID(hi, readLong(desc));
        }
        default:
          throw new IllegalStateException("bad key marker " + marker + " at " + (pos - 1));
      }
    }
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if ((end[i] & 0xFF) != 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
  }

  /** Appends an unsigned, order-preserving identifier (table, index or sequence id). */
  public static void writeId(ByteArrayOutputStream out, long id) {
    // 1 length byte then big-endian bytes: shorter ids sort first, ids of equal length by value.
    int n = 8 - Long.numberOfLeadingZeros(id) / 8;
    out.write(n);
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (id >>> (8 * i)));
    }
  }

  /**
   * The id written by {@link #writeId} at {@code pos} of {@code key}, or -1 if the key is too
   * short to hold one.
   */
  public static long readId(byte[] key, int pos) {
    if (pos >= key.length) {
      return -1;
    }
    int n = key[pos] & 0xFF;
    if (n > 8 || pos + 1 + n > key.length) {
      return -1;
    }
    long id = 0;
    for (int i = 1; i <= n; i++) {
      id = (id << 8) | (key[pos + i] & 0xFF);
    }
    return id;
  }
}
