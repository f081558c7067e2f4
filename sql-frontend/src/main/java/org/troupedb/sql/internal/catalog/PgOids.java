package org.troupedb.sql.internal.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Stable object identifiers for what the catalog holds, derived from descriptor ids so they
 * survive restarts and agree on every node:
 *
 * <pre>
 *   relation of descriptor d (table, sequence, database)   100000 + 1000 d
 *   index i of table d                                     100000 + 1000 d + i        (i < 300)
 *   constraint of index i of table d                       100000 + 1000 d + 300 + i
 *   CHECK constraint k of table d                          100000 + 1000 d + 400 + k  (k < 100)
 *   foreign key k of table d                               100000 + 1000 d + 500 + k  (k < 100)
 *   default of column c of table d                         100000 + 1000 d + 600 + c
 * </pre>
 *
 * Built-in objects use PostgreSQL's own OIDs (types, namespaces, the catalog relations, roles).
 */
public final class PgOids {
  public static final long PG_CATALOG = 11;
  public static final long PUBLIC = 2200;
  public static final long INFORMATION_SCHEMA = 13000;
  public static final long ROOT_ROLE = 10;
  public static final long DATABASE_OWNER_ROLE = 6171;
  public static final long HEAP_AM = 2;
  public static final long BTREE_AM = 403;
  public static final long DEFAULT_TABLESPACE = 1663;
  public static final long DEFAULT_COLLATION = 100;

  private PgOids() {}

  public static long relation(long descriptorId) {
    return 100_000L + 1000L * descriptorId;
  }

  public static long index(long tableId, int indexId) {
    return relation(tableId) + indexId;
  }

  public static long constraint(long tableId, int indexId) {
    return relation(tableId) + 300 + indexId;
  }

  public static long checkConstraint(long tableId, int k) {
    return relation(tableId) + 400 + k;
  }

  public static long foreignKey(long tableId, int k) {
    return relation(tableId) + 500 + k;
  }

  public static long attrdef(long tableId, int columnId) {
    return relation(tableId) + 600 + columnId;
  }

  public static long namespace(String schema) {
    return switch (schema) {
      case "pg_catalog" -> PG_CATALOG;
      case "information_schema" -> INFORMATION_SCHEMA;
      case "public" -> PUBLIC;
      default -> 20_000L + (schema.hashCode() & 0xffff);
    };
  }

  /** The columns a user sees (hidden ones, such as a key-less table's rowid, left out). */
  public static List<TableDesc.Column> visibleColumns(TableDesc t) {
    List<TableDesc.Column> out = new ArrayList<>();
    for (TableDesc.Column c : t.columns()) {
      if (!c.hidden()) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * pg_attribute.attnum of the column at {@code position} in the table's column list: its
   * 1-based place among the visible columns, 0 for a hidden one.
   */
  public static int attnum(TableDesc t, int position) {
    if (t.columns().get(position).hidden()) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i <= position; i++) {
      if (!t.columns().get(i).hidden()) {
        n++;
      }
    }
    return n;
  }

  /** Whether an index shows in pg_index: not the primary index of a table keyed by a hidden rowid. */
  public static boolean visible(TableDesc t, TableDesc.Index ix) {
    for (int c : ix.columns()) {
      if (t.columns().get(c).hidden()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a unique secondary index stands for a UNIQUE constraint. NB: the descriptor does not
   * record how an index came to be; CREATE TABLE's UNIQUE names its index {@code <table>_<cols>_key},
   * so that suffix is taken to mean a constraint (as PostgreSQL's own naming does).
   */
  public static boolean isUniqueConstraint(TableDesc.Index ix) {
    return ix.unique() && ix.id() != TableDesc.PRIMARY_INDEX_ID && ix.name().endsWith("_key");
  }
}
