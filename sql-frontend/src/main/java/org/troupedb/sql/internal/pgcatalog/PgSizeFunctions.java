package org.troupedb.sql.internal.pgcatalog;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * PostgreSQL's object size functions, which psql's {@code \dt+} and {@code \dv+} call:
 * {@code pg_size_pretty} formats as PostgreSQL 15 does; the size functions return NULL (unknown:
 * TroupeDB does not track a relation's size where SQL can read it, and a made-up number would
 * mislead), so psql prints an empty Size.
 */
public final class PgSizeFunctions {
  private PgSizeFunctions() {}

  /** Adds every function to {@code schema}. */
  static void register(SchemaPlus schema) {
    for (Method m : PgSizeFunctions.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        schema.add(m.getName(), ScalarFunctionImpl.create(m));
      }
    }
  }

  public static Long pg_table_size(Long relation) {
    return null;
  }

  public static Long pg_relation_size(Long relation) {
    return null;
  }

  public static Long pg_total_relation_size(Long relation) {
    return null;
  }

  public static Long pg_indexes_size(Long relation) {
    return null;
  }

  /** PostgreSQL 15's pg_size_pretty(bigint): bytes below 10 kB, then kB, MB, GB, TB, PB, rounded half up. */
  public static String pg_size_pretty(Long size) {
    if (size == null) {
      return null;
    }
    long limit = 10 * 1024;
    long limit2 = limit * 2 - 1;
    long s = size;
    if (Math.abs(s) < limit) {
      return s + " bytes";
    }
    s >>= 9; // one extra bit for rounding
    for (String unit : new String[] {"kB", "MB", "GB", "TB"}) {
      if (Math.abs(s) < limit2) {
        return halfRounded(s) + " " + unit;
      }
      s >>= 10;
    }
    return halfRounded(s) + " PB";
  }

  private static long halfRounded(long x) {
    return (x + (x < 0 ? -1 : 1)) / 2;
  }
}
