package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerator;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.RowSizes;
import org.troupedb.sql.internal.kv.ExecContext;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;

/**
 * Runs a planned query to completion, the one way every caller does it:
 *
 * <pre>
 *   budget ─▶ ExecContext ─▶ bind ─▶ drain rows (cancel check, memory charged) ─▶ close budget
 *                                      │ LinkageError: the generated class is broken ─▶ drop all plans
 * </pre>
 */
public final class PlanRunner {
  private PlanRunner() {}

  /** The rows of {@code plan} run with {@code params} in the statement's transaction. */
  public static List<Object[]> run(StatementContext cx, QueryPlanner.Plan plan, Object[] params)
      throws SqlException {
    MemoryBudget memory = cx.session().statementMemory();
    try {
      ExecContext ctx = new ExecContext(cx.planner().rootSchema(cx.planner().config(cx.catalog(), cx.databaseId())),
          QueryPlanner.TYPE_FACTORY, cx.txn(), params, cx.cancel(), System.currentTimeMillis(), plan.internals(),
          cx.session().timeZone(), Privileges.currentUser(cx), memory).withAdvisoryLocks(cx.session().advisoryLocks())
          .withSessionConfig(cx.session().sessionConfig());
      return drain(cx, plan.bindable().bind(ctx).enumerator(), plan.rowType().getFieldCount(), memory);
    } catch (RuntimeException e) {
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      cx.planner().invalidate();
      throw Errors.fromRuntime(e);
    } finally {
      memory.close(); // NB: drain closes it too; this covers a bind that failed
    }
  }

  /**
   * Reads rows from an enumerator, checking for cancellation between rows and charging {@code
   * memory} for the result it holds ("result"); closes {@code memory} at the end. NB: the rows
   * returned are no longer counted, though they live until the client has them. Its runtime
   * errors and LinkageErrors reach {@link #run}'s handlers.
   */
  private static List<Object[]> drain(StatementContext cx, Enumerator<Object> en, int width, MemoryBudget memory)
      throws SqlException {
    CancelFlag cancel = cx.cancel();
    List<Object[]> rows = new ArrayList<>();
    MemoryBudget.Account result = memory.transientAccount("the query result");
    try {
      while (en.moveNext()) {
        if (cancel.get()) {
          throw CancelFlag.error(cancel);
        }
        Object o = en.current();
        Object[] row = width == 1 && !(o instanceof Object[]) ? new Object[] {o} : (Object[]) o;
        result.charge(RowSizes.of(row) + 8);
        rows.add(row);
      }
    } catch (OutOfMemoryError e) {
      // NB: a safety net under the budgets (which should fail first): the rows go, the node stays
      rows = null;
      throw new SqlException(SqlState.OUT_OF_MEMORY, "out of memory",
          "The node's heap ran out while the query ran.", null, null);
    } finally {
      en.close();
      memory.close();
    }
    return rows;
  }
}
