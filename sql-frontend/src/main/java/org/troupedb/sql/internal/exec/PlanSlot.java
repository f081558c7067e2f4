package org.troupedb.sql.internal.exec;

import org.troupedb.sql.internal.catalog.Catalog;

/**
 * A prepared statement's planned form, valid for one catalog snapshot (keyed on its epoch, which
 * every DDL changes), database and planner generation (a generated plan class that failed to
 * initialize drops every plan). Owned by one session's prepared statement.
 */
public final class PlanSlot {
  private record Entry(long epoch, long db, long generation, DmlPlan planned) {}

  private volatile Entry entry;

  /** The plan held for this snapshot, database and planner generation, or null. */
  public DmlPlan get(Catalog cat, long db, long generation) {
    Entry e = entry;
    return e != null && e.epoch() == cat.epoch() && e.db() == db && e.generation() == generation
        ? e.planned() : null;
  }

  public void put(Catalog cat, long db, long generation, DmlPlan planned) {
    entry = new Entry(cat.epoch(), db, generation, planned);
  }
}
