package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.DmlTrees;
import org.troupedb.sql.internal.plan.PlanKind;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;

/**
 * CHECK constraints: each table's checks are planned once per catalog snapshot as {@code SELECT
 * <check 1>, <check 2>, … FROM (VALUES (<the row as parameters>)) AS t(<columns>)} and evaluated
 * over every row an INSERT, UPDATE, COPY or referential action writes. A row passes a check that
 * is true or NULL (as in PostgreSQL); checks run in name order, as PostgreSQL's do.
 */
final class Checks {
  private Checks() {}

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /** {@code t}'s checks in the order they are evaluated. */
  static List<TableDesc.Check> ordered(TableDesc t) {
    List<TableDesc.Check> cs = new ArrayList<>(t.checks());
    cs.sort(Comparator.comparing(TableDesc.Check::name));
    return cs;
  }

  private static QueryPlanner.Plan plan(StatementContext cx, TableDesc t, List<TableDesc.Check> checks)
      throws SqlException {
    StringBuilder key = new StringBuilder().append(t.id());
    for (TableDesc.Check c : checks) {
      key.append('\u0000').append(c.expr());
    }
    return cx.planner().planCached(cx.catalog(), cx.databaseId(), PlanKind.CHECKS, key.toString(), () -> {
      List<SqlNode> items = new ArrayList<>();
      for (TableDesc.Check c : checks) {
        items.add(DmlTrees.parseExpression(c.expr()));
      }
      return new SqlSelect(POS, null, new SqlNodeList(items, POS), DmlTrees.rowSource(t, t.name(), 0), null, null,
          null, null, null, null, null, null, null);
    });
  }

  /**
   * Plans {@code checks} over {@code t}'s columns: 42703 for an unknown column, 42804 for a check
   * that is not boolean.
   */
  static void validate(StatementContext cx, TableDesc t, List<TableDesc.Check> checks) throws SqlException {
    if (checks.isEmpty()) {
      return;
    }
    QueryPlanner.Plan p = plan(cx, t, checks);
    for (int i = 0; i < checks.size(); i++) {
      var type = p.rowType().getFieldList().get(i).getType();
      if (type.getSqlTypeName() != SqlTypeName.BOOLEAN && type.getSqlTypeName() != SqlTypeName.NULL) {
        throw new SqlException(SqlState.DATATYPE_MISMATCH, "argument of CHECK must be type boolean, not type "
            + org.troupedb.sql.internal.types.ColumnType.fromRelType(type).sqlName());
      }
    }
  }

  /** 23514 if {@code row} (all of {@code t}'s columns) fails one of {@code t}'s checks. */
  static void verify(StatementContext cx, TableDesc t, Object[] row) throws SqlException {
    if (t.checks().isEmpty()) {
      return;
    }
    String failed = firstFailing(cx, t, ordered(t), row);
    if (failed != null) {
      throw new SqlException(SqlState.CHECK_VIOLATION, "new row for relation \"" + t.name()
          + "\" violates check constraint \"" + failed + "\"",
          "Failing row contains " + RowWriter.rowText(t, row) + ".", null, null);
    }
  }

  /** The name of the first of {@code checks} that {@code row} makes false, or null. */
  static String firstFailing(StatementContext cx, TableDesc t, List<TableDesc.Check> checks,
      Object[] row) throws SqlException {
    QueryPlanner.Plan p = plan(cx, t, checks);
    Object[] r = PlanRunner.run(cx, p, DmlTrees.valuesOf(row, DmlTrees.visibleColumns(t))).get(0);
    for (int i = 0; i < checks.size(); i++) {
      if (Boolean.FALSE.equals(r[i])) {
        return checks.get(i).name();
      }
    }
    return null;
  }
}
