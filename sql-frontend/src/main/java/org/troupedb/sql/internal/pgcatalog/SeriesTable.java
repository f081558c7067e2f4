package org.troupedb.sql.internal.pgcatalog;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * {@code generate_series(start, stop)}'s rows, produced one at a time as they are read: the
 * series is never held, so {@code count(*) FROM generate_series(1, 200000000)} runs in constant
 * memory, and it stops at the statement's cancel flag (checked every {@link #CHECK_EVERY} rows),
 * so {@code statement_timeout} and a CancelRequest end it.
 */
final class SeriesTable extends AbstractTable implements ScannableTable {
  static final int CHECK_EVERY = 4096;

  private final long start;
  private final long stop;

  /** The integers {@code start..stop} (none when either is null or stop < start). */
  SeriesTable(Integer start, Integer stop) {
    this.start = start == null ? 1 : start;
    this.stop = start == null || stop == null ? 0 : stop;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    return f.builder().add("generate_series", f.createTypeWithNullability(f.createSqlType(SqlTypeName.INTEGER), true))
        .build();
  }

  @Override
  public Statistic getStatistic() {
    return Statistics.of(Math.max(0, stop - start + 1), List.of());
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    Object flag = root == null ? null : root.get("cancelFlag");
    AtomicBoolean cancel = flag instanceof AtomicBoolean b ? b : null;
    return new AbstractEnumerable<Object[]>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new Enumerator<>() {
          private long next = start;
          private Object[] current;

          @Override
          public Object[] current() {
            return current;
          }

          @Override
          public boolean moveNext() {
            if (next > stop) {
              return false;
            }
            if (cancel != null && (next - start) % CHECK_EVERY == 0 && cancel.get()) {
              throw new SqlRuntimeException(CancelFlag.error(cancel));
            }
            current = new Object[] {(int) next++};
            return true;
          }

          @Override
          public void reset() {
            next = start;
          }

          @Override
          public void close() {
          }
        };
      }
    };
  }
}
