package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.calcite.rel.type.RelDataType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.DmlTrees;
import org.troupedb.sql.internal.plan.PointGet;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.Query;
import org.troupedb.txn.LockNotAvailableException;
import org.troupedb.txn.Txn;

/**
 * Executes queries and DML. {@link DmlPlanner} chooses the plan (reused from the prepared
 * statement's {@link PlanSlot} while its catalog snapshot holds); this class checks privileges,
 * coerces the parameters, dispatches on the kind of plan, runs it ({@link PlanRunner}) and shapes
 * the result; {@link DmlWrites} writes the rows of INSERT, UPDATE and DELETE.
 */
public final class Dml {
  private Dml() {}

  /**
   * Runs {@code q}. A query that reads no locks and yields more than {@link
   * StreamedResult#BUFFER_ROWS} rows returns them as a {@link StreamedResult}: its plan still runs,
   * and the rows after the first ones are read as they are sent.
   */
  public static StatementResult execute(StatementContext cx, Query q, PlanSlot slot, List<Object> params)
      throws SqlException {
    DmlPlan planned = DmlPlanner.plan(cx, q, slot);
    Txn.ReadLock lock = readLock(planned);
    if (lock == Txn.ReadLock.NONE) {
      return execute(cx, q, planned, params, true);
    }
    Txn txn = cx.txn();
    txn.setReadLock(lock);
    try {
      return execute(cx, q, planned, params, false); // its reads must all be done under the lock mode
    } catch (SqlException e) {
      if (e.getCause() instanceof LockNotAvailableException l) {
        byte[] key = l.key();
        TableDesc t = key.length > 0 && key[0] == Catalog.TABLE_PREFIX
            ? cx.catalog().tables().get(KeyEncoding.readId(key, 1)) : null;
        throw new SqlException(SqlState.LOCK_NOT_AVAILABLE,
            "could not obtain lock on row in relation \"" + (t == null ? "?" : t.name()) + "\"", l);
      }
      throw e;
    } finally {
      txn.setReadLock(Txn.ReadLock.NONE);
    }
  }

  private static Txn.ReadLock readLock(DmlPlan p) {
    if (p instanceof DmlPlan.Query query) {
      return query.readLock();
    }
    return p instanceof DmlPlan.PointRead read ? read.readLock() : Txn.ReadLock.NONE;
  }

  /** The one dispatch on the kind of plan. */
  private static StatementResult execute(StatementContext cx, Query q, DmlPlan planned, List<Object> params,
      boolean mayStream) throws SqlException {
    PlanPrivileges.check(cx, planned);
    if (planned instanceof DmlPlan.SequenceCall call) {
      return SequenceCalls.run(cx, call);
    }
    Object[] internal = parameters(q, planned.plan(), params);
    if (planned instanceof DmlPlan.PointRead read) {
      return pointGet(cx, read, internal);
    }
    if (planned instanceof DmlPlan.Query query) {
      return mayStream ? query(cx, query, internal) : materialized(query, PlanRunner.run(cx, query.plan(), internal));
    }
    List<Object[]> rows = PlanRunner.run(cx, planned.plan(), internal);
    DmlPlan.Write w = (DmlPlan.Write) planned;
    return switch (w.kind()) {
      case INSERT -> returning(cx, w, "INSERT 0 ", DmlWrites.insert(cx, w, rows));
      case UPDATE -> returning(cx, w, "UPDATE ", DmlWrites.update(cx, w, rows));
      case DELETE -> returning(cx, w, "DELETE ", DmlWrites.delete(cx, w, rows));
    };
  }

  /** The client's parameter values coerced to the types the plan takes them as. */
  private static Object[] parameters(Query q, QueryPlanner.Plan plan, List<Object> params) throws SqlException {
    if (params.size() < q.parameterCount()) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION, "statement needs " + q.parameterCount()
          + " parameters, got " + params.size());
    }
    Object[] internal = new Object[q.parameterCount()];
    for (int i = 0; i < internal.length; i++) {
      RelDataType t = i < plan.paramTypes().size() ? plan.paramTypes().get(i) : null;
      internal[i] = t == null ? params.get(i) : ColumnType.fromRelType(t).coerce(params.get(i));
    }
    return internal;
  }

  private static MaterializedResult materialized(DmlPlan.Query query, List<Object[]> rows) {
    toExternal(query.plan(), rows);
    return new MaterializedResult(query.columns(), rows, "SELECT " + rows.size(), false);
  }

  /**
   * A query's rows: read whole when there are at most {@link StreamedResult#BUFFER_ROWS} (charged to
   * the budget as "the query result"), else the rows read so far and the running plan.
   */
  private static StatementResult query(StatementContext cx, DmlPlan.Query query, Object[] params)
      throws SqlException {
    PlanRunner.Rows rows = PlanRunner.open(cx, query.plan(), params);
    UnaryOperator<Object[]> external = externalizer(query.plan());
    try {
      List<Object[]> head = new ArrayList<>();
      org.troupedb.sql.internal.errors.MemoryBudget.Account held =
          rows.memory.transientAccount("the query result");
      while (head.size() <= StreamedResult.BUFFER_ROWS && rows.advance()) {
        held.charge(org.troupedb.sql.internal.errors.RowSizes.of(rows.current()) + 8);
        head.add(external.apply(rows.current()));
      }
      if (head.size() <= StreamedResult.BUFFER_ROWS) {
        rows.close();
        return new MaterializedResult(query.columns(), head, "SELECT " + head.size(), false);
      }
      return new StreamedResult(query.columns(), "SELECT ", head, rows, external);
    } catch (SqlException | RuntimeException | Error e) {
      rows.close();
      throw e;
    }
  }

  /** Converts a row, as {@code plan} produces it, to the values clients receive (in place). */
  private static UnaryOperator<Object[]> externalizer(QueryPlanner.Plan plan) {
    ColumnType[] types = new ColumnType[plan.rowType().getFieldCount()];
    for (int i = 0; i < types.length; i++) {
      types[i] = ColumnType.fromRelType(plan.rowType().getFieldList().get(i).getType());
    }
    return r -> {
      for (int i = 0; i < types.length; i++) {
        r[i] = types[i].toExternal(r[i]);
      }
      return r;
    };
  }

  /** Converts {@code rows}, as {@code plan} produced them, to the values clients receive. */
  private static void toExternal(QueryPlanner.Plan plan, List<Object[]> rows) {
    ColumnType[] types = new ColumnType[plan.rowType().getFieldCount()];
    for (int i = 0; i < types.length; i++) {
      types[i] = ColumnType.fromRelType(plan.rowType().getFieldList().get(i).getType());
    }
    for (Object[] r : rows) {
      for (int i = 0; i < types.length; i++) {
        r[i] = types[i].toExternal(r[i]);
      }
    }
  }

  private static MaterializedResult pointGet(StatementContext cx, DmlPlan.PointRead p, Object[] params)
      throws SqlException {
    PointGet pg = p.get();
    TableDesc t = pg.table();
    Object[] eq = new Object[t.columns().size()];
    int[] pk = t.primary().columns();
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < pk.length; i++) {
      eq[pk[i]] = pg.keyParams()[i] >= 0 ? params[pg.keyParams()[i]] : pg.keyValues()[i];
      if (eq[pk[i]] == null) {
        return new MaterializedResult(p.columns(), out, "SELECT 0", false); // k = NULL matches nothing
      }
    }
    for (Object[] row : new KvTable(t, true).read(cx.txn(), cx.cancel(), eq)) {
      Object[] r = new Object[pg.output().length];
      for (int i = 0; i < r.length; i++) {
        r[i] = t.columns().get(pg.output()[i]).type().toExternal(row[pg.output()[i]]);
      }
      out.add(r);
    }
    return new MaterializedResult(p.columns(), out, "SELECT " + out.size(), false);
  }

  /** The command tag for {@code written}, with the RETURNING rows evaluated over each written row. */
  private static MaterializedResult returning(StatementContext cx, DmlPlan.Write p, String tagPrefix,
      List<Object[]> written) throws SqlException {
    if (p.returning() == null) {
      return new MaterializedResult(List.of(), List.of(), tagPrefix + written.size(), false);
    }
    List<Integer> vis = DmlTrees.visibleColumns(p.table());
    QueryPlanner.Plan rp = p.returning();
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : written) {
      List<Object[]> rows = PlanRunner.run(cx, rp, DmlTrees.valuesOf(row, vis));
      toExternal(rp, rows);
      out.addAll(rows);
    }
    return new MaterializedResult(p.columns(), out, tagPrefix + written.size(), false);
  }
}
