package org.troupedb.sql.internal.errors;

import java.util.List;

/**
 * Estimates of what a row takes on a 64-bit JVM with compressed references, for
 * {@link MemoryBudget}: object headers, boxed values, strings (one byte per character, as
 * Java's compact strings hold Latin-1 text), arrays and lists. An estimate, read in O(values).
 */
public final class RowSizes {
  private RowSizes() {}

  /** The estimated bytes of {@code v} and what it references (shared small boxes count fully). */
  public static long of(Object v) {
    if (v == null || v instanceof Boolean) {
      return 0;
    }
    if (v instanceof Object[] row) {
      long n = 16 + 4L * row.length;
      for (Object o : row) {
        n += of(o);
      }
      return n;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Float
        || v instanceof Character) {
      return 16;
    }
    if (v instanceof Long || v instanceof Double) {
      return 24;
    }
    if (v instanceof String s) {
      return 40 + s.length();
    }
    if (v instanceof java.math.BigDecimal d) {
      return 40 + (d.unscaledValue().bitLength() > 63 ? 40 + d.unscaledValue().bitLength() / 8 : 0);
    }
    if (v instanceof byte[] b) {
      return 16 + b.length;
    }
    if (v instanceof List<?> l) {
      long n = 40 + 4L * l.size();
      for (Object o : l) {
        n += of(o);
      }
      return n;
    }
    return 32;
  }
}
