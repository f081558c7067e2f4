package org.troupedb.sql.internal.kv;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.RowSizes;

/**
 * The rows a point get or an index span reads, each charged to the statement's memory budget as
 * it is added (such a read is whole before the first row goes on: one larger than the budget fails
 * with 53200 rather than filling the heap; primary-key spans page instead, {@link PagedScan}). The charge is given back when the scan's rows have been
 * consumed ({@link #releasedOnClose}).
 */
final class ChargedRows extends ArrayList<Object[]> {
  private final transient MemoryBudget.Account held;

  ChargedRows(MemoryBudget.Account held) {
    this.held = held;
  }

  @Override
  public boolean add(Object[] row) {
    held.charge(RowSizes.of(row) + 8);
    return super.add(row);
  }

  /** {@code rows} as an Enumerable whose enumerator gives {@code held}'s bytes back on close. */
  static Enumerable<Object[]> releasedOnClose(List<Object[]> rows, MemoryBudget.Account held) {
    return new AbstractEnumerable<Object[]>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Enumerator<Object[]> in = Linq4j.enumerator(rows);
        return new Enumerator<>() {
          @Override
          public Object[] current() {
            return in.current();
          }

          @Override
          public boolean moveNext() {
            return in.moveNext();
          }

          @Override
          public void reset() {
            in.reset();
          }

          @Override
          public void close() {
            in.close();
            held.releaseAll();
          }
        };
      }
    };
  }
}
