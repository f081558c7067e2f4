package org.troupedb.sql.internal.exec;

import java.util.Iterator;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.StatementResult;

/**
 * A statement's result, materialized before it is returned (so an implicit transaction's internal
 * retry is invisible): its columns, rows and command tag.
 */
public record MaterializedResult(List<ColumnInfo> columns, List<Object[]> rowList, String tag, boolean isEmptyQuery)
    implements StatementResult {
  @Override
  public Iterator<Object[]> rows() {
    return rowList.iterator();
  }

  @Override
  public String commandTag() {
    return tag;
  }

  /** A result of no rows, only a command tag (DDL, transaction control). */
  public static MaterializedResult of(String tag) {
    return new MaterializedResult(List.of(), List.of(), tag, false);
  }
}
