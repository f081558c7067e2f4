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
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.kv.ExecContext;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;

/**
 * Runs a planned query, the one way every caller does it:
 *
 * <pre>
 *   budget ─▶ ExecContext ─▶ bind ─▶ {@link Rows}: pull rows (cancel check) ─▶ close: enumerator, budget
 *                                      │ LinkageError: the generated class is broken ─▶ drop all plans
 *   {@link #run}: pull them all into a list, charged to the budget as "the query result"
 * </pre>
 */
public final class PlanRunner {
  private PlanRunner() {}

  /** The rows of {@code plan} run with {@code params} in the statement's transaction, all of them. */
  public static List<Object[]> run(StatementContext cx, QueryPlanner.Plan plan, Object[] params)
      throws SqlException {
    try (Rows rows = open(cx, plan, params)) {
      List<Object[]> out = new ArrayList<>();
      MemoryBudget.Account result = rows.memory.transientAccount("the query result");
      while (rows.advance()) {
        result.charge(RowSizes.of(rows.current) + 8);
        out.add(rows.current);
      }
      return out;
    } catch (OutOfMemoryError e) {
      // NB: a safety net under the budgets (which should fail first): the rows go, the node stays
      throw outOfMemory();
    }
  }

  /**
   * {@code plan} bound and ready to be pulled: the rows are produced as they are asked for, with
   * the statement's budget held until {@link Rows#close}.
   */
  public static Rows open(StatementContext cx, QueryPlanner.Plan plan, Object[] params) throws SqlException {
    MemoryBudget memory = cx.session().statementMemory();
    try {
      ExecContext ctx = new ExecContext(cx.planner().rootSchema(cx.planner().config(cx.catalog(), cx.databaseId())),
          QueryPlanner.TYPE_FACTORY, cx.txn(), params, cx.cancel(), System.currentTimeMillis(), plan.internals(),
          cx.session().timeZone(), Privileges.currentUser(cx), memory).withAdvisoryLocks(cx.session().advisoryLocks())
          .withSessionConfig(cx.session().sessionConfig());
      return new Rows(cx, plan.bindable().bind(ctx).enumerator(), plan.rowType().getFieldCount(), memory);
    } catch (RuntimeException e) {
      memory.close();
      throw Errors.fromRuntime(e);
    } catch (LinkageError e) {
      memory.close();
      cx.planner().invalidate();
      throw Errors.fromRuntime(e);
    }
  }

  private static SqlException outOfMemory() {
    return new SqlException(SqlState.OUT_OF_MEMORY, "out of memory", "The node's heap ran out while the query ran.",
        null, null);
  }

  /**
   * A running plan's rows, pulled one at a time: {@link #advance} checks for cancellation and maps
   * the plan's failures to SQLSTATEs; {@link #close} closes the plan's enumerator (its scans stop)
   * and gives the statement's memory back. As an {@link Enumerator} its failures are unchecked
   * ({@link SqlRuntimeException}). NB: used on the session's thread only.
   */
  public static final class Rows implements Enumerator<Object[]>, AutoCloseable {
    private final StatementContext cx;
    private final Enumerator<Object> en;
    private final int width;
    final MemoryBudget memory;
    private Object[] current;
    private boolean closed;

    private Rows(StatementContext cx, Enumerator<Object> en, int width, MemoryBudget memory) {
      this.cx = cx;
      this.en = en;
      this.width = width;
      this.memory = memory;
    }

    /** Moves to the next row (false at the end). */
    boolean advance() throws SqlException {
      CancelFlag cancel = cx.cancel();
      try {
        if (!en.moveNext()) {
          current = null;
          return false;
        }
        if (cancel.get()) {
          throw CancelFlag.error(cancel);
        }
        Object o = en.current();
        current = width == 1 && !(o instanceof Object[]) ? new Object[] {o} : (Object[]) o;
        return true;
      } catch (RuntimeException e) {
        throw Errors.fromRuntime(e);
      } catch (LinkageError e) {
        cx.planner().invalidate();
        throw Errors.fromRuntime(e);
      } catch (OutOfMemoryError e) {
        throw outOfMemory();
      }
    }

    @Override
    public boolean moveNext() {
      try {
        return advance();
      } catch (SqlException e) {
        throw new SqlRuntimeException(e);
      }
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      current = null;
      try {
        en.close();
      } finally {
        memory.close();
      }
    }
  }
}
