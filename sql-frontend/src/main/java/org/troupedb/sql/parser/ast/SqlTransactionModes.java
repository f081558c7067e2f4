package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlWriter;

/** Shared unparse of {@code ISOLATION LEVEL ...} and {@code READ ONLY | READ WRITE} (space-separated, as PostgreSQL allows). */
final class SqlTransactionModes {
  private SqlTransactionModes() {}

  static void unparse(SqlWriter writer, IsolationLevel isolationLevel, Boolean readOnly) {
    if (isolationLevel != null) {
      writer.keyword("ISOLATION LEVEL");
      writer.keyword(isolationLevel.sql());
    }
    if (readOnly != null) {
      writer.keyword(readOnly ? "READ ONLY" : "READ WRITE");
    }
  }
}
