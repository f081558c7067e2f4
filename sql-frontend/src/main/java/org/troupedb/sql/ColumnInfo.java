package org.troupedb.sql;

/**
 * One column of a result, as RowDescription reports it.
 *
 * @param name the column label
 * @param type its type
 * @param typeModifier atttypmod (-1 if none; for varchar(n)/char(n) n+4; for numeric(p,s)
 *     ((p << 16) | s) + 4)
 * @param tableOid the OID of the table the column comes from, or 0
 * @param columnNumber its attribute number in that table, or 0
 */
public record ColumnInfo(String name, PgType type, int typeModifier, int tableOid, short columnNumber) {
  public static ColumnInfo of(String name, PgType type) {
    return new ColumnInfo(name, type, -1, 0, (short) 0);
  }
}
