package org.troupedb.sql;

import java.util.Iterator;
import java.util.List;

/**
 * The outcome of executing a statement.
 *
 * <p>{@code rows} yields the result rows (one {@code Object[]} per row, values as in {@link
 * PgType}), possibly lazily; it is empty for statements that return no rows. {@code commandTag}
 * is the full CommandComplete tag ("SELECT 3", "INSERT 0 2", "UPDATE 1", "CREATE TABLE", "BEGIN"),
 * computed after the rows are consumed: for a lazily produced SELECT ask for it after exhausting
 * {@code rows}; a portal suspended by a row limit keeps the iterator for its next Execute. A lazy
 * result's rows may fail while they are read (unchecked, carrying the {@link SqlException}).
 */
public interface StatementResult {
  List<ColumnInfo> columns();

  Iterator<Object[]> rows();

  /** The CommandComplete tag; for SELECT its count is the number of rows yielded so far. */
  String commandTag();

  /** True for statements with no result to send (an empty query): EmptyQueryResponse. */
  default boolean isEmptyQuery() {
    return false;
  }

  /**
   * Gives up the rows not read yet (a portal closed before its end, the connection gone): a lazily
   * produced result stops reading and releases what it holds. Idempotent; a no-op after the rows
   * have all been read, and for results that were complete when returned.
   */
  default void close() {}
}
