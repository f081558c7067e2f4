package org.troupedb.sql.internal.exec;

import static org.troupedb.sql.internal.plan.DmlTrees.castIfNeeded;
import static org.troupedb.sql.internal.plan.DmlTrees.conflictNode;
import static org.troupedb.sql.internal.plan.DmlTrees.insertTargets;
import static org.troupedb.sql.internal.plan.DmlTrees.returningNode;
import static org.troupedb.sql.internal.plan.DmlTrees.selectAll;
import static org.troupedb.sql.internal.plan.DmlTrees.sequenceCall;
import static org.troupedb.sql.internal.plan.DmlTrees.targets;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUpdate;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.plan.InsertValues;
import org.troupedb.sql.internal.plan.LiteralCasts;
import org.troupedb.sql.internal.plan.ParamValues;
import org.troupedb.sql.internal.plan.PlanKind;
import org.troupedb.sql.internal.plan.PointGet;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.Query;
import org.troupedb.sql.parser.ast.SqlReturning;
import org.troupedb.txn.Txn;

/**
 * Chooses the plan of a query or DML statement ({@link DmlPlan}): a sequence function call, a
 * primary-key point read, a planned SELECT, or a write whose source rows, RETURNING and ON
 * CONFLICT update are planned queries ({@link org.troupedb.sql.internal.plan.DmlTrees}). Every
 * planned query comes from the node's plan cache.
 */
public final class DmlPlanner {
  private DmlPlanner() {}

  /** The planned form of {@code q} under the statement's catalog: from {@code slot} when still valid there. */
  public static DmlPlan plan(StatementContext cx, Query q, PlanSlot slot) throws SqlException {
    if (slot == null) {
      return plan(cx, q);
    }
    long generation = cx.planner().generation();
    DmlPlan p = slot.get(cx.catalog(), cx.databaseId(), generation);
    if (p == null) {
      p = plan(cx, q);
      slot.put(cx.catalog(), cx.databaseId(), generation, p);
    }
    return p;
  }

  public static DmlPlan plan(StatementContext cx, Query q) throws SqlException {
    cx.node().statementsPlanned().incrementAndGet();
    DmlPlan p;
    try {
      p = planLocked(cx, q);
    } catch (SqlException e) {
      throw Errors.locate(e, q.sql());
    }
    if (!(p instanceof DmlPlan.Write w)) {
      return p;
    }
    Catalog cat = cx.catalog();
    TableDesc t = w.table();
    if (q.returning() != null) {
      try {
        w = w.withReturning(cx.planner().planCached(cat, cx.databaseId(), PlanKind.RETURNING, q.sql(),
            () -> returningNode(t, Query.returning(q.fresh()))));
      } catch (SqlException e) {
        throw Errors.locate(e, q.sql());
      }
    }
    if (q.handlesConflicts()) {
      QueryPlanner.Plan cu = null;
      if (q.upsert() || !q.onConflict().doNothing()) {
        cu = cx.planner().planCached(cat, cx.databaseId(), PlanKind.CONFLICT_UPDATE, q.sql(),
            () -> conflictNode(t, insertTargets(t, (SqlInsert) QueryPlanner.parse(q.sql())),
                Query.onConflict(q.fresh())));
      }
      w = w.handlingConflicts(cu);
    }
    return w;
  }

  /** The statement's tree to plan: an UPDATE or DELETE without its RETURNING (planned apart). */
  private static SqlNode parse(Query q) throws SqlException {
    SqlNode node = QueryPlanner.parse(q.sql());
    return node instanceof SqlReturning r ? r.dml() : node;
  }

  /** The plan of the tree without its FOR UPDATE-style clause, which becomes the plan's read lock. */
  private static DmlPlan planLocked(StatementContext cx, Query q) throws SqlException {
    Txn.ReadLock lock = QueryPlanner.readLock(q.node());
    SqlNode node = parse(q);
    LiteralCasts.check(node);
    SqlCall seq = sequenceCall(node);
    if (seq != null) {
      String label = seq.getOperator().getName().toLowerCase();
      return new DmlPlan.SequenceCall(seq, List.of(ColumnInfo.of(label, PgType.INT8)));
    }
    Catalog cat = cx.catalog();
    long db = cx.databaseId();
    QueryPlanner planner = cx.planner();
    switch (node.getKind()) {
      case INSERT -> {
        SqlInsert ins = (SqlInsert) node;
        ViewWrites.refuseView(cat, db, ins.getTargetTable(), ViewWrites.Write.INSERT);
        TableDesc t = table(cat, db, ins.getTargetTable());
        int[] targets = insertTargets(t, ins);
        QueryPlanner.Plan params = ParamValues.plan(t, targets, ins.getSource());
        QueryPlanner.Plan plan = params != null ? params : planner.planCached(cat, db, PlanKind.INSERT_SOURCE,
            q.sql(), () -> InsertValues.insertSource(t, targets, ((SqlInsert) QueryPlanner.parse(q.sql())).getSource()));
        return new DmlPlan.Write(DmlPlan.WriteKind.INSERT, t, targets, plan);
      }
      case UPDATE -> {
        SqlUpdate up = (SqlUpdate) node;
        ViewWrites.refuseView(cat, db, up.getTargetTable(), ViewWrites.Write.UPDATE);
        TableDesc t = table(cat, db, up.getTargetTable());
        int[] targets = targets(t, up.getTargetColumnList());
        QueryPlanner.Plan plan = planner.planCached(cat, db, PlanKind.UPDATE_ROWS, q.sql(), () -> {
          SqlUpdate u = (SqlUpdate) parse(q);
          List<SqlNode> extra = new ArrayList<>();
          for (int i = 0; i < targets.length; i++) {
            extra.add(castIfNeeded(u.getSourceExpressionList().get(i), t.columns().get(targets[i]).type()));
          }
          return selectAll(t, u.getAlias(), u.getCondition(), extra);
        });
        return new DmlPlan.Write(DmlPlan.WriteKind.UPDATE, t, targets, plan);
      }
      case DELETE -> {
        SqlDelete del = (SqlDelete) node;
        ViewWrites.refuseView(cat, db, del.getTargetTable(), ViewWrites.Write.DELETE);
        TableDesc t = table(cat, db, del.getTargetTable());
        QueryPlanner.Plan plan = planner.planCached(cat, db, PlanKind.DELETE_ROWS, q.sql(), () -> {
          SqlDelete d = (SqlDelete) parse(q);
          return selectAll(t, d.getAlias(), d.getCondition(), List.of());
        });
        return new DmlPlan.Write(DmlPlan.WriteKind.DELETE, t, new int[0], plan);
      }
      case MERGE -> throw SqlException.unsupported("MERGE");
      default -> {
        PointGet pg = PointGet.match(cat, db, node);
        if (pg != null && pg.keepsDeclaredTypes(cx.declaredTypes())) {
          return new DmlPlan.PointRead(pg, pg.describe(), lock);
        }
        return new DmlPlan.Query(planner.planCached(cat, db, q.sql(), cx.declaredTypes()), lock);
      }
    }
  }

  static TableDesc table(Catalog cat, long db, SqlNode target) throws SqlException {
    if (!(target instanceof SqlIdentifier id)) {
      throw SqlException.unsupported("this DML target");
    }
    String name = id.names.get(id.names.size() - 1);
    TableDesc t = cat.table(db, "public", name);
    if (t == null) {
      throw Errors.at(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist", id.getParserPosition());
    }
    return t;
  }
}
