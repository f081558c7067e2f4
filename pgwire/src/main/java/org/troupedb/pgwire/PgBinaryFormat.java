package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.troupedb.sql.Interval;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * PostgreSQL binary format (the {@code typsend}/{@code typreceive} layouts) of every {@link
 * PgType}. All integers are big-endian.
 *
 * <pre>
 *   bool        1 byte 0/1            int2/int4/int8  2/4/8 bytes
 *   float4/8    IEEE 754 bits         oid/reg*        uint32
 *   date        int32 days since 2000-01-01          (±infinity: INT32 max/min)
 *   timestamp   int64 µs since 2000-01-01 00:00:00   (timestamptz: in UTC; ±infinity: INT64 max/min)
 *   interval    int64 µs | int32 days | int32 months
 *   uuid        16 bytes, most significant first
 *   time        int64 µs since midnight
 *   jsonb       1 byte version (1) | the text, UTF-8      json  the text, UTF-8
 *   numeric     int16 ndigits | int16 weight | int16 sign (0 +, 0x4000 -, 0xC000 NaN) | int16 dscale
 *               | int16 digit[ndigits]   (base 10000, value = Σ digit[i]·10000^(weight-i))
 *   text types  UTF-8 bytes           bytea  raw bytes      "char"  1 byte
 *   arrays      see PgArrayFormat
 * </pre>
 */
final class PgBinaryFormat {
  private PgBinaryFormat() {}

  static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
  static final LocalDateTime PG_EPOCH = PG_EPOCH_DATE.atStartOfDay();
  private static final int NUMERIC_POS = 0x0000;
  private static final int NUMERIC_NEG = 0x4000;
  private static final int NUMERIC_NAN = 0xC000;
  private static final BigInteger NBASE = BigInteger.valueOf(10000);

  /** Appends the binary form of {@code value} (not null), without its length prefix. */
  static void encode(PgType type, Object value, ByteBuf out) {
    switch (type) {
      case BOOL -> out.writeByte(((Boolean) value) ? 1 : 0);
      case INT2 -> out.writeShort(((Number) value).shortValue());
      case INT4 -> out.writeInt(((Number) value).intValue());
      case INT8 -> out.writeLong(((Number) value).longValue());
      case OID, REGCLASS, REGTYPE, REGPROC -> out.writeInt((int) ((Number) value).longValue());
      case FLOAT4 -> out.writeFloat(((Number) value).floatValue());
      case FLOAT8 -> out.writeDouble(((Number) value).doubleValue());
      case NUMERIC -> encodeNumeric((BigDecimal) value, out);
      case BYTEA -> out.writeBytes((byte[]) value);
      case DATE -> out.writeInt(dateToDays((LocalDate) value));
      case TIMESTAMP -> out.writeLong(timestampToMicros((LocalDateTime) value));
      case TIMESTAMPTZ -> {
        OffsetDateTime t = (OffsetDateTime) value;
        out.writeLong(t.equals(OffsetDateTime.MAX) ? Long.MAX_VALUE
            : t.equals(OffsetDateTime.MIN) ? Long.MIN_VALUE
            : timestampToMicros(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()));
      }
      case TIME -> out.writeLong(((java.time.LocalTime) value).toNanoOfDay() / 1000L);
      case JSONB -> {
        out.writeByte(1);
        out.writeCharSequence(value.toString(), StandardCharsets.UTF_8);
      }
      case UUID -> {
        java.util.UUID u = (java.util.UUID) value;
        out.writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
      }
      case INTERVAL -> {
        Interval iv = (Interval) value;
        out.writeLong(iv.micros()).writeInt(iv.days()).writeInt(iv.months());
      }
      case CHAR -> {
        byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
        out.writeByte(b.length == 0 ? 0 : b[0]);
      }
      default -> {
        if (type.isArray()) {
          PgArrayFormat.encodeBinary(type, value, out);
        } else {
          out.writeCharSequence(value.toString(), StandardCharsets.UTF_8);
        }
      }
    }
  }

  /**
   * Decodes a binary parameter of {@code type} from {@code in} (exactly its bytes).
   *
   * @throws SqlException 22P03 if the length or content does not fit the type
   */
  static Object decode(PgType type, ByteBuf in) throws SqlException {
    int n = in.readableBytes();
    try {
      Object v = switch (type) {
        case BOOL -> { need(n, 1); yield in.readByte() != 0; }
        case INT2 -> { need(n, 2); yield in.readShort(); }
        case INT4 -> { need(n, 4); yield in.readInt(); }
        case INT8 -> { need(n, 8); yield in.readLong(); }
        case OID, REGCLASS, REGTYPE, REGPROC -> { need(n, 4); yield in.readUnsignedInt(); }
        case FLOAT4 -> { need(n, 4); yield in.readFloat(); }
        case FLOAT8 -> { need(n, 8); yield in.readDouble(); }
        case NUMERIC -> decodeNumeric(in);
        case BYTEA -> { byte[] b = new byte[n]; in.readBytes(b); yield b; }
        case DATE -> { need(n, 4); yield daysToDate(in.readInt()); }
        case TIMESTAMP -> { need(n, 8); yield microsToTimestamp(in.readLong()); }
        case TIMESTAMPTZ -> {
          need(n, 8);
          long us = in.readLong();
          yield us == Long.MAX_VALUE ? OffsetDateTime.MAX : us == Long.MIN_VALUE ? OffsetDateTime.MIN
              : microsToTimestamp(us).atOffset(ZoneOffset.UTC);
        }
        case TIME -> {
          need(n, 8);
          yield java.time.LocalTime.ofNanoOfDay(in.readLong() * 1000L);
        }
        case JSONB -> {
          if (n < 1 || in.readByte() != 1) {
            throw new SqlException(SqlState.INVALID_BINARY_REPRESENTATION, "unsupported jsonb version number");
          }
          try {
            yield PgFrontendMessages.utf8(in, n - 1);
          } catch (java.nio.charset.CharacterCodingException e) {
            throw badBinary(type);
          }
        }
        case UUID -> {
          need(n, 16);
          long hi = in.readLong();
          yield new java.util.UUID(hi, in.readLong());
        }
        case INTERVAL -> {
          need(n, 16);
          long us = in.readLong();
          int days = in.readInt();
          yield new Interval(in.readInt(), days, us);
        }
        default -> {
          if (type.isArray()) {
            yield PgArrayFormat.decodeBinary(type, in);
          }
          try {
            yield PgFrontendMessages.utf8(in, n);
          } catch (java.nio.charset.CharacterCodingException e) {
            throw badBinary(type);
          }
        }
      };
      if (in.isReadable()) {
        throw badBinary(type);
      }
      return v;
    } catch (IndexOutOfBoundsException | ArithmeticException | java.time.DateTimeException e) {
      throw badBinary(type);
    }
  }

  private static void need(int have, int want) {
    if (have != want) {
      throw new IndexOutOfBoundsException();
    }
  }

  static SqlException badBinary(PgType type) {
    return new SqlException(
        SqlState.INVALID_BINARY_REPRESENTATION,
        "incorrect binary data format in bind parameter of type " + type.typname());
  }

  static int dateToDays(LocalDate d) {
    if (d.equals(LocalDate.MAX)) {
      return Integer.MAX_VALUE;
    }
    if (d.equals(LocalDate.MIN)) {
      return Integer.MIN_VALUE;
    }
    return Math.toIntExact(ChronoUnit.DAYS.between(PG_EPOCH_DATE, d));
  }

  static LocalDate daysToDate(int days) {
    return days == Integer.MAX_VALUE ? LocalDate.MAX
        : days == Integer.MIN_VALUE ? LocalDate.MIN : PG_EPOCH_DATE.plusDays(days);
  }

  static long timestampToMicros(LocalDateTime t) {
    if (t.equals(LocalDateTime.MAX)) {
      return Long.MAX_VALUE;
    }
    if (t.equals(LocalDateTime.MIN)) {
      return Long.MIN_VALUE;
    }
    return ChronoUnit.MICROS.between(PG_EPOCH, t);
  }

  static LocalDateTime microsToTimestamp(long us) {
    if (us == Long.MAX_VALUE) {
      return LocalDateTime.MAX;
    }
    if (us == Long.MIN_VALUE) {
      return LocalDateTime.MIN;
    }
    return PG_EPOCH.plus(us, ChronoUnit.MICROS);
  }

  static void encodeNumeric(BigDecimal v, ByteBuf out) {
    int dscale = Math.max(v.scale(), 0);
    BigInteger unscaled = v.unscaledValue().abs();
    int scale = v.scale();
    if (scale < 0) {
      unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
      scale = 0;
    }
    // Align the fraction to whole base-10000 digits: pad to a multiple of 4 decimal places.
    int padded = (scale + 3) / 4 * 4;
    unscaled = unscaled.multiply(BigInteger.TEN.pow(padded - scale));
    int fracGroups = padded / 4;
    // Base-10000 digits, least significant first.
    java.util.ArrayList<Integer> groups = new java.util.ArrayList<>();
    while (unscaled.signum() > 0) {
      BigInteger[] qr = unscaled.divideAndRemainder(NBASE);
      groups.add(qr[1].intValue());
      unscaled = qr[0];
    }
    int lo = 0;
    while (lo < groups.size() && groups.get(lo) == 0) {
      lo++; // trailing zero digits are implied by weight and dscale
    }
    int ndigits = groups.size() - lo;
    int weight = groups.size() - fracGroups - 1;
    if (ndigits == 0) {
      weight = 0;
    }
    out.writeShort(ndigits).writeShort(weight)
        .writeShort(v.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS).writeShort(dscale);
    for (int i = groups.size() - 1; i >= lo; i--) {
      out.writeShort(groups.get(i));
    }
  }

  static BigDecimal decodeNumeric(ByteBuf in) throws SqlException {
    int ndigits = in.readUnsignedShort();
    short weight = in.readShort();
    int sign = in.readUnsignedShort();
    int dscale = in.readUnsignedShort();
    if (sign == NUMERIC_NAN) {
      throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED, "numeric NaN is not supported");
    }
    if ((sign != NUMERIC_POS && sign != NUMERIC_NEG) || dscale > 0x3FFF) {
      throw badBinary(PgType.NUMERIC);
    }
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < ndigits; i++) {
      int d = in.readUnsignedShort();
      if (d >= 10000) {
        throw badBinary(PgType.NUMERIC);
      }
      acc = acc.multiply(NBASE).add(BigInteger.valueOf(d));
    }
    // acc holds digits whose last one has weight (weight - ndigits + 1).
    BigDecimal v = new BigDecimal(acc).scaleByPowerOfTen(4 * (weight - ndigits + 1));
    v = v.setScale(dscale, RoundingMode.DOWN);
    return sign == NUMERIC_NEG ? v.negate() : v;
  }

  /** A fresh heap buffer holding exactly {@code bytes}, for decoding a parameter. */
  static ByteBuf wrap(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }
}
