package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * The source of {@code INSERT … VALUES ($1, $2), ($3, $4), …} when every item is a bare parameter
 * (what drivers send for batched inserts): its rows are the parameters themselves, placed per
 * execution, with no Calcite planning and no generated code. Through Calcite a 1,000-row batch
 * compiles one method of 2,000 casts before its first execution (seconds).
 *
 * <p>Same semantics as the planned source {@code VALUES (CAST($1 AS <column type>), …)}: each
 * parameter's type is its target column's type (text for character columns), so the session
 * coerces the bound value to it (PostgreSQL's input rules and errors), and the insert coerces it
 * to the column (length and range checks).
 */
public final class ParamValues {
  private ParamValues() {}

  /**
   * The plan of {@code source} for columns {@code targets} of {@code t}, or null when it is not a
   * VALUES of bare parameters (then the general path plans it and reports any error), or when a
   * parameter feeds columns of different types or a parameter number is skipped.
   */
  public static QueryPlanner.Plan plan(TableDesc t, int[] targets, SqlNode source) {
    if (source.getKind() != SqlKind.VALUES) {
      return null;
    }
    List<SqlNode> rows = ((SqlCall) source).getOperandList();
    int[][] index = new int[rows.size()][targets.length];
    List<RelDataType> paramTypes = new ArrayList<>();
    RelDataTypeFactory f = QueryPlanner.TYPE_FACTORY;
    for (int r = 0; r < rows.size(); r++) {
      SqlCall row = (SqlCall) rows.get(r);
      if (row.operandCount() != targets.length) {
        return null;
      }
      for (int j = 0; j < targets.length; j++) {
        if (!(row.operand(j) instanceof SqlDynamicParam p)) {
          return null;
        }
        RelDataType type = paramType(t.columns().get(targets[j]).type(), f);
        while (paramTypes.size() <= p.getIndex()) {
          paramTypes.add(null);
        }
        RelDataType seen = paramTypes.get(p.getIndex());
        if (seen != null && !seen.equals(type)) {
          return null;
        }
        paramTypes.set(p.getIndex(), type);
        index[r][j] = p.getIndex();
      }
    }
    if (paramTypes.contains(null)) {
      return null;
    }
    RelDataTypeFactory.Builder b = f.builder();
    for (int target : targets) {
      TableDesc.Column c = t.columns().get(target);
      b.add(c.name(), c.type().toRelType(f, true));
    }
    String[] names = new String[paramTypes.size()]; // DataContext names of the parameters
    for (int i = 0; i < names.length; i++) {
      names[i] = "?" + i;
    }
    Bindable<Object> rowsOf = ctx -> {
      List<Object> out = new ArrayList<>(index.length);
      for (int[] row : index) {
        Object[] values = new Object[row.length];
        for (int j = 0; j < row.length; j++) {
          values[j] = ctx.get(names[row[j]]);
        }
        out.add(values);
      }
      return Linq4j.asEnumerable(out);
    };
    String explain = "ParamValues(rows=[" + rows.size() + "], params=" + paramTypes.size() + ")";
    return new QueryPlanner.Plan(rowsOf, b.build(), List.copyOf(paramTypes), explain, Map.of());
  }

  /**
   * A parameter's type for a column of type {@code ct}: the column's, except that character
   * columns take text (as the planned path reports them; the length is checked when stored).
   */
  private static RelDataType paramType(ColumnType ct, RelDataTypeFactory f) {
    return switch (ct.pg()) {
      case VARCHAR, BPCHAR -> f.createTypeWithNullability(f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), true);
      default -> ct.toRelType(f, true);
    };
  }
}
