package org.troupedb.sql;

/**
 * The PostgreSQL types TroupeDB speaks, with their OIDs and the Java class that carries a value of
 * the type between the SQL layer and pgwire:
 *
 * <pre>
 *   BOOL Boolean   INT2 Short   INT4 Integer   INT8 Long   FLOAT4 Float   FLOAT8 Double
 *   NUMERIC BigDecimal   TEXT/VARCHAR/BPCHAR/NAME/UNKNOWN String   BYTEA byte[]
 *   DATE LocalDate   TIMESTAMP LocalDateTime   TIMESTAMPTZ OffsetDateTime (UTC offset)
 *   OID/REGCLASS/REGTYPE/REGPROC Long   CHAR (the 1-byte "char") String   INTERVAL org.troupedb.sql.Interval
 *   UUID java.util.UUID   TIME LocalTime   JSON/JSONB String (jsonb normalised, see PgJson)
 *   arrays (INT4_ARRAY, …) java.util.List of the element's class, NULL elements as null
 * </pre>
 */
public enum PgType {
  BOOL(16, "bool", 1),
  BYTEA(17, "bytea", -1),
  CHAR(18, "char", 1),
  NAME(19, "name", 64),
  INT8(20, "int8", 8),
  INT2(21, "int2", 2),
  INT4(23, "int4", 4),
  REGPROC(24, "regproc", 4),
  TEXT(25, "text", -1),
  OID(26, "oid", 4),
  FLOAT4(700, "float4", 4),
  FLOAT8(701, "float8", 8),
  UNKNOWN(705, "unknown", -2),
  BPCHAR(1042, "bpchar", -1),
  VARCHAR(1043, "varchar", -1),
  DATE(1082, "date", 4),
  TIME(1083, "time", 8),
  TIMESTAMP(1114, "timestamp", 8),
  TIMESTAMPTZ(1184, "timestamptz", 8),
  INTERVAL(1186, "interval", 16),
  NUMERIC(1700, "numeric", -1),
  UUID(2950, "uuid", 16),
  JSON(114, "json", -1),
  JSONB(3802, "jsonb", -1),
  REGCLASS(2205, "regclass", 4),
  REGTYPE(2206, "regtype", 4),
  // One-dimensional arrays of the scalar types, carried as a java.util.List of their elements'
  // classes (null elements kept); see elem() and ArrayTypes.
  BOOL_ARRAY(1000, "_bool", -1),
  INT2_ARRAY(1005, "_int2", -1),
  INT4_ARRAY(1007, "_int4", -1),
  TEXT_ARRAY(1009, "_text", -1),
  BPCHAR_ARRAY(1014, "_bpchar", -1),
  VARCHAR_ARRAY(1015, "_varchar", -1),
  INT8_ARRAY(1016, "_int8", -1),
  FLOAT4_ARRAY(1021, "_float4", -1),
  FLOAT8_ARRAY(1022, "_float8", -1),
  TIMESTAMP_ARRAY(1115, "_timestamp", -1),
  DATE_ARRAY(1182, "_date", -1),
  TIME_ARRAY(1183, "_time", -1),
  TIMESTAMPTZ_ARRAY(1185, "_timestamptz", -1),
  NUMERIC_ARRAY(1231, "_numeric", -1),
  UUID_ARRAY(2951, "_uuid", -1);

  private final int oid;
  private final String typname;
  private final int length;

  PgType(int oid, String typname, int length) {
    this.oid = oid;
    this.typname = typname;
    this.length = length;
  }

  public int oid() {
    return oid;
  }

  /** pg_type.typname. */
  public String typname() {
    return typname;
  }

  /** pg_type.typlen (-1 variable length, -2 C string). */
  public int length() {
    return length;
  }

  /** The element type of an array type, or null for a scalar type. */
  public PgType elem() {
    return switch (this) {
      case BOOL_ARRAY -> BOOL;
      case INT2_ARRAY -> INT2;
      case INT4_ARRAY -> INT4;
      case TEXT_ARRAY -> TEXT;
      case BPCHAR_ARRAY -> BPCHAR;
      case VARCHAR_ARRAY -> VARCHAR;
      case INT8_ARRAY -> INT8;
      case FLOAT4_ARRAY -> FLOAT4;
      case FLOAT8_ARRAY -> FLOAT8;
      case TIMESTAMP_ARRAY -> TIMESTAMP;
      case DATE_ARRAY -> DATE;
      case TIME_ARRAY -> TIME;
      case TIMESTAMPTZ_ARRAY -> TIMESTAMPTZ;
      case NUMERIC_ARRAY -> NUMERIC;
      case UUID_ARRAY -> UUID;
      default -> null;
    };
  }

  /** The one-dimensional array type of this element type (pg_type.typarray), or null. */
  public PgType arrayType() {
    for (PgType t : values()) {
      if (t.elem() == this) {
        return t;
      }
    }
    return null;
  }

  /** True for an array type. */
  public boolean isArray() {
    return elem() != null;
  }

  /** The type with this OID, or null if TroupeDB does not know it. */
  public static PgType ofOid(int oid) {
    for (PgType t : values()) {
      if (t.oid == oid) {
        return t;
      }
    }
    return null;
  }
}
