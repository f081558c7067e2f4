package org.troupedb.sql.internal.types;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL typing for Calcite: numeric up to 1000 digits, sum(int) is bigint, sum(bigint) and
 * avg of integers are numeric, unbounded varchar is text.
 */
public final class PgTypeSystem extends RelDataTypeSystemImpl {
  public static final PgTypeSystem INSTANCE = new PgTypeSystem();
  /** Precision/scale standing for an unconstrained {@code numeric}. */
  public static final int UNBOUNDED_NUMERIC_PRECISION = 1000;
  public static final int UNBOUNDED_NUMERIC_SCALE = 16;

  private PgTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case DECIMAL -> UNBOUNDED_NUMERIC_PRECISION;
      case VARCHAR, VARBINARY -> 10_485_760;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
      default -> super.getMaxPrecision(typeName);
    };
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? UNBOUNDED_NUMERIC_PRECISION : super.getMaxScale(typeName);
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case VARCHAR, VARBINARY -> RelDataType.PRECISION_NOT_SPECIFIED;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
      default -> super.getDefaultPrecision(typeName);
    };
  }

  @Override
  public int getMaxNumericPrecision() {
    return UNBOUNDED_NUMERIC_PRECISION;
  }

  @Override
  public int getMaxNumericScale() {
    return UNBOUNDED_NUMERIC_PRECISION;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory f, RelDataType argumentType) {
    RelDataType t = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER -> f.createSqlType(SqlTypeName.BIGINT);
      case BIGINT, DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, UNBOUNDED_NUMERIC_PRECISION,
          argumentType.getSqlTypeName() == SqlTypeName.DECIMAL ? Math.max(argumentType.getScale(), 0) : 0);
      case REAL, FLOAT -> f.createSqlType(SqlTypeName.REAL);
      default -> f.createSqlType(SqlTypeName.DOUBLE);
    };
    return f.createTypeWithNullability(t, argumentType.isNullable());
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory f, RelDataType argumentType) {
    RelDataType t = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL,
          UNBOUNDED_NUMERIC_PRECISION, UNBOUNDED_NUMERIC_SCALE);
      default -> f.createSqlType(SqlTypeName.DOUBLE);
    };
    return f.createTypeWithNullability(t, argumentType.isNullable());
  }

  /** Numeric division yields an unconstrained numeric (its scale: see {@link PgArithmetic}). */
  @Override
  public RelDataType deriveDecimalDivideType(RelDataTypeFactory f, RelDataType type1, RelDataType type2) {
    RelDataType t = super.deriveDecimalDivideType(f, type1, type2);
    if (t == null) {
      return null;
    }
    return f.createTypeWithNullability(
        f.createSqlType(SqlTypeName.DECIMAL, UNBOUNDED_NUMERIC_PRECISION, UNBOUNDED_NUMERIC_SCALE), t.isNullable());
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
