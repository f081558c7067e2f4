package org.troupedb.sql.internal.kv;

import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * How a table is read, given which columns a statement binds by equality and which by a range:
 *
 * <pre>
 *   every primary-key column bound by =     → POINT_GET      one KV get
 *   a secondary index binds more leading    → INDEX_SPAN     scan the index entries under the
 *     columns by = than the primary key does                  bound prefix, get each row
 *   a primary-key prefix bound by =, and/or → PRIMARY_SPAN   one span of the primary index
 *     a range on the next key column
 *   nothing usable                          → FULL_SCAN      the whole primary index
 * </pre>
 *
 * Chosen the same way at plan time (for EXPLAIN and costs, assuming every bound value is present)
 * and at execution (where a NULL parameter binds nothing).
 *
 * @param index the index read (the primary index unless INDEX_SPAN)
 * @param prefix how many leading columns of {@code index} are bound by equality
 * @param range for PRIMARY_SPAN: the next primary-key column is bounded by a range
 */
record KvAccess(Kind kind, TableDesc.Index index, int prefix, boolean range) {
  enum Kind { POINT_GET, INDEX_SPAN, PRIMARY_SPAN, FULL_SCAN }

  /** {@code eq[c]} / {@code range[c]}: table column {@code c} is bound by equality / a range. */
  static KvAccess choose(TableDesc t, boolean[] eq, boolean[] range) {
    TableDesc.Index pk = t.primary();
    int p = boundPrefix(pk, eq);
    if (p == pk.columns().length) {
      return new KvAccess(Kind.POINT_GET, pk, p, false);
    }
    TableDesc.Index best = null;
    int q = 0;
    for (TableDesc.Index ix : t.indexes().subList(1, t.indexes().size())) {
      int n = boundPrefix(ix, eq);
      if (n > q) {
        best = ix;
        q = n;
      }
    }
    if (q > p) {
      return new KvAccess(Kind.INDEX_SPAN, best, q, false);
    }
    boolean r = range[pk.columns()[p]];
    return p > 0 || r ? new KvAccess(Kind.PRIMARY_SPAN, pk, p, r) : new KvAccess(Kind.FULL_SCAN, pk, 0, false);
  }

  private static int boundPrefix(TableDesc.Index ix, boolean[] eq) {
    int n = 0;
    while (n < ix.columns().length && eq[ix.columns()[n]]) {
      n++;
    }
    return n;
  }

  /** For EXPLAIN, e.g. {@code span orders_pkey on 2 columns + range}. */
  String describe() {
    return switch (kind) {
      case POINT_GET -> "point get " + index.name();
      case INDEX_SPAN -> "index " + index.name() + " on " + prefix + (prefix == 1 ? " column" : " columns");
      case PRIMARY_SPAN -> "span " + index.name() + (prefix > 0 ? " on " + prefix + (prefix == 1 ? " column" : " columns") : "")
          + (range ? (prefix > 0 ? " + range" : " range") : "");
      case FULL_SCAN -> "full scan " + index.name();
    };
  }

  /** A rough row count for the planner's costs, from the table's estimate. */
  double rows(double tableRows) {
    return switch (kind) {
      case POINT_GET -> 1;
      case INDEX_SPAN -> Math.max(1, tableRows / Math.pow(10, prefix + 1));
      case PRIMARY_SPAN -> Math.max(1, tableRows / Math.pow(10, prefix) / (range ? 3 : 1));
      case FULL_SCAN -> tableRows;
    };
  }
}
