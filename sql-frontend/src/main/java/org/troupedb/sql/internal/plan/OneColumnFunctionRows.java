package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableTableFunctionScan;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexProgram;

/**
 * Works around a row-format mismatch in Calcite's Enumerable code for table functions with one
 * column ({@code generate_series}): the function scan yields {@code Object[]} rows and says so,
 * but an operator that only passes rows on (Sort, Limit) re-derives its format from the row type,
 * where one column means a bare value; the operator after it then casts an {@code Object[]} to
 * the value's class (ClassCastException, XX000), e.g. {@code SELECT count(*) FROM (SELECT g FROM
 * generate_series(1, 20) g ORDER BY g DESC LIMIT 10) x}. An identity Calc on such a scan, put in
 * after planning, reads the array and yields the bare value, so every operator above agrees.
 */
final class OneColumnFunctionRows {
  private OneColumnFunctionRows() {}

  /** {@code plan} with an identity Calc over every one-column table function scan of array rows. */
  static RelNode unwrap(RelNode rel) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode in : rel.getInputs()) {
      RelNode out = unwrap(in);
      changed |= out != in;
      inputs.add(out);
    }
    RelNode result = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    if (result instanceof EnumerableTableFunctionScan scan && scan.getRowType().getFieldCount() == 1
        && scan.getElementType() == Object[].class) {
      return EnumerableCalc.create(scan, RexProgram.createIdentity(scan.getRowType()));
    }
    return result;
  }
}
