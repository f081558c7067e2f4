package org.troupedb.sql.parser.ast;

import static org.apache.calcite.util.Static.RESOURCE;

import java.util.Locale;
import java.util.Objects;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;
import org.troupedb.sql.PgType;

/**
 * A PostgreSQL type name as written in DDL or a cast, normalised to its {@code pg_type.typname}
 * ({@code INT} and {@code INTEGER} become {@code int4}, {@code CHARACTER VARYING(n)} becomes
 * {@code varchar} with precision n, {@code SERIAL} becomes {@code int4} with {@link #serial()}).
 * Type names the parser does not know (e.g. {@code jsonb}) keep their lower-cased name and have
 * no {@link #pgType()}. {@link #deriveType} maps the name onto a Calcite type so a validator
 * accepts casts to it.
 */
public final class SqlPgTypeNameSpec extends SqlTypeNameSpec {
  /** PostgreSQL types TroupeDB does not have yet: 0A000 naming them, not 42704 or 42601. */
  public static final java.util.Set<String> UNSUPPORTED_PG_TYPES = java.util.Set.of(
      "timetz", "inet", "cidr", "macaddr", "money", "xml", "point", "bit", "varbit", "tsvector",
      "int4range", "int8range", "daterange", "tsrange", "tstzrange");

  /** Precision or scale that was not given. */
  public static final int UNSPECIFIED = -1;

  private final String typeName;
  private final int precision;
  private final int scale;
  private final boolean serial;

  public SqlPgTypeNameSpec(String typeName, int precision, int scale, boolean serial,
      SqlParserPos pos) {
    super(new SqlIdentifier(typeName, pos), pos);
    this.typeName = typeName.toLowerCase(Locale.ROOT);
    this.precision = precision;
    this.scale = scale;
    this.serial = serial;
  }

  /** The {@code pg_type.typname}, e.g. {@code int4}, {@code varchar}, {@code timestamptz}. */
  public String typeName() {
    return typeName;
  }

  /** Length, or numeric precision; {@link #UNSPECIFIED} if absent. */
  public int precision() {
    return precision;
  }

  /** Numeric scale; {@link #UNSPECIFIED} if absent. */
  public int scale() {
    return scale;
  }

  /** True for SERIAL, BIGSERIAL, SMALLSERIAL (and SERIAL2/4/8): an integer with a sequence default. */
  public boolean serial() {
    return serial;
  }

  /** True for a one-dimensional array type ({@code int4[]}, {@code integer ARRAY}). */
  public boolean isArray() {
    return typeName.endsWith("[]");
  }

  /** The element type of an array type ({@code varchar(10)} of {@code varchar(10)[]}), or null. */
  public SqlPgTypeNameSpec elementSpec() {
    return isArray() ? new SqlPgTypeNameSpec(typeName.substring(0, typeName.length() - 2), precision, scale, false,
        getParserPos()) : null;
  }

  /** The known PostgreSQL type, or null (e.g. {@code jsonb}). */
  public PgType pgType() {
    if (isArray()) {
      PgType e = elementSpec().pgType();
      return e == null ? null : e.arrayType();
    }
    for (PgType t : PgType.values()) {
      if (t.typname().equals(typeName)) {
        return t;
      }
    }
    return null;
  }

  /** The Calcite type this maps to, or null when there is none. */
  public SqlTypeName sqlTypeName() {
    if (isArray()) {
      return elementSpec().sqlTypeName() == null ? null : SqlTypeName.ARRAY;
    }
    switch (typeName) {
      case "bool": return SqlTypeName.BOOLEAN;
      case "int2": return SqlTypeName.SMALLINT;
      case "int4": return SqlTypeName.INTEGER;
      case "int8": return SqlTypeName.BIGINT;
      case "float4": return SqlTypeName.REAL;
      case "float8": return SqlTypeName.DOUBLE;
      case "numeric": return SqlTypeName.DECIMAL;
      case "varchar": case "text": case "name": return SqlTypeName.VARCHAR;
      case "bpchar": case "char": return SqlTypeName.CHAR;
      case "bytea": return SqlTypeName.VARBINARY;
      case "date": return SqlTypeName.DATE;
      case "timestamp": return SqlTypeName.TIMESTAMP;
      case "timestamptz": return SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      case "oid": case "regclass": case "regtype": case "regproc": return SqlTypeName.BIGINT;
      case "uuid": return SqlTypeName.UUID;
      case "time": return SqlTypeName.TIME;
      default: return null;
    }
  }

  @Override
  public RelDataType deriveType(SqlValidator validator) {
    if (isArray()) {
      RelDataTypeFactory f = validator.getTypeFactory();
      RelDataType e = elementSpec().deriveType(validator);
      if (e.getSqlTypeName() == SqlTypeName.VARCHAR && (org.troupedb.sql.parser.ast.PgJsonType.pgType(e) != null
          || PgIntervalType.is(e)) || pgType() == null) {
        throw new org.troupedb.sql.internal.errors.SqlRuntimeException(
            org.troupedb.sql.SqlException.unsupported("type " + typeName));
      }
      return f.createArrayType(f.createTypeWithNullability(e, true), -1);
    }
    if (typeName.equals("json") || typeName.equals("jsonb")) {
      return PgJsonType.of(validator.getTypeFactory(), pgType(), true);
    }
    if (typeName.equals("interval")) {
      if (precision != UNSPECIFIED) {
        throw new org.troupedb.sql.internal.errors.SqlRuntimeException(
            org.troupedb.sql.SqlException.unsupported("interval precision"));
      }
      return PgIntervalType.of(validator.getTypeFactory(), true);
    }
    SqlTypeName t = sqlTypeName();
    if (t == null && UNSUPPORTED_PG_TYPES.contains(typeName)) {
      throw new org.troupedb.sql.internal.errors.SqlRuntimeException(
          org.troupedb.sql.SqlException.unsupported("type " + typeName));
    }
    if (t == null) {
      throw SqlUtil.newContextException(getParserPos(), RESOURCE.unknownDatatypeName(typeName));
    }
    RelDataTypeFactory f = validator.getTypeFactory();
    if (t == SqlTypeName.DECIMAL && precision == UNSPECIFIED) {
      return f.createSqlType(t, f.getTypeSystem().getMaxPrecision(t), 16);
    }
    if (t.allowsScale() && precision != UNSPECIFIED && scale != UNSPECIFIED) {
      return f.createSqlType(t, precision, scale);
    }
    if (t == SqlTypeName.TIME) {
      return f.createSqlType(t, 3); // milliseconds (see PgTime)
    }
    if (t.allowsPrec() && precision != UNSPECIFIED) {
      return f.createSqlType(t, precision);
    }
    return f.createSqlType(t);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    String word = serial ? serialName() : isArray() ? typeName.substring(0, typeName.length() - 2) : typeName;
    writer.keyword(word);
    if (precision != UNSPECIFIED) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      writer.print(Integer.toString(precision));
      if (scale != UNSPECIFIED) {
        writer.sep(",", true);
        writer.print(Integer.toString(scale));
      }
      writer.endList(frame);
    }
    if (isArray()) {
      writer.print("[]");
    }
  }

  private String serialName() {
    switch (typeName) {
      case "int2": return "smallserial";
      case "int8": return "bigserial";
      default: return "serial";
    }
  }

  @Override
  public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    if (!(spec instanceof SqlPgTypeNameSpec)) {
      return litmus.fail("{} != {}", this, spec);
    }
    SqlPgTypeNameSpec that = (SqlPgTypeNameSpec) spec;
    if (!typeName.equals(that.typeName) || precision != that.precision || scale != that.scale
        || serial != that.serial) {
      return litmus.fail("{} != {}", this, spec);
    }
    return litmus.succeed();
  }

  @Override
  public String toString() {
    return typeName + (precision == UNSPECIFIED ? "" : "(" + precision
        + (scale == UNSPECIFIED ? "" : "," + scale) + ")") + (serial ? " serial" : "");
  }

  @Override
  public int hashCode() {
    return Objects.hash(typeName, precision, scale, serial);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlPgTypeNameSpec && equalsDeep((SqlPgTypeNameSpec) o, Litmus.IGNORE);
  }
}
