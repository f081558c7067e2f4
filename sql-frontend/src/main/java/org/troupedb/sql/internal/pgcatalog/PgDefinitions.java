package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * The text PostgreSQL's deparsing functions return ({@code format_type}, {@code pg_get_indexdef},
 * {@code pg_get_constraintdef}, the default expressions {@code pg_get_expr} shows), built from
 * descriptors.
 */
public final class PgDefinitions {
  private PgDefinitions() {}

  /** {@code format_type(type_oid, typmod)}: the SQL name of a type, with its modifier. */
  public static String formatType(Long oid, Integer typmod) {
    if (oid == null) {
      return null;
    }
    PgType t = PgType.ofOid(oid.intValue());
    if (t == null) {
      return "???";
    }
    int mod = typmod == null ? -1 : typmod;
    return switch (t) {
      case CHAR -> "\"char\"";
      case BPCHAR -> mod < 0 ? "bpchar" : "character(" + (mod - 4) + ")";
      case VARCHAR -> mod < 0 ? "character varying" : "character varying(" + (mod - 4) + ")";
      case NUMERIC -> mod < 0 ? "numeric"
          : "numeric(" + (((mod - 4) >> 16) & 0xffff) + "," + ((mod - 4) & 0xffff) + ")";
      case NAME, OID, REGCLASS, REGTYPE, REGPROC, INTERVAL, UNKNOWN -> t.typname();
      default -> ColumnType.of(t).sqlName();
    };
  }

  /** An identifier as {@code quote_ident} writes it. */
  public static String quoteIdent(String name) {
    boolean plain = !name.isEmpty() && (Character.isLowerCase(name.charAt(0)) || name.charAt(0) == '_');
    for (int i = 0; plain && i < name.length(); i++) {
      char c = name.charAt(i);
      plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    return plain ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** {@code pg_get_indexdef(oid, 0, ...)}. */
  public static String indexDef(TableDesc t, TableDesc.Index ix) {
    List<String> cols = new ArrayList<>();
    for (int i = 0; i < ix.columns().length; i++) {
      cols.add(quoteIdent(t.columns().get(ix.columns()[i]).name()) + (ix.descending()[i] ? " DESC" : ""));
    }
    return "CREATE " + (ix.unique() ? "UNIQUE " : "") + "INDEX " + quoteIdent(ix.name()) + " ON "
        + quoteIdent(t.schema()) + "." + quoteIdent(t.name()) + " USING btree (" + String.join(", ", cols) + ")";
  }

  /** {@code pg_get_constraintdef(oid)} of a primary key or unique constraint. */
  public static String constraintDef(TableDesc t, TableDesc.Index ix) {
    List<String> cols = new ArrayList<>();
    for (int c : ix.columns()) {
      cols.add(quoteIdent(t.columns().get(c).name()));
    }
    return (ix.id() == TableDesc.PRIMARY_INDEX_ID ? "PRIMARY KEY" : "UNIQUE") + " (" + String.join(", ", cols) + ")";
  }

  /**
   * {@code pg_get_constraintdef(oid)} of a foreign key: {@code FOREIGN KEY (a) REFERENCES p(id)
   * ON UPDATE CASCADE ON DELETE SET NULL} (the default NO ACTION is left out).
   */
  public static String foreignKeyDef(TableDesc t, TableDesc.ForeignKey f, TableDesc parent) {
    List<String> cols = new ArrayList<>();
    for (int c : f.columns()) {
      cols.add(quoteIdent(t.columns().get(c).name()));
    }
    List<String> refs = new ArrayList<>();
    for (int c : f.refColumns()) {
      refs.add(parent == null ? "?" : quoteIdent(parent.columns().get(c).name()));
    }
    return "FOREIGN KEY (" + String.join(", ", cols) + ") REFERENCES "
        + (parent == null ? "?" : quoteIdent(parent.name())) + "(" + String.join(", ", refs) + ")"
        + (f.onUpdate().sql == null ? "" : " ON UPDATE " + f.onUpdate().sql)
        + (f.onDelete().sql == null ? "" : " ON DELETE " + f.onDelete().sql);
  }

  /**
   * A column default as PostgreSQL deparses it: {@code nextval('s'::regclass)} for a serial
   * column, a string literal with a cast to the column's type, anything else as written.
   */
  public static String defaultExpr(TableDesc.Column c) {
    if (c.sequence() != null) {
      return "nextval('" + c.sequence().replace("'", "''") + "'::regclass)";
    }
    String d = c.defaultSql();
    if (d == null) {
      return null;
    }
    d = d.trim();
    if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'") && c.type().pg() != PgType.UNKNOWN) {
      String type = switch (c.type().pg()) {
        case BPCHAR -> "bpchar";
        case VARCHAR -> "character varying";
        case NUMERIC -> "numeric";
        default -> ColumnType.of(c.type().pg()).sqlName();
      };
      return d + "::" + type;
    }
    return d;
  }
}
