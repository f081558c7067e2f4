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
    List<Integer> v = new ArrayList<>();
    for (int i = 0; i < desc.columns().size(); i++) {
      if (allColumns || !desc.columns().get(i).hidden()) {
        v.add(i);
      }
    }
    this.visible = v.stream().mapToInt(Integer::intValue).toArray();
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
      Object[] eq = equalities(ctx, filters);
      List<Object[]> rows = read(ctx.txn(), ctx.cancelFlag(), eq);
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

  /** Values bound by equality per table column (null: unbound); NULL-equality binds nothing. */
  private Object[] equalities(ExecContext ctx, List<RexNode> filters) throws SqlException {
    Object[] eq = new Object[desc.columns().size()];
    for (RexNode f : filters) {
      if (f.getKind() != SqlKind.EQUALS) {
        continue;
      }
      RexCall call = (RexCall) f;
      RexNode a = call.getOperands().get(0);
      RexNode b = call.getOperands().get(1);
      if (!(a instanceof RexInputRef)) {
        RexNode t = a;
        a = b;
        b = t;
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
      if (v == null) {
        continue;
      }
      try {
        eq[col] = desc.columns().get(col).type().coerce(v);
      } catch (SqlException e) {
        // not representable in the column type: leave it to Calcite's filter
      }
    }
    return eq;
  }

  static Object literalValue(RexLiteral lit) {
    Object v = lit.getValue4() != null ? lit.getValue4() : null;
    Object v2 = lit.getValue2();
    if (v2 instanceof NlsString s) {
      return s.getValue();
    }
    if (v2 instanceof BigDecimal) {
      return v2;
    }
    return v2 != null ? v2 : v;
  }

  /** Reads full rows (all columns), narrowing by primary-key equalities. */
  List<Object[]> read(Txn txn, AtomicBoolean cancel, Object[] eq) throws SqlException {
    TableDesc.Index pk = desc.primary();
    byte[] prefix = Catalog.indexPrefix(desc.id(), pk.id());
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    key.writeBytes(prefix);
    int bound = 0;
    for (int i = 0; i < pk.columns().length; i++) {
      Object v = eq == null ? null : eq[pk.columns()[i]];
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
    byte[] start = key.toByteArray();
    byte[] end = KeyEncoding.prefixEnd(start);
    while (true) {
      List<KeyValue> page = Kv.await(txn.scan(start, end, PAGE), cancel);
      for (KeyValue kv : page) {
        out.add(decodeRow(kv.key(), kv.value()));
      }
      if (page.size() < PAGE) {
        return out;
      }
      byte[] last = page.get(page.size() - 1).key();
      start = Arrays.copyOf(last, last.length + 1);
    }
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
