package org.troupedb.sql.parser;

import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.Statement;
import org.troupedb.sql.parser.ast.SqlPgExplain;

/**
 * A parsed statement: its text, its tree and command tag, and for what Calcite plans its
 * {@link Query} (for EXPLAIN, the explained statement's, whose text starts at {@code
 * queryOffset} in {@code sql}). {@code offset} is where {@code sql} starts in the query string
 * the client sent (error positions are reported relative to that string, as PostgreSQL does).
 */
public record Stmt(String sql, SqlNode node, Query query, String commandTag, int offset, int queryOffset)
    implements Statement {
  @Override
  public int parameterCount() {
    return query == null || node instanceof SqlPgExplain ? 0 : query.parameterCount();
  }
}
