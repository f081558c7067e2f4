package org.troupedb.sql.internal.kv;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ValueEncoding;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;

/**
 * A table as Calcite sees it: it becomes a {@link KvTableScan}, into which the planner pushes the
 * comparisons on its columns; {@link #read} turns them into a point get, an index span or a
 * narrowed primary-key span ({@link KvAccess}). Filters stay above the scan as well (filtering
 * twice is cheap and always correct).
 *
 * <p>{@code allColumns} exposes the hidden {@code rowid} too (used by UPDATE/DELETE).
 */
public final class KvTable extends AbstractTable implements TranslatableTable {
  private static final int PAGE = 1000;

  public final TableDesc desc;
  private final int[] visible;
  private final byte[] primaryPrefix;

  public KvTable(TableDesc desc, boolean allColumns) {
    this.desc = desc;
    int[] v = new int[desc.columns().size()];
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (allColumns || !desc.columns().get(i).hidden()) {
        v[n++] = i;
      }
    }
    this.visible = n == v.length ? v : java.util.Arrays.copyOf(v, n);
    this.primaryPrefix = Catalog.indexPrefix(desc.id(), desc.primary().id());
  }

  /** The position in the descriptor's column list of this relation's column {@code ordinal}. */
  public int columnPosition(int ordinal) {
    return visible[ordinal];
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (int i : visible) {
      TableDesc.Column c = desc.columns().get(i);
      b.add(c.name(), c.type().toRelType(f, c.nullable()));
    }
    return b.build();
  }

  @Override
  public Statistic getStatistic() {
    List<ImmutableBitSet> keys = new ArrayList<>();
    ImmutableBitSet.Builder kb = ImmutableBitSet.builder();
    boolean all = true;
    for (int c : desc.primary().columns()) {
      int pos = indexOfVisible(c);
      if (pos < 0) {
        all = false;
      } else {
        kb.set(pos);
      }
    }
    if (all) {
      keys.add(kb.build());
    }
    return Statistics.of(1000d, keys);
  }

  private int indexOfVisible(int column) {
    for (int i = 0; i < visible.length; i++) {
      if (visible[i] == column) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return KvTableScan.create(context.getCluster(), relOptTable, this, List.of());
  }

  /** The table column behind field {@code field} of this table's row type. */
  int column(int field) {
    return visible[field];
  }

  /** The visible part of a full row (the row itself when every column is visible). */
  Object[] visibleRow(Object[] row) {
    if (visible.length == row.length) {
      return row;
    }
    Object[] o = new Object[visible.length];
    for (int i = 0; i < visible.length; i++) {
      o[i] = row[visible[i]];
    }
    return o;
  }

  /** Reads full rows (all columns) with no narrowing. */
  public List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq) throws SqlException {
    return read(txn, cancel, eq == null ? new Object[desc.columns().size()] : eq,
        new Object[desc.columns().size()][]);
  }

  /**
   * Reads full rows along the {@link KvAccess} that {@code eq} (per column: the value bound by
   * equality, or null) and {@code range} (per column: inclusive {low, high}, either may be null)
   * allow. Rows outside the bounds may be returned: callers filter.
   */
  public List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq, Object[][] range) throws SqlException {
    return read(txn, cancel, eq, range, null);
  }

  /** {@link #read}, charging {@code held} (if not null) for each row as it is read. */
  List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq, Object[][] range,
      org.troupedb.sql.internal.errors.MemoryBudget.Account held) throws SqlException {
    KvAccess access = access(eq, range);
    byte[] base = encodePrefix(access.index(), eq, access.prefix());
    List<Object[]> out = held == null ? new ArrayList<>() : new ChargedRows(held);
    switch (access.kind()) {
      case POINT_GET -> {
        byte[] value = Kv.await(txn.get(base), cancel);
        if (value != null) {
          out.add(decodeRow(base, value));
        }
      }
      case INDEX_SPAN -> readViaIndex(txn, cancel, access, base, out);
      case PRIMARY_SPAN, FULL_SCAN -> {
        byte[][] span = primarySpan(access, base, range);
        scanInto(txn, cancel, span[0], span[1], (k, v) -> out.add(decodeRow(k, v)));
      }
    }
    return out;
  }

  /**
   * As {@link #read}, the visible part of each row, for a plan's scan: a primary-key span or a
   * full scan is read page by page as the rows are pulled ({@link PagedScan}, holding one page);
   * a point get or an index span is read at once, its rows charged to {@code held} until the
   * enumerator is closed.
   */
  org.apache.calcite.linq4j.Enumerable<Object[]> enumerate(Txn txn, AtomicBoolean cancel, Object[] eq,
      Object[][] range, org.troupedb.sql.internal.errors.MemoryBudget.Account held) throws SqlException {
    KvAccess access = access(eq, range);
    if (access.kind() == KvAccess.Kind.PRIMARY_SPAN || access.kind() == KvAccess.Kind.FULL_SCAN) {
      byte[][] span = primarySpan(access, encodePrefix(access.index(), eq, access.prefix()), range);
      return new PagedScan(txn, cancel, span[0], span[1], this, this::visibleRow, held);
    }
    List<Object[]> rows = read(txn, cancel, eq, range, held);
    for (int i = 0; i < rows.size(); i++) {
      rows.set(i, visibleRow(rows.get(i)));
    }
    return ChargedRows.releasedOnClose(rows, held);
  }

  /** Full rows of the whole primary index, read page by page as they are pulled (COPY TO). */
  public org.apache.calcite.linq4j.Enumerator<Object[]> scanAll(Txn txn, AtomicBoolean cancel,
      org.troupedb.sql.internal.errors.MemoryBudget.Account held) {
    byte[] end = KeyEncoding.prefixEnd(primaryPrefix);
    return new PagedScan(txn, cancel, primaryPrefix, end, this, r -> r, held).enumerator();
  }

  private KvAccess access(Object[] eq, Object[][] range) {
    boolean[] isEq = new boolean[eq.length];
    boolean[] isRange = new boolean[eq.length];
    for (int i = 0; i < eq.length; i++) {
      isEq[i] = eq[i] != null;
      isRange[i] = range[i] != null;
    }
    return KvAccess.choose(desc, isEq, isRange);
  }

  /** {start, end} of a PRIMARY_SPAN or FULL_SCAN under {@code base}, narrowed by the range bound if any. */
  private byte[][] primarySpan(KvAccess access, byte[] base, Object[][] range) {
    byte[] start = base;
    byte[] end = KeyEncoding.prefixEnd(base);
    if (access.range()) {
      TableDesc.Index pk = access.index();
      int col = pk.columns()[access.prefix()];
      ColumnType t = desc.columns().get(col).type();
      boolean desc0 = pk.descending()[access.prefix()];
      Object lo = desc0 ? range[col][1] : range[col][0];
      Object hi = desc0 ? range[col][0] : range[col][1];
      if (lo != null) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(base);
        KeyEncoding.encode(s, t, lo, desc0);
        start = s.toByteArray();
      }
      if (hi != null) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.writeBytes(base);
        KeyEncoding.encode(e, t, hi, desc0);
        end = KeyEncoding.prefixEnd(e.toByteArray());
      }
    }
    return new byte[][] {start, end};
  }

  /** The index's key prefix followed by the first {@code n} of its columns' values from {@code eq}. */
  private byte[] encodePrefix(TableDesc.Index ix, Object[] eq, int n) {
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    key.writeBytes(ix == desc.primary() ? primaryPrefix : Catalog.indexPrefix(desc.id(), ix.id()));
    for (int i = 0; i < n; i++) {
      KeyEncoding.encode(key, desc.columns().get(ix.columns()[i]).type(), eq[ix.columns()[i]], ix.descending()[i]);
    }
    return key.toByteArray();
  }

  private interface Sink {
    void accept(byte[] key, byte[] value) throws SqlException;
  }

  private static void scanInto(Txn txn, AtomicBoolean cancel, byte[] start, byte[] end, Sink sink)
      throws SqlException {
    while (Arrays.compareUnsigned(start, end) < 0) {
      List<KeyValue> page = Kv.await(txn.scan(start, end, PAGE), cancel);
      for (KeyValue kv : page) {
        sink.accept(kv.key(), kv.value());
      }
      if (page.size() < PAGE) {
        return;
      }
      byte[] last = page.get(page.size() - 1).key();
      start = Arrays.copyOf(last, last.length + 1);
    }
  }

  /**
   * The rows whose index entries start with {@code search}. A unique entry's value is the row's
   * primary key; any other entry's key ends with the primary-key columns, after the index's own.
   */
  private void readViaIndex(Txn txn, AtomicBoolean cancel, KvAccess access, byte[] search, List<Object[]> out)
      throws SqlException {
    TableDesc.Index ix = access.index();
    List<byte[]> pks = new ArrayList<>();
    scanInto(txn, cancel, search, KeyEncoding.prefixEnd(search), (key, value) -> {
      if (value.length > 0) {
        pks.add(value);
        return;
      }
      KeyEncoding.Reader r = new KeyEncoding.Reader(key, search.length);
      for (int i = access.prefix(); i < ix.columns().length; i++) {
        r.read(desc.columns().get(ix.columns()[i]).type(), ix.descending()[i]);
      }
      int from = r.position();
      byte[] pkKey = Arrays.copyOf(primaryPrefix, primaryPrefix.length + key.length - from);
      System.arraycopy(key, from, pkKey, primaryPrefix.length, key.length - from);
      pks.add(pkKey);
    });
    for (byte[] pkKey : pks) {
      byte[] v = Kv.await(txn.get(pkKey), cancel);
      if (v != null) {
        out.add(decodeRow(pkKey, v));
      }
    }
  }

  public Object[] decodeRow(byte[] key, byte[] value) {
    Object[] row = new Object[desc.columns().size()];
    TableDesc.Index pk = desc.primary();
    KeyEncoding.Reader r = new KeyEncoding.Reader(key, primaryPrefix.length);
    for (int i = 0; i < pk.columns().length; i++) {
      row[pk.columns()[i]] = r.read(desc.columns().get(pk.columns()[i]).type(), pk.descending()[i]);
    }
    ValueEncoding.decode(value, desc, row);
    return row;
  }
}
