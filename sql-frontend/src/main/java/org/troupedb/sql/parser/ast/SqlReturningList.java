package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;

/** Shared unparse of a RETURNING list. */
final class SqlReturningList {
  private SqlReturningList() {}

  static void unparse(SqlWriter writer, SqlNodeList returning) {
    if (returning == null) {
      return;
    }
    writer.keyword("RETURNING");
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode item : returning) {
      writer.sep(",");
      item.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
