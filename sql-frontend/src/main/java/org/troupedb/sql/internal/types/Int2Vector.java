package org.troupedb.sql.internal.types;

import java.util.AbstractList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A value of PostgreSQL's {@code int2vector} (pg_index.indkey, indoption): an array of smallint
 * whose text form is space-separated ({@code 1 2}) and whose subscripts start at 0.
 *
 * <p>Its SQL type is {@code SMALLINT NOT NULL ARRAY} (an {@code int2[]} such as
 * pg_constraint.conkey has nullable elements); {@link #rebaseSubscripts} turns {@code v[i]} on
 * such a value into Calcite's 1-based {@code v[i + 1]}. NB: an array literal of non-null smallints
 * has the same type and so is subscripted from 0 as well; no client query does that.
 */
public final class Int2Vector extends AbstractList<Short> {
  private final short[] values;

  public Int2Vector(List<? extends Number> values) {
    this.values = new short[values.size()];
    for (int i = 0; i < this.values.length; i++) {
      this.values[i] = values.get(i).shortValue();
    }
  }

  @Override
  public Short get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** The text form, {@code 1 2}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      b.append(i == 0 ? "" : " ").append(values[i]);
    }
    return b.toString();
  }

  public static RelDataType type(RelDataTypeFactory f) {
    return f.createArrayType(f.createSqlType(SqlTypeName.SMALLINT), -1);
  }

  static boolean isVector(RelDataType t) {
    RelDataType c = t.getComponentType();
    return t.getSqlTypeName() == SqlTypeName.ARRAY && c != null && c.getSqlTypeName() == SqlTypeName.SMALLINT
        && !c.isNullable();
  }

  /** {@code v[i]} on an int2vector as {@code v[i + 1]}, everywhere in {@code rel}. */
  public static RelNode rebaseSubscripts(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (visited instanceof RexCall c && c.getKind() == SqlKind.ITEM && isVector(c.getOperands().get(0).getType())) {
          RexNode index = c.getOperands().get(1);
          RexNode next = rb.makeCall(SqlStdOperatorTable.PLUS, index, rb.makeExactLiteral(java.math.BigDecimal.ONE,
              index.getType()));
          return rb.makeCall(c.getType(), c.getOperator(), List.of(c.getOperands().get(0), next));
        }
        return visited;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(rex);
      }
    });
  }
}
