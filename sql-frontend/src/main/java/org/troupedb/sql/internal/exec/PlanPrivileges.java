package org.troupedb.sql.internal.exec;

import java.util.Set;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.StatementContext;

/**
 * The privileges a planned DML statement needs, checked before each execution. It sits in exec,
 * beside the {@link DmlPlan} it reads, so that {@code auth} knows nothing of plans.
 */
final class PlanPrivileges {
  private PlanPrivileges() {}

  /**
   * 42501 unless the session may run {@code p}: the privilege on its target table for INSERT,
   * UPDATE, DELETE (and UPDATE for an INSERT … ON CONFLICT that updates), SELECT on every other
   * table its plans scan. Runs on each execution (plans are shared between sessions).
   */
  static void check(StatementContext cx, DmlPlan p) throws SqlException {
    if (Privileges.superuser(cx)) {
      return;
    }
    TableDesc target = null;
    boolean readsTarget = false; // UPDATE and DELETE read their target under their own privilege
    if (p instanceof DmlPlan.Write w) {
      target = w.table();
      switch (w.kind()) {
        case INSERT -> {
          Privileges.checkTable(cx, target, AuthCatalog.Privilege.INSERT);
          if (w.conflictUpdate() != null) {
            Privileges.checkTable(cx, target, AuthCatalog.Privilege.UPDATE);
          }
        }
        case UPDATE -> Privileges.checkTable(cx, target, AuthCatalog.Privilege.UPDATE);
        case DELETE -> Privileges.checkTable(cx, target, AuthCatalog.Privilege.DELETE);
      }
      readsTarget = w.kind() != DmlPlan.WriteKind.INSERT;
    } else if (p instanceof DmlPlan.PointRead r) {
      Privileges.checkTable(cx, r.get().table(), AuthCatalog.Privilege.SELECT);
    }
    if (p.plan() != null) {
      Set<Long> read = p.plan().tablesRead();
      if (readsTarget) {
        read = new java.util.HashSet<>(read);
        read.remove(target.id());
      }
      Privileges.checkSelect(cx, read);
    }
  }
}
