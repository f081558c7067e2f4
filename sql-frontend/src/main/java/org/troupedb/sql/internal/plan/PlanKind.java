package org.troupedb.sql.internal.plan;

/**
 * What a cached plan computes from the text it is cached under; part of the plan cache's key, so
 * that the plans one statement text needs (an UPDATE's rows, its RETURNING) never collide.
 */
public enum PlanKind {
  /** The text is a query; the plan is that query. */
  QUERY,
  /** An INSERT's source rows, typed for the target columns. */
  INSERT_SOURCE,
  /** The rows an UPDATE changes, with their new values. */
  UPDATE_ROWS,
  /** The rows a DELETE removes. */
  DELETE_ROWS,
  /** A write's RETURNING list over one written row. */
  RETURNING,
  /** ON CONFLICT DO UPDATE (or UPSERT) over an existing and a proposed row. */
  CONFLICT_UPDATE,
  /** A column's DEFAULT expression (the text is the expression). */
  COLUMN_DEFAULT,
  /**
   * A table's CHECK constraints over one row (the text names the table and the expressions).
   * NB: its text joins several expressions, so it keys the cache as written, not normalised: a
   * trailing {@code --} comment in one expression would swallow the next one.
   */
  CHECKS,
  /** The query of CREATE VIEW. */
  VIEW_QUERY,
  /** The query of CREATE TABLE … AS. */
  CREATE_TABLE_AS;

  /** Whether the plan cache keys this kind's text in its normal form ({@code StatementSplitter.normalise}). */
  boolean normalisesText() {
    return this != CHECKS;
  }
}
