package org.troupedb.sql.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.parser.ast.SqlOnConflict;
import org.troupedb.sql.parser.ast.SqlPgInsert;
import org.troupedb.sql.parser.ast.SqlReturning;

/**
 * A statement Calcite plans (SELECT, VALUES, INSERT, UPSERT, UPDATE, DELETE): its text, which is
 * also the key of its cached plans, and its parsed tree. {@code $n} is the dynamic parameter
 * {@code n - 1}, so parameters need no mapping.
 *
 * <p>NB: Calcite's validator rewrites the tree it validates, so a plan is always built from a
 * {@link #fresh()} tree; {@link #node()} is only read.
 */
public record Query(String tag, String sql, SqlNode node, int parameterCount) {

  /** The RETURNING items, or null. */
  public SqlNodeList returning() {
    return returning(node);
  }

  /** INSERT's ON CONFLICT clause, or null. */
  public SqlOnConflict onConflict() {
    return onConflict(node);
  }

  /** UPSERT: insert, or replace the non-key columns of the row with the same key. */
  public boolean upsert() {
    return node instanceof SqlPgInsert pg && pg.upsert();
  }

  /** True when a conflicting row is handled (ON CONFLICT or UPSERT) instead of failing with 23505. */
  public boolean handlesConflicts() {
    return onConflict() != null || upsert();
  }

  /** The statement parsed again: a tree of its own for a planner to validate. */
  public SqlNode fresh() throws SqlException {
    try {
      return TroupeParser.parse(sql);
    } catch (SqlParseException e) {
      // It parsed when the session first saw it, so this is a bug, not a user error.
      throw new SqlException(SqlState.INTERNAL_ERROR, "statement no longer parses: " + e.getMessage(), e);
    }
  }

  public static SqlNodeList returning(SqlNode node) {
    if (node instanceof SqlPgInsert pg) {
      return pg.returning();
    }
    return node instanceof SqlReturning r ? r.returning() : null;
  }

  public static SqlOnConflict onConflict(SqlNode node) {
    return node instanceof SqlPgInsert pg ? pg.onConflict() : null;
  }
}
