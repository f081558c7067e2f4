package org.troupedb.sql.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.NlsString;
import org.troupedb.sql.SqlException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;

/**
 * A table as Calcite sees it. The scan turns equality on all primary-key columns into a point
 * get and equality on a leading prefix of them into a narrowed span; other filters are left for
 * Calcite to apply (the pushed ones too: filtering twice is cheap and always correct).
 *
 * <p>{@code allColumns} exposes the hidden {@code rowid} too (used by UPDATE/DELETE).
 */
final class KvTable extends AbstractTable implements ProjectableFilterableTable {
  private static final int PAGE = 1000;

  final TableDesc desc;
  private final int[] visible;

  KvTable(TableDesc desc, boolean allColumns) {
    this.desc = desc;
    int[] v = new int[desc.columns().size()];
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (allColumns || !desc.columns().get(i).hidden()) {
        v[n++] = i;
      }
    }
    this.visible = n == v.length ? v : java.util.Arrays.copyOf(v, n);
  }

  /** The position in the descriptor's column list of this relation's column {@code ordinal}. */
  int columnPosition(int ordinal) {
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
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
    ExecContext ctx = (ExecContext) root;
    try {
      Object[] eq = new Object[desc.columns().size()];
      Object[][] range = new Object[desc.columns().size()][];
      constraints(ctx, filters, eq, range);
      List<Object[]> rows = read(ctx.txn(), ctx.cancelFlag(), eq, range);
      int[] proj = projects == null ? visible : Arrays.stream(projects).map(i -> visible[i]).toArray();
      List<Object[]> out = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        Object[] o = new Object[proj.length];
        for (int i = 0; i < proj.length; i++) {
          o[i] = r[proj[i]];
        }
        out.add(o);
      }
      return Linq4j.asEnumerable(out);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /**
   * Collects, per table column, a value bound by equality ({@code eq}) and inclusive bounds
   * {@code {low, high}} (either may be null) from comparisons and SEARCH ranges. Bounds only
   * narrow the span read; Calcite still applies every filter.
   */
  private void constraints(ExecContext ctx, List<RexNode> filters, Object[] eq, Object[][] range) {
    List<RexNode> conjuncts = new ArrayList<>();
    for (RexNode f : filters) {
      conjuncts.addAll(org.apache.calcite.plan.RelOptUtil.conjunctions(f));
    }
    for (RexNode f : conjuncts) {
      if (!(f instanceof RexCall call) || call.getOperands().isEmpty()) {
        continue;
      }
      SqlKind kind = f.getKind();
      if (kind == SqlKind.SEARCH && call.getOperands().get(0) instanceof RexInputRef ref
          && call.getOperands().get(1) instanceof RexLiteral lit) {
        int col = visible[ref.getIndex()];
        org.apache.calcite.util.Sarg<?> sarg = lit.getValueAs(org.apache.calcite.util.Sarg.class);
        if (sarg == null || sarg.rangeSet.isEmpty() || sarg.nullAs == org.apache.calcite.rex.RexUnknownAs.TRUE) {
          continue;
        }
        com.google.common.collect.Range<?> span = sarg.rangeSet.span();
        Object lo = span.hasLowerBound() ? coerce(col, sargValue(span.lowerEndpoint())) : null;
        Object hi = span.hasUpperBound() ? coerce(col, sargValue(span.upperEndpoint())) : null;
        if (sarg.isPoints() && sarg.pointCount == 1 && lo != null) {
          eq[col] = lo;
        } else if ((span.hasLowerBound() && lo == null) || (span.hasUpperBound() && hi == null)) {
          continue;
        } else {
          range[col] = new Object[] {lo, hi};
        }
        continue;
      }
      if (call.getOperands().size() != 2) {
        continue;
      }
      RexNode a = call.getOperands().get(0);
      RexNode b = call.getOperands().get(1);
      if (!(a instanceof RexInputRef) && b instanceof RexInputRef) {
        RexNode t = a;
        a = b;
        b = t;
        kind = kind.reverse();
      }
      if (!(a instanceof RexInputRef ref)) {
        continue;
      }
      int col = visible[ref.getIndex()];
      Object v;
      if (b instanceof RexLiteral lit) {
        v = literalValue(lit);
      } else if (b instanceof RexDynamicParam dp) {
        v = ctx.param(dp.getIndex());
      } else {
        continue;
      }
      v = coerce(col, v);
      if (v == null) {
        continue;
      }
      Object[] r = range[col] == null ? new Object[2] : range[col];
      switch (kind) {
        case EQUALS -> eq[col] = v;
        case GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
          r[0] = v;
          range[col] = r;
        }
        case LESS_THAN, LESS_THAN_OR_EQUAL -> {
          r[1] = v;
          range[col] = r;
        }
        default -> { }
      }
    }
  }

  private Object coerce(int col, Object v) {
    if (v == null) {
      return null;
    }
    try {
      return desc.columns().get(col).type().coerce(v);
    } catch (SqlException | RuntimeException e) {
      return null; // not representable in the column type: no narrowing
    }
  }

  private static Object sargValue(Object v) {
    if (v instanceof NlsString s) {
      return s.getValue();
    } else if (v instanceof org.apache.calcite.util.DateString d) {
      return d.getDaysSinceEpoch();
    } else if (v instanceof org.apache.calcite.util.TimestampString t) {
      return t; // the column type reads it in microseconds
    }
    return v;
  }

  static Object literalValue(RexLiteral lit) {
    if (lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP
        || lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      // not getValue2's milliseconds: timestamps are microseconds here (ColumnType reads the string)
      return lit.getValueAs(org.apache.calcite.util.TimestampString.class);
    }
    Object v2 = lit.getValue2();
    if (v2 instanceof NlsString s) {
      return s.getValue();
    }
    return v2;
  }

  /** Reads full rows (all columns) with no narrowing. */
  List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq) throws SqlException {
    return read(txn, cancel, eq == null ? new Object[desc.columns().size()] : eq,
        new Object[desc.columns().size()][]);
  }

  /**
   * Reads full rows: a point get when equality binds the whole primary key; else a span narrowed
   * by the bound primary-key prefix and a range on the next key column; else, when equality binds
   * every column of a secondary index, that index's entries and then the rows they point to.
   */
  List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq, Object[][] range) throws SqlException {
    TableDesc.Index pk = desc.primary();
    byte[] prefix = Catalog.indexPrefix(desc.id(), pk.id());
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    key.writeBytes(prefix);
    int bound = 0;
    for (int i = 0; i < pk.columns().length; i++) {
      Object v = eq[pk.columns()[i]];
      if (v == null) {
        break;
      }
      KeyEncoding.encode(key, desc.columns().get(pk.columns()[i]).type(), v, pk.descending()[i]);
      bound++;
    }
    List<Object[]> out = new ArrayList<>();
    if (bound == pk.columns().length) {
      byte[] k = key.toByteArray();
      byte[] value = Kv.await(txn.get(k), cancel);
      if (value != null) {
        out.add(decodeRow(k, value));
      }
      return out;
    }
    byte[] base = key.toByteArray();
    byte[] start = base;
    byte[] end = KeyEncoding.prefixEnd(base);
    Object[] r = range[pk.columns()[bound]];
    if (r != null) {
      ColumnType t = desc.columns().get(pk.columns()[bound]).type();
      boolean desc0 = pk.descending()[bound];
      Object lo = desc0 ? r[1] : r[0];
      Object hi = desc0 ? r[0] : r[1];
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
    } else if (bound == 0) {
      List<Object[]> viaIndex = readViaIndex(txn, cancel, eq);
      if (viaIndex != null) {
        return viaIndex;
      }
    }
    scanInto(txn, cancel, start, end, (k, v) -> out.add(decodeRow(k, v)));
    return out;
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

  private List<Object[]> readViaIndex(Txn txn, AtomicBoolean cancel, Object[] eq) throws SqlException {
    for (TableDesc.Index ix : desc.indexes().subList(1, desc.indexes().size())) {
      boolean all = true;
      for (int c : ix.columns()) {
        all &= eq[c] != null;
      }
      if (!all) {
        continue;
      }
      ByteArrayOutputStream k = new ByteArrayOutputStream();
      k.writeBytes(Catalog.indexPrefix(desc.id(), ix.id()));
      for (int i = 0; i < ix.columns().length; i++) {
        KeyEncoding.encode(k, desc.columns().get(ix.columns()[i]).type(), eq[ix.columns()[i]], ix.descending()[i]);
      }
      byte[] search = k.toByteArray();
      byte[] primaryPrefix = Catalog.indexPrefix(desc.id(), TableDesc.PRIMARY_INDEX_ID);
      List<byte[]> pks = new ArrayList<>();
      scanInto(txn, cancel, search, KeyEncoding.prefixEnd(search), (key, value) -> {
        if (key.length == search.length) {
          pks.add(value); // unique entry: the value is the row's primary key
        } else {
          byte[] pkKey = Arrays.copyOf(primaryPrefix, primaryPrefix.length + key.length - search.length);
          System.arraycopy(key, search.length, pkKey, primaryPrefix.length, key.length - search.length);
          pks.add(pkKey);
        }
      });
      List<Object[]> out = new ArrayList<>();
      for (byte[] pkKey : pks) {
        byte[] v = Kv.await(txn.get(pkKey), cancel);
        if (v != null) {
          out.add(decodeRow(pkKey, v));
        }
      }
      return out;
    }
    return null;
  }

  Object[] decodeRow(byte[] key, byte[] value) {
    Object[] row = new Object[desc.columns().size()];
    TableDesc.Index pk = desc.primary();
    KeyEncoding.Reader r = new KeyEncoding.Reader(key, Catalog.indexPrefix(desc.id(), pk.id()).length);
    for (int i = 0; i < pk.columns().length; i++) {
      row[pk.columns()[i]] = r.read(desc.columns().get(pk.columns()[i]).type(), pk.descending()[i]);
    }
    ValueEncoding.decode(value, desc, row);
    return row;
  }
}
