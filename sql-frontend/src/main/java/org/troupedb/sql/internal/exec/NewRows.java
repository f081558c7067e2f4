package org.troupedb.sql.internal.exec;

import java.util.List;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.DmlTrees;
import org.troupedb.sql.internal.plan.PlanKind;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.PgUuid;

/**
 * Completes the rows INSERT, COPY and CREATE TABLE AS add: the DEFAULT of each column they do not
 * target, SERIAL values, the hidden row id of a table without a primary key, then the NOT NULL
 * check.
 */
final class NewRows {
  private NewRows() {}

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /** 23502 if a NOT NULL column of {@code row} is null, with PostgreSQL's detail. */
  static void checkNotNull(TableDesc t, Object[] row) throws SqlException {
    for (int i = 0; i < row.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (row[i] == null && !c.nullable()) {
        throw new SqlException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + c.name()
            + "\" of relation \"" + t.name() + "\" violates not-null constraint",
            "Failing row contains " + RowWriter.rowText(t, row) + ".", null, null);
      }
    }
  }

  /**
   * The DEFAULT values of the columns an INSERT (or COPY) does not target, evaluated once per
   * statement (per row where {@link VolatileDefaults#any} says a default is volatile).
   */
  static Object[] defaults(StatementContext cx, TableDesc t, boolean[] targeted) throws SqlException {
    Object[] defaults = new Object[t.columns().size()];
    for (int i = 0; i < defaults.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (!targeted[i] && c.defaultSql() != null && c.sequence() == null) {
        defaults[i] = evalDefault(cx, c);
      }
    }
    return defaults;
  }

  /**
   * Fills the untargeted columns of a new row (defaults, SERIAL values, the hidden rowid) and
   * checks NOT NULL.
   */
  static void complete(StatementContext cx, TableDesc t, boolean[] targeted, Object[] defaults, Object[] full)
      throws SqlException {
    for (int i = 0; i < full.length; i++) {
      TableDesc.Column c = t.columns().get(i);
      if (!targeted[i]) {
        full[i] = defaults[i];
      }
      if (full[i] == null && c.sequence() != null) {
        full[i] = c.type().coerce(SequenceCalls.nextval(cx, c.sequence()));
      } else if (full[i] == null && c.hidden()) {
        full[i] = uniqueRowId(cx);
      }
    }
    checkNotNull(t, full);
  }

  static Object evalDefault(StatementContext cx, TableDesc.Column c) throws SqlException {
    if (c.type().pg() == PgType.UUID && "gen_random_uuid()".equalsIgnoreCase(c.defaultSql().trim())) {
      return PgUuid.random(); // per row (see VolatileDefaults): skip running a plan
    }
    String sequence = nextvalOf(c.defaultSql());
    if (sequence != null) { // DEFAULT nextval('s'): the planner has no nextval in expressions
      return c.type().coerce(SequenceCalls.nextval(cx, sequence));
    }
    QueryPlanner.Plan plan = cx.planner().planCached(cx.catalog(), cx.databaseId(), PlanKind.COLUMN_DEFAULT,
        c.defaultSql(), () -> new SqlSelect(POS, null,
            new SqlNodeList(List.of(DmlTrees.parseExpression(c.defaultSql())), POS),
            null, null, null, null, null, null, null, null, null, null));
    return c.type().coerce(PlanRunner.run(cx, plan, new Object[0]).get(0)[0]);
  }

  /** The sequence of a DEFAULT that is {@code nextval('s')} (or {@code nextval('s'::regclass)}), else null. */
  private static String nextvalOf(String defaultSql) throws SqlException {
    if (!defaultSql.toLowerCase(java.util.Locale.ROOT).contains("nextval")) {
      return null; // cheap pre-check: no parse for the common defaults
    }
    org.apache.calcite.sql.SqlNode e = DmlTrees.parseExpression(defaultSql);
    if (e instanceof org.apache.calcite.sql.SqlCall call && call.getOperator().getName().equalsIgnoreCase("nextval")
        && call.operandCount() == 1) {
      org.apache.calcite.sql.SqlNode arg = call.operand(0);
      if (arg instanceof org.apache.calcite.sql.SqlCall cast && cast.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
        arg = cast.operand(0);
      }
      if (arg instanceof org.apache.calcite.sql.SqlLiteral lit) {
        return lit.getValueAs(String.class);
      }
    }
    return null;
  }

  private static long lastRowId;

  /** A unique, roughly increasing row id for tables without a primary key (HLC-based). */
  private static synchronized long uniqueRowId(StatementContext cx) {
    var ts = cx.kv().clock().now();
    long id = (ts.wallTime() / 1000) << 10 | (ts.logical() & 0x3FF);
    if (id <= lastRowId) {
      id = lastRowId + 1;
    }
    lastRowId = id;
    return id;
  }
}
