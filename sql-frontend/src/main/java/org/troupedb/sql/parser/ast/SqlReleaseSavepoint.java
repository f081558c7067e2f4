package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code RELEASE [SAVEPOINT] name}. */
public final class SqlReleaseSavepoint extends SqlSavepointStatement {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("RELEASE SAVEPOINT", SqlKind.OTHER, (pos, o) -> new SqlReleaseSavepoint(pos, (SqlIdentifier) o[0]));

  public SqlReleaseSavepoint(SqlParserPos pos, SqlIdentifier name) {
    super(pos, name);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
