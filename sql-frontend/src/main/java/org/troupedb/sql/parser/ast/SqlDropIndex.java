package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP INDEX [IF EXISTS] name}. */
public final class SqlDropIndex extends SqlDropNamed {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP INDEX", SqlKind.DROP_INDEX,
          (pos, o) -> new SqlDropIndex(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1])));

  public SqlDropIndex(SqlParserPos pos, SqlIdentifier name, boolean ifExists) {
    super(pos, name, ifExists);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
