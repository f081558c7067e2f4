package org.troupedb.sql;

import java.util.List;

/**
 * A validated, planned statement. {@code parameterTypes} has one entry per {@code $n}; {@code
 * columns} describes the rows it returns (empty when it returns none: RowDescription is then
 * NoData). Reusable for many executions while the schema version it was planned at is current
 * (the session re-plans transparently otherwise).
 */
public interface Prepared {
  Statement statement();

  List<PgType> parameterTypes();

  List<ColumnInfo> columns();
}
