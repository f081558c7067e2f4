package org.troupedb.sql.internal.exec;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.PointGet;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.txn.Txn;

/**
 * A query or DML statement as {@link DmlPlanner} planned it, one record per kind of plan;
 * {@link Dml#execute} dispatches on the kind in one place. Immutable and shared: a prepared
 * statement holds one in its {@link PlanSlot}.
 */
public sealed interface DmlPlan permits DmlPlan.Query, DmlPlan.PointRead, DmlPlan.SequenceCall, DmlPlan.Write {
  /** The columns the statement returns (none for a write without RETURNING). */
  List<ColumnInfo> columns();

  /** The Calcite plan whose parameters the statement takes and whose text EXPLAIN shows; null for none. */
  QueryPlanner.Plan plan();

  /** The parameter types the plan inferred, in order (empty without a plan). */
  default List<org.apache.calcite.rel.type.RelDataType> paramTypes() {
    return plan() == null ? List.of() : plan().paramTypes();
  }

  /** A SELECT through the planner; {@code readLock} from its FOR UPDATE-style clause. */
  record Query(QueryPlanner.Plan plan, Txn.ReadLock readLock) implements DmlPlan {
    @Override
    public List<ColumnInfo> columns() {
      return plan.columns();
    }
  }

  /** A primary-key equality SELECT: one KV get, no planner; {@code plan} only describes it. */
  record PointRead(PointGet get, QueryPlanner.Plan plan, Txn.ReadLock readLock) implements DmlPlan {
    @Override
    public List<ColumnInfo> columns() {
      return plan.columns();
    }
  }

  /** {@code SELECT nextval('s')} / {@code currval} / {@code setval}: the sequence layer, no plan. */
  record SequenceCall(SqlCall call, List<ColumnInfo> columns) implements DmlPlan {
    @Override
    public QueryPlanner.Plan plan() {
      return null;
    }
  }

  /** Which rows a {@link Write} changes. */
  enum WriteKind { INSERT, UPDATE, DELETE }

  /**
   * INSERT, UPDATE or DELETE of {@code table}. {@code plan} yields the source rows (INSERT: the
   * targeted columns' values; UPDATE: every column, then the new values of {@code targets};
   * DELETE: every column). {@code returning} evaluates RETURNING over a written row, {@code
   * conflictUpdate} ON CONFLICT DO UPDATE (or UPSERT) over an existing and a proposed row; {@code
   * onConflict} whether rows are checked for conflicts one at a time.
   */
  record Write(WriteKind kind, TableDesc table, int[] targets, QueryPlanner.Plan plan, QueryPlanner.Plan returning,
      QueryPlanner.Plan conflictUpdate, boolean onConflict) implements DmlPlan {
    Write(WriteKind kind, TableDesc table, int[] targets, QueryPlanner.Plan plan) {
      this(kind, table, targets, plan, null, null, false);
    }

    @Override
    public List<ColumnInfo> columns() {
      return returning == null ? List.of() : ColumnType.columnsOf(returning.rowType());
    }

    Write withReturning(QueryPlanner.Plan r) {
      return new Write(kind, table, targets, plan, r, conflictUpdate, onConflict);
    }

    Write handlingConflicts(QueryPlanner.Plan update) {
      return new Write(kind, table, targets, plan, returning, update, true);
    }
  }
}
