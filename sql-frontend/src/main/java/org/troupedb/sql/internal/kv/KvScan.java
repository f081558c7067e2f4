package org.troupedb.sql.internal.kv;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * The executable part of a {@link KvTableScan}: the table and the bounds taken from the pushed
 * comparisons when the plan was built (literals already converted to the column type). The
 * plan's generated code evaluates the other bound values (parameters, outer-row columns) and
 * calls {@link #scan} once per execution (per outer row inside a correlated join); nothing is
 * compiled or re-analysed then.
 *
 * <p>NB: public only because the plan's generated class (another package) calls it.
 */
public final class KvScan {
  /** A bound on a table column: {@code column = v}, {@code column >= v} or {@code column <= v}. */
  enum Op { EQ, LOWER, UPPER }

  /**
   * A bound found at plan time: its value is {@code literal} (already in the column type) when
   * {@code value} is null, else the expression {@code value} (a parameter, a correlated column of
   * an outer row, or a deterministic expression over those) evaluated per execution.
   */
  record Bound(int column, Op op, Object literal, RexNode value) {}

  private final KvTable table;
  private final List<Bound> bounds;

  /** {@code bounds}: their values are passed to {@link #scan} in this order (literal bounds get null). */
  KvScan(KvTable table, List<Bound> bounds) {
    this.table = table;
    this.bounds = List.copyOf(bounds);
  }

  List<Bound> bounds() {
    return bounds;
  }

  /**
   * The rows (visible columns) within the bounds, read in the execution's transaction;
   * {@code values[i]} is the value of the i-th bound's expression (unused for literal bounds).
   */
  public Enumerable<Object[]> scan(DataContext root, Object[] values) {
    ExecContext ctx = (ExecContext) root;
    int n = table.desc.columns().size();
    Object[] eq = new Object[n];
    Object[][] range = new Object[n][];
    for (int i = 0; i < bounds.size(); i++) {
      Bound b = bounds.get(i);
      Object v = b.value() == null ? b.literal() : coerce(table, b.column(), values[i]);
      if (v == null) {
        continue; // NULL or not representable in the column type: the filter above decides
      }
      switch (b.op()) {
        case EQ -> eq[b.column()] = v;
        case LOWER -> range(range, b.column())[0] = v;
        case UPPER -> range(range, b.column())[1] = v;
      }
    }
    try {
      MemoryBudget.Account held = ctx.memory().transientAccount("Seq Scan on " + table.desc.name());
      return table.enumerate(ctx.txn(), ctx.cancelFlag(), eq, range, held);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  private static Object[] range(Object[][] range, int column) {
    if (range[column] == null) {
      range[column] = new Object[2];
    }
    return range[column];
  }

  /** The table columns {@code bounds} bind by equality and by a range (for {@link KvAccess}). */
  static KvAccess access(KvTable table, List<Bound> bounds) {
    int n = table.desc.columns().size();
    boolean[] eq = new boolean[n];
    boolean[] range = new boolean[n];
    for (Bound b : bounds) {
      if (b.op() == Op.EQ) {
        eq[b.column()] = true;
      } else {
        range[b.column()] = true;
      }
    }
    return KvAccess.choose(table.desc, eq, range);
  }

  /**
   * The bounds a conjunct gives on one column of {@code table}: {@code col op literal},
   * {@code col op value} (either side; a value as {@link #isValue} allows) and SEARCH over
   * literals (its span; a single point is equality). Empty when the conjunct bounds nothing usable.
   */
  static List<Bound> bounds(KvTable table, RexNode conjunct) {
    List<Bound> out = new ArrayList<>();
    if (!(conjunct instanceof RexCall call) || call.getOperands().isEmpty()) {
      return out;
    }
    SqlKind kind = call.getKind();
    if (kind == SqlKind.SEARCH && call.getOperands().get(0) instanceof RexInputRef ref
        && call.getOperands().get(1) instanceof RexLiteral lit) {
      int col = table.column(ref.getIndex());
      Sarg<?> sarg = lit.getValueAs(Sarg.class);
      if (sarg == null || sarg.rangeSet.isEmpty() || sarg.nullAs == RexUnknownAs.TRUE) {
        return out;
      }
      com.google.common.collect.Range<?> span = sarg.rangeSet.span();
      Object lo = span.hasLowerBound() ? coerce(table, col, sargValue(span.lowerEndpoint())) : null;
      Object hi = span.hasUpperBound() ? coerce(table, col, sargValue(span.upperEndpoint())) : null;
      if (sarg.isPoints() && sarg.pointCount == 1 && lo != null) {
        out.add(new Bound(col, Op.EQ, lo, null));
      } else if ((!span.hasLowerBound() || lo != null) && (!span.hasUpperBound() || hi != null)) {
        if (lo != null) {
          out.add(new Bound(col, Op.LOWER, lo, null));
        }
        if (hi != null) {
          out.add(new Bound(col, Op.UPPER, hi, null));
        }
      }
      return out;
    }
    if (call.getOperands().size() != 2) {
      return out;
    }
    RexNode a = call.getOperands().get(0);
    RexNode b = call.getOperands().get(1);
    if (!(a instanceof RexInputRef) && b instanceof RexInputRef) {
      RexNode t = a;
      a = b;
      b = t;
      kind = kind.reverse();
    }
    Op op = switch (kind) {
      case EQUALS -> Op.EQ;
      case GREATER_THAN, GREATER_THAN_OR_EQUAL -> Op.LOWER;
      case LESS_THAN, LESS_THAN_OR_EQUAL -> Op.UPPER;
      default -> null;
    };
    if (op == null || !(a instanceof RexInputRef ref)) {
      return out;
    }
    int col = table.column(ref.getIndex());
    if (b instanceof RexLiteral lit) {
      Object v = coerce(table, col, literalValue(lit));
      if (v != null) {
        out.add(new Bound(col, op, v, null));
      }
    } else if (isValue(b)) {
      out.add(new Bound(col, op, null, b));
    }
    return out;
  }

  /**
   * True for an expression the scan can evaluate before reading: parameters, fields of a
   * correlated outer row, literals, and casts, sums and differences of those (no column of the
   * table itself).
   */
  static boolean isValue(RexNode n) {
    if (n instanceof RexLiteral || n instanceof RexDynamicParam) {
      return true;
    }
    if (n instanceof RexFieldAccess fa) {
      return fa.getReferenceExpr() instanceof RexCorrelVariable;
    }
    // Only calls that cannot fail where the filter would not have evaluated them.
    if (n instanceof RexCall call && !(n instanceof RexSubQuery)
        && (n.getKind() == SqlKind.CAST || n.getKind() == SqlKind.PLUS || n.getKind() == SqlKind.MINUS)) {
      for (RexNode o : call.getOperands()) {
        if (!isValue(o)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static Object coerce(KvTable table, int col, Object v) {
    if (v == null) {
      return null;
    }
    try {
      return table.desc.columns().get(col).type().coerce(v);
    } catch (SqlException | RuntimeException e) {
      return null; // not representable in the column type: no narrowing
    }
  }

  private static Object sargValue(Object v) {
    if (v instanceof NlsString s) {
      return s.getValue();
    } else if (v instanceof DateString d) {
      return d.getDaysSinceEpoch();
    } else if (v instanceof TimestampString t) {
      return t; // the column type reads it in microseconds
    }
    return v;
  }

  private static Object literalValue(RexLiteral lit) {
    if (lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP
        || lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      // not getValue2's milliseconds: timestamps are microseconds here (ColumnType reads the string)
      return lit.getValueAs(TimestampString.class);
    }
    Object v2 = lit.getValue2();
    if (v2 instanceof NlsString s) {
      return s.getValue();
    }
    return v2;
  }
}
