package org.troupedb.sql.parser.ast;

import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCollation;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.PgType;

/**
 * How {@code json} and {@code jsonb} travel through Calcite: a VARCHAR (the value's text, jsonb's
 * already normalised by {@code PgJson}) whose collation names the type. The collation keeps the
 * types apart from text and from each other in Calcite's type digests (so a result column is
 * reported with OID 114 or 3802) while every string path — storage, keys, wire text, equality of
 * normalised jsonb — works unchanged. NB: the collation orders by code point like TroupeDB's
 * others; it carries no {@link java.text.Collator}.
 */
public final class PgJsonType {
  private PgJsonType() {}

  private static final String JSON = "pgjson";
  private static final String JSONB = "pgjsonb";

  /** The Calcite type of {@code json} ({@link PgType#JSON}) or {@code jsonb}. */
  public static RelDataType of(RelDataTypeFactory f, PgType type, boolean nullable) {
    RelDataType varchar = f.createSqlType(SqlTypeName.VARCHAR);
    SqlCollation collation = new SqlCollation(SqlCollation.Coercibility.EXPLICIT,
        new Locale(type == PgType.JSON ? JSON : JSONB), f.getDefaultCharset(), "primary");
    return f.createTypeWithNullability(
        f.createTypeWithCharsetAndCollation(varchar, f.getDefaultCharset(), collation), nullable);
  }

  /** {@link PgType#JSON}, {@link PgType#JSONB}, or null for any other type. */
  public static PgType pgType(RelDataType t) {
    if (t == null || t.getSqlTypeName() != SqlTypeName.VARCHAR || t.getCollation() == null) {
      return null;
    }
    String lang = t.getCollation().getLocale().getLanguage();
    return JSONB.equals(lang) ? PgType.JSONB : JSON.equals(lang) ? PgType.JSON : null;
  }

  public static boolean isJsonb(RelDataType t) {
    return pgType(t) == PgType.JSONB;
  }
}
