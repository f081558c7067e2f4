package org.troupedb.sql.parser.ast;

import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCollation;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * How PostgreSQL's {@code interval} travels through Calcite: a VARCHAR whose collation names the
 * type (as {@link PgJsonType} does for json), holding the value's <em>internal text</em>
 * ({@code PgIntervalText.encode}): a fixed-width key that orders as PostgreSQL compares intervals
 * (a month as 30 days, a day as 24 hours), then the months, days and microseconds themselves. So
 * sorting, min/max, storage and the wire work on it unchanged, while Calcite's own intervals
 * (either months or milliseconds) could not hold {@code 1 mon 2 days 03:00:00}.
 */
public final class PgIntervalType {
  private PgIntervalType() {}

  private static final String INTERVAL = "pginterval";

  /** The Calcite type of {@code interval}. */
  public static RelDataType of(RelDataTypeFactory f, boolean nullable) {
    RelDataType varchar = f.createSqlType(SqlTypeName.VARCHAR);
    SqlCollation collation = new SqlCollation(SqlCollation.Coercibility.EXPLICIT,
        new Locale(INTERVAL), f.getDefaultCharset(), "primary");
    return f.createTypeWithNullability(
        f.createTypeWithCharsetAndCollation(varchar, f.getDefaultCharset(), collation), nullable);
  }

  /** True for the type {@link #of} makes. */
  public static boolean is(RelDataType t) {
    return t != null && t.getSqlTypeName() == SqlTypeName.VARCHAR && t.getCollation() != null
        && INTERVAL.equals(t.getCollation().getLocale().getLanguage());
  }
}
