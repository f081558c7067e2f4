package org.troupedb.sql.internal.plan;

import java.util.Arrays;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.RowSizes;

/**
 * The run-time half of a {@link MemoryCountRel}: passes the rows that enter a row-holding operator
 * through unchanged, charging the statement's {@link MemoryBudget} (found in the execution's
 * DataContext under {@link MemoryBudget#CONTEXT_VARIABLE}) for each row the operator will hold — every row for a sort,
 * a hash join's build side or a window, one entry per distinct group key for a hash aggregate.
 *
 * <p>NB: public only because the plan's generated class calls {@link #count}.
 */
public final class MemoryCounting {
  private static final String BUDGET = MemoryBudget.CONTEXT_VARIABLE;

  private final int id;
  private final String operator;
  private final long perRow;
  /** The group-key fields of the input row; null: every row is held. */
  private final int[] groupKeys;

  /**
   * {@code perRow}: the operator's own bytes per row held (or per group) besides the row's
   * estimated size; {@code groupKeys}: see {@link #groupKeys}.
   */
  MemoryCounting(int id, String operator, long perRow, int[] groupKeys) {
    this.id = id;
    this.operator = operator;
    this.perRow = perRow;
    this.groupKeys = groupKeys == null ? null : groupKeys.clone();
  }

  String operator() {
    return operator;
  }

  /** {@code input}, counted; raw types, as the generated code is compiled without generics. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Enumerable count(DataContext root, Enumerable input) {
    Object b = root.get(BUDGET);
    if (!(b instanceof MemoryBudget budget)) {
      return input;
    }
    return new AbstractEnumerable<Object>() {
      @Override
      public Enumerator<Object> enumerator() {
        return new Counted(budget.account(id, operator), input.enumerator());
      }
    };
  }

  private final class Counted implements Enumerator<Object> {
    private final MemoryBudget.Account account;
    private final Enumerator<Object> in;
    private final GroupHashes groups;

    Counted(MemoryBudget.Account account, Enumerator<Object> in) {
      this.account = account;
      this.in = in;
      this.groups = groupKeys == null ? null : new GroupHashes();
    }

    @Override
    public Object current() {
      return in.current();
    }

    @Override
    public boolean moveNext() {
      if (!in.moveNext()) {
        return false;
      }
      Object row = in.current();
      if (groups == null) {
        account.charge(RowSizes.of(row) + perRow);
      } else if (groups.add(keyHash(row))) {
        account.charge(keySize(row) + perRow + GroupHashes.BYTES_PER_ENTRY);
      }
      return true;
    }

    @Override
    public void reset() {
      in.reset();
      account.releaseAll();
      if (groups != null) {
        groups.clear();
      }
    }

    @Override
    public void close() {
      in.close();
    }
  }

  private long keyHash(Object row) {
    if (!(row instanceof Object[] r)) {
      return mix(row == null ? 0 : row.hashCode());
    }
    long h = 1;
    for (int k : groupKeys) {
      Object v = k < r.length ? r[k] : null;
      h = h * 1_000_003L + (v == null ? 0 : v instanceof Object[] a ? Arrays.deepHashCode(a) : v.hashCode());
    }
    return mix(h);
  }

  private long keySize(Object row) {
    if (!(row instanceof Object[] r)) {
      return RowSizes.of(row);
    }
    long n = 16 + 4L * groupKeys.length;
    for (int k : groupKeys) {
      n += k < r.length ? RowSizes.of(r[k]) : 0;
    }
    return n;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /**
   * A set of 64-bit key hashes, open addressing: counts distinct groups at 16 bytes a group
   * (at most half full). NB: two keys with one hash count once; rare enough for an estimate.
   */
  static final class GroupHashes {
    static final long BYTES_PER_ENTRY = 16;
    private long[] slots = new long[64];
    private boolean zero;
    private int size;

    /** Adds {@code h}; whether it was new. */
    boolean add(long h) {
      if (h == 0) {
        boolean added = !zero;
        zero = true;
        return added;
      }
      int mask = slots.length - 1;
      int i = (int) h & mask;
      while (slots[i] != 0) {
        if (slots[i] == h) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = h;
      if (++size * 2 > slots.length) {
        grow();
      }
      return true;
    }

    void clear() {
      slots = new long[64];
      zero = false;
      size = 0;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      int mask = slots.length - 1;
      for (long h : old) {
        if (h != 0) {
          int i = (int) h & mask;
          while (slots[i] != 0) {
            i = (i + 1) & mask;
          }
          slots[i] = h;
        }
      }
    }
  }
}
