package org.troupedb.sql.internal.kv;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.RowSizes;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;

/**
 * A span of the primary index read one page at a time, as the rows are pulled: the scan holds
 * one page of decoded rows (charged to the statement's budget, given back when the next page
 * replaces it), and an operator that stops pulling ({@code LIMIT}) stops the reads.
 *
 * <pre>
 *   moveNext ─ page used up? ─▶ txn.scan(start, end, size) ─▶ decode, charge ─▶ start = after last key
 *                                size: 64, 128, … up to {@link #MAX_PAGE} rows and about
 *                                {@link #PAGE_BYTES} (a LIMIT 10 reads one small page; a full
 *                                scan soon reads large ones; wide rows make short pages)
 * </pre>
 *
 * Each page is one {@code Txn.scan}, which reads range by range (each range cuts its reply at
 * {@code MAX_SCAN_BYTES} and the transaction continues from its resume key) and records the span it
 * read for refresh, so serializability is as for a whole-span read: what was read is registered,
 * what was not read (after a LIMIT) is not.
 *
 * <p>NB: enumerated on the session's thread; a second enumerator (a correlated scan run again)
 * starts over.
 */
final class PagedScan extends AbstractEnumerable<Object[]> {
  static final int FIRST_PAGE = 64;
  static final int MAX_PAGE = 1000;
  /** What a page should hold, about: a range's reply is cut at 128 KiB ({@code MAX_SCAN_BYTES}) too. */
  static final long PAGE_BYTES = 128 * 1024;

  private final Txn txn;
  private final AtomicBoolean cancel;
  private final byte[] start;
  private final byte[] end;
  private final KvTable table;
  private final UnaryOperator<Object[]> shape;
  private final MemoryBudget.Account held;

  /**
   * {@code shape}: applied to each decoded full row (the visible columns); {@code held}: charged
   * for the page in hand.
   */
  PagedScan(Txn txn, AtomicBoolean cancel, byte[] start, byte[] end, KvTable table, UnaryOperator<Object[]> shape,
      MemoryBudget.Account held) {
    this.txn = txn;
    this.cancel = cancel;
    this.start = start;
    this.end = end;
    this.table = table;
    this.shape = shape;
    this.held = held;
  }

  @Override
  public Enumerator<Object[]> enumerator() {
    return new Pages();
  }

  private final class Pages implements Enumerator<Object[]> {
    private byte[] next = start;
    private int size = FIRST_PAGE;
    private List<KeyValue> page = List.of();
    private int at = -1;
    private boolean last;
    private Object[] current;

    @Override
    public Object[] current() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public boolean moveNext() {
      while (++at >= page.size()) {
        if (last || Arrays.compareUnsigned(next, end) >= 0) {
          current = null;
          held.releaseAll();
          return false;
        }
        read();
      }
      KeyValue kv = page.get(at);
      Object[] row = shape.apply(table.decodeRow(kv.key(), kv.value()));
      current = row;
      return true;
    }

    private void read() {
      held.releaseAll();
      page = List.of();
      try {
        page = Kv.await(txn.scan(next, end, size), cancel);
      } catch (SqlException e) {
        throw new SqlRuntimeException(e);
      }
      at = -1;
      long bytes = 0;
      for (KeyValue kv : page) {
        bytes += RowSizes.of(kv.key()) + RowSizes.of(kv.value()) + 48;
      }
      held.charge(bytes);
      last = page.size() < size;
      if (!page.isEmpty()) {
        byte[] k = page.get(page.size() - 1).key();
        next = Arrays.copyOf(k, k.length + 1);
      }
      // the next page: twice as many rows, at most MAX_PAGE and about PAGE_BYTES of them
      long perRow = page.isEmpty() ? 1 : Math.max(1, bytes / page.size());
      size = (int) Math.max(1, Math.min(Math.min(MAX_PAGE, size * 2L), PAGE_BYTES / perRow));
    }

    @Override
    public void reset() {
      next = start;
      size = FIRST_PAGE;
      page = List.of();
      at = -1;
      last = false;
      current = null;
      held.releaseAll();
    }

    @Override
    public void close() {
      page = List.of();
      current = null;
      held.releaseAll();
    }
  }
}
