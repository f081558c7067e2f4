package org.troupedb.sql.internal.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.parser.ast.PgJsonType;

/**
 * A column's SQL type: a {@link PgType} plus length (varchar/char) or precision and scale
 * (numeric); -1 when unspecified.
 *
 * <p>Values travel through the engine in Calcite's internal representation: Boolean, Short,
 * Integer, Long, Float, Double, BigDecimal, String, ByteString (bytea), Integer days since the
 * epoch (date), Long <em>microseconds</em> since the epoch (timestamp, timestamptz in UTC), as
 * PostgreSQL keeps them. NB: Calcite's own timestamp code counts milliseconds; {@link PgTimestampMicros}
 * converts where a plan hands timestamps to it.
 */
public record ColumnType(PgType pg, int precision, int scale) {

  public static ColumnType of(PgType pg) {
    return new ColumnType(pg, -1, -1);
  }

  /** The element type of an array column type (precision and scale are the element's), or null. */
  public ColumnType elemType() {
    return pg.isArray() ? new ColumnType(pg.elem(), precision, scale) : null;
  }

  /** atttypmod as PostgreSQL reports it. */
  public int typmod() {
    if (pg.isArray()) {
      return elemType().typmod();
    }
    return switch (pg) {
      case VARCHAR, BPCHAR -> precision < 0 ? -1 : precision + 4;
      case NUMERIC -> precision < 0 ? -1 : ((precision << 16) | Math.max(scale, 0)) + 4;
      default -> -1;
    };
  }

  /** The SQL spelling, e.g. {@code varchar(10)}. */
  public String sqlName() {
    if (pg.isArray()) {
      return elemType().sqlName() + "[]";
    }
    return switch (pg) {
      case BOOL -> "boolean";
      case INT2 -> "smallint";
      case INT4 -> "integer";
      case INT8 -> "bigint";
      case FLOAT4 -> "real";
      case FLOAT8 -> "double precision";
      case NUMERIC -> precision < 0 ? "numeric" : "numeric(" + precision + "," + Math.max(scale, 0) + ")";
      case VARCHAR -> precision < 0 ? "character varying" : "character varying(" + precision + ")";
      case BPCHAR -> "character(" + Math.max(precision, 1) + ")";
      case TEXT -> "text";
      case BYTEA -> "bytea";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp without time zone";
      case TIMESTAMPTZ -> "timestamp with time zone";
      case UUID -> "uuid";
      case TIME -> "time without time zone";
      case JSON -> "json";
      case JSONB -> "jsonb";
      default -> pg.typname();
    };
  }

  public RelDataType toRelType(RelDataTypeFactory f, boolean nullable) {
    if (pg.isArray()) {
      return f.createTypeWithNullability(f.createArrayType(elemType().toRelType(f, true), -1), nullable);
    }
    RelDataType t = switch (pg) {
      case BOOL -> f.createSqlType(SqlTypeName.BOOLEAN);
      case INT2 -> f.createSqlType(SqlTypeName.SMALLINT);
      case INT4 -> f.createSqlType(SqlTypeName.INTEGER);
      case INT8 -> f.createSqlType(SqlTypeName.BIGINT);
      case FLOAT4 -> f.createSqlType(SqlTypeName.REAL);
      case FLOAT8 -> f.createSqlType(SqlTypeName.DOUBLE);
      case NUMERIC -> precision < 0
          ? f.createSqlType(SqlTypeName.DECIMAL, PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION,
              PgTypeSystem.UNBOUNDED_NUMERIC_SCALE)
          : f.createSqlType(SqlTypeName.DECIMAL, precision, Math.max(scale, 0));
      case VARCHAR -> precision < 0
          ? f.createSqlType(SqlTypeName.VARCHAR)
          : f.createSqlType(SqlTypeName.VARCHAR, precision);
      case BPCHAR -> f.createSqlType(SqlTypeName.CHAR, Math.max(precision, 1));
      case TEXT, NAME, UNKNOWN, CHAR -> f.createSqlType(SqlTypeName.VARCHAR);
      case BYTEA -> f.createSqlType(SqlTypeName.VARBINARY);
      case DATE -> f.createSqlType(SqlTypeName.DATE);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 6);
      case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      case OID, REGCLASS, REGTYPE, REGPROC -> f.createSqlType(SqlTypeName.BIGINT);
      case UUID -> f.createSqlType(SqlTypeName.UUID);
      case TIME -> f.createSqlType(SqlTypeName.TIME, 3);
      case JSON, JSONB -> PgJsonType.of(f, pg, nullable);
      case INTERVAL -> org.troupedb.sql.parser.ast.PgIntervalType.of(f, nullable);
      default -> f.createSqlType(SqlTypeName.VARCHAR);
    };
    return f.createTypeWithNullability(t, nullable);
  }

  /** The column type of a Calcite result type (for RowDescription). */
  public static ColumnType fromRelType(RelDataType t) {
    SqlTypeName n = t.getSqlTypeName();
    return switch (n) {
      case BOOLEAN -> of(PgType.BOOL);
      case TINYINT, SMALLINT -> of(PgType.INT2);
      case INTEGER -> of(PgType.INT4);
      case BIGINT -> of(PgType.INT8);
      case REAL, FLOAT -> of(PgType.FLOAT4);
      case DOUBLE -> of(PgType.FLOAT8);
      case DECIMAL -> t.getPrecision() >= PgTypeSystem.UNBOUNDED_NUMERIC_PRECISION
          ? of(PgType.NUMERIC) : new ColumnType(PgType.NUMERIC, t.getPrecision(), t.getScale());
      case CHAR -> new ColumnType(PgType.BPCHAR, t.getPrecision(), -1);
      case VARCHAR -> org.troupedb.sql.parser.ast.PgIntervalType.is(t) ? of(PgType.INTERVAL)
          : PgJsonType.pgType(t) != null ? of(PgJsonType.pgType(t))
          : t.getPrecision() > 0 && t.getPrecision() < 65536
          ? new ColumnType(PgType.VARCHAR, t.getPrecision(), -1) : of(PgType.TEXT);
      case BINARY, VARBINARY -> of(PgType.BYTEA);
      case DATE -> of(PgType.DATE);
      case TIMESTAMP -> of(PgType.TIMESTAMP);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> of(PgType.TIMESTAMPTZ);
      case NULL -> of(PgType.TEXT);
      case ARRAY -> ArrayTypes.columnTypeOf(t);
      case UUID -> of(PgType.UUID);
      case TIME -> of(PgType.TIME);
      case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH, INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE,
          INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE, INTERVAL_HOUR_SECOND, INTERVAL_MINUTE,
          INTERVAL_MINUTE_SECOND, INTERVAL_SECOND -> of(PgType.INTERVAL);
      default -> of(PgType.TEXT);
    };
  }

  /** Converts a Calcite internal value to the Java class {@link PgType} documents. */
  public Object toExternal(Object v) {
    if (v == null) {
      return null;
    }
    if (pg.isArray() && v instanceof java.util.List<?> list) {
      ColumnType e = elemType();
      List<Object> out = new ArrayList<>(list.size());
      for (Object x : list) {
        out.add(e.toExternal(x));
      }
      return out;
    }
    return switch (pg) {
      case BOOL -> (Boolean) v;
      case INT2 -> ((Number) v).shortValue();
      case INT4 -> ((Number) v).intValue();
      case INT8 -> ((Number) v).longValue();
      case FLOAT4 -> ((Number) v).floatValue();
      case FLOAT8 -> ((Number) v).doubleValue();
      case NUMERIC -> v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
      case BYTEA -> v instanceof ByteString b ? b.getBytes() : (byte[]) v;
      case DATE -> LocalDate.ofEpochDay(((Number) v).longValue());
      case TIMESTAMP -> LocalDateTime.ofInstant(instant(((Number) v).longValue()), ZoneOffset.UTC);
      case TIMESTAMPTZ -> OffsetDateTime.ofInstant(instant(((Number) v).longValue()), ZoneOffset.UTC);
      case UUID -> v instanceof java.util.UUID u ? u : java.util.UUID.fromString(v.toString());
      case TIME -> v instanceof java.time.LocalTime t ? t : PgTime.toLocalTime(((Number) v).intValue());
      // Calcite: year-month intervals are months (Integer), day-time intervals milliseconds (Long);
      // PostgreSQL keeps whole days apart from the time of day.
      case INTERVAL -> v instanceof org.troupedb.sql.Interval iv ? iv
          : v instanceof String s ? PgIntervalMath.decodeUnchecked(s) : v instanceof Integer months
          ? new org.troupedb.sql.Interval(months, 0, 0)
          : new org.troupedb.sql.Interval(0, Math.toIntExact(((Number) v).longValue() / 86_400_000L),
              ((Number) v).longValue() % 86_400_000L * 1000L);
      default -> v instanceof java.util.List<?> array
          ? org.troupedb.sql.internal.types.PgArrayText.format(array) : v.toString();
    };
  }

  /**
   * Converts a value (external Java class, Calcite internal, or a String to be parsed) into this
   * type's internal representation, enforcing range, length and scale as PostgreSQL does.
   */
  public Object coerce(Object v) throws SqlException {
    if (v == null) {
      return null;
    }
    if (pg.isArray()) {
      return ArrayTypes.coerce(this, v);
    }
    try {
      return switch (pg) {
        case BOOL -> v instanceof Boolean b ? b : parseBool(v.toString());
        case INT2 -> (short) checkedLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
        case INT4 -> (int) checkedLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
        case INT8 -> checkedLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
        case FLOAT4 -> v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString().trim());
        case FLOAT8 -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        case NUMERIC -> numeric(v);
        case VARCHAR, BPCHAR -> string(v);
        case JSON -> PgJson.checkJson(v instanceof ByteString b ? b.toString() : v.toString());
        case JSONB -> PgJson.normalise(v instanceof ByteString b ? b.toString() : v.toString());
        case TEXT, NAME, CHAR, UNKNOWN -> v instanceof ByteString b ? b.toString() : v.toString();
        case BYTEA -> v instanceof ByteString b ? b
            : v instanceof byte[] a ? new ByteString(a) : new ByteString(parseBytea(v.toString()));
        case DATE -> v instanceof LocalDate d ? (int) d.toEpochDay()
            : v instanceof Number n ? n.intValue() : (int) LocalDate.parse(v.toString().trim()).toEpochDay();
        case TIMESTAMP, TIMESTAMPTZ -> timestamp(v);
        case UUID -> v instanceof java.util.UUID u ? u
            : v instanceof byte[] b && b.length == 16 ? PgUuid.fromBytes(b, 0) : PgUuid.parse(v.toString());
        case INTERVAL -> PgIntervalText.encode(v instanceof org.troupedb.sql.Interval iv ? iv
            : v instanceof Integer months ? new org.troupedb.sql.Interval(months, 0, 0)
            : v instanceof Long millis ? PgIntervalMath.justifyHours(new org.troupedb.sql.Interval(0, 0, millis * 1000))
            : PgIntervalText.decode(v instanceof ByteString b ? b.toString() : v.toString()));
        case TIME -> v instanceof java.time.LocalTime t ? PgTime.millis(t)
            : v instanceof Number n ? n.intValue()
            : v instanceof org.apache.calcite.util.TimeString t ? t.getMillisOfDay() : PgTime.parse(v.toString());
        default -> v;
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
          "invalid input syntax for type " + sqlName() + ": \"" + v + "\"");
    }
  }

  /**
   * PostgreSQL bytea input: the hex format (backslash, x, then hex digit pairs, whitespace between
   * pairs allowed) or the escape format (two backslashes for one, backslash and three octal digits
   * for a byte, other characters as their UTF-8 bytes).
   */
  public static byte[] parseBytea(String s) throws SqlException {
    if (s.startsWith("\\x") || s.startsWith("\\X")) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int i = 2;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        int hi = Character.digit(c, 16);
        if (hi < 0) {
          throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
              "invalid hexadecimal digit: \"" + c + "\"");
        }
        if (i + 1 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0) {
          throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, i + 1 >= s.length()
              ? "invalid hexadecimal data: odd number of digits"
              : "invalid hexadecimal digit: \"" + s.charAt(i + 1) + "\"");
        }
        out.write(hi << 4 | Character.digit(s.charAt(i + 1), 16));
        i += 2;
      }
      return out.toByteArray();
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] != '\\') {
        out.write(utf8[i]);
      } else if (i + 1 < utf8.length && utf8[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < utf8.length && utf8[i + 1] >= '0' && utf8[i + 1] <= '3'
          && utf8[i + 2] >= '0' && utf8[i + 2] <= '7' && utf8[i + 3] >= '0' && utf8[i + 3] <= '7') {
        out.write((utf8[i + 1] - '0') << 6 | (utf8[i + 2] - '0') << 3 | (utf8[i + 3] - '0'));
        i += 3;
      } else {
        throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea");
      }
    }
    return out.toByteArray();
  }

  private static boolean parseBool(String s) throws SqlException {
    return switch (s.trim().toLowerCase()) {
      case "t", "true", "yes", "y", "on", "1" -> true;
      case "f", "false", "no", "n", "off", "0" -> false;
      default -> throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
          "invalid input syntax for type boolean: \"" + s + "\"");
    };
  }

  private long checkedLong(Object v, long min, long max, String name) throws SqlException {
    BigDecimal d;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long l = ((Number) v).longValue();
      if (l < min || l > max) {
        throw outOfRange(name);
      }
      return l;
    } else if (v instanceof BigDecimal b) {
      d = b;
    } else if (v instanceof Number n) {
      double x = n.doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        throw outOfRange(name);
      }
      d = BigDecimal.valueOf(x);
    } else {
      String s = v.toString().trim();
      if (s.contains(".") || s.contains("e") || s.contains("E")) {
        throw new NumberFormatException(s);
      }
      d = new BigDecimal(s);
    }
    d = d.setScale(0, RoundingMode.HALF_UP);
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw outOfRange(name);
    }
    return d.longValueExact();
  }

  private static SqlException outOfRange(String name) {
    return new SqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, name + " out of range");
  }

  private BigDecimal numeric(Object v) throws SqlException {
    BigDecimal d = v instanceof BigDecimal b ? b
        : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
        : v instanceof Number n ? BigDecimal.valueOf(n.longValue())
        : new BigDecimal(v.toString().trim());
    if (precision > 0) {
      int s = Math.max(scale, 0);
      d = d.setScale(s, RoundingMode.HALF_UP);
      if (d.precision() - d.scale() > precision - s) {
        throw new SqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow",
            "A field with precision " + precision + ", scale " + s
                + " must round to an absolute value less than 10^" + (precision - s) + ".",
            null, null);
      }
    }
    return d;
  }

  private String string(Object v) throws SqlException {
    String s = v instanceof ByteString b ? b.toString() : v.toString();
    if (precision > 0 && s.codePointCount(0, s.length()) > precision) {
      String trimmed = s.stripTrailing();
      if (trimmed.codePointCount(0, trimmed.length()) <= precision) {
        s = trimmed;
      } else {
        throw new SqlException(SqlState.STRING_DATA_RIGHT_TRUNCATION,
            "value too long for type " + sqlName());
      }
    }
    if (pg == PgType.BPCHAR) {
      int n = Math.max(precision, 1);
      StringBuilder sb = new StringBuilder(s);
      while (sb.length() < n) {
        sb.append(' ');
      }
      s = sb.toString();
    }
    return s;
  }

  /** The instant of a count of microseconds since the epoch. */
  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Microseconds since the epoch of an instant (sub-microsecond digits dropped). */
  public static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  private static long timestamp(Object v) {
    if (v instanceof LocalDateTime t) {
      return micros(t.toInstant(ZoneOffset.UTC));
    } else if (v instanceof OffsetDateTime t) {
      return micros(t.toInstant());
    } else if (v instanceof LocalDate d) {
      return d.toEpochDay() * 86_400_000_000L;
    } else if (v instanceof org.apache.calcite.util.TimestampString t) {
      return micros(LocalDateTime.parse(t.toString().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    } else if (v instanceof Number n) {
      return n.longValue();
    }
    String s = v.toString().trim().replace(' ', 'T');
    if (s.length() == 10) {
      return LocalDate.parse(s).toEpochDay() * 86_400_000_000L;
    }
    try {
      return micros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      String z = s.matches(".*[+-]\\d\\d$") ? s + ":00" : s;
      return micros(OffsetDateTime.parse(z).toInstant());
    }
  }

  /** The result columns of a row type, as a client sees them. */
  public static List<ColumnInfo> columnsOf(RelDataType rowType) {
    List<ColumnInfo> cols = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      ColumnType ct = ColumnType.fromRelType(f.getType());
      cols.add(new ColumnInfo(f.getName(), ct.pg(), ct.typmod(), 0, (short) 0));
    }
    return cols;
  }

  /** A value (internal representation) in PostgreSQL's text output format, for messages. */
  public static String text(ColumnType type, Object v) {
    Object x = type.toExternal(v);
    if (x == null) {
      return "null";
    }
    if (x instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (x instanceof java.time.LocalDateTime ts) {
      return ts.format(TIMESTAMP);
    }
    if (x instanceof java.time.OffsetDateTime ts) {
      return ts.toLocalDateTime().format(TIMESTAMP) + "+00";
    }
    if (x instanceof byte[] b) {
      return "\\x" + java.util.HexFormat.of().formatHex(b);
    }
    return x.toString();
  }

  private static final java.time.format.DateTimeFormatter TIMESTAMP = new java.time.format.DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(java.time.temporal.ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
      .toFormatter();
}
