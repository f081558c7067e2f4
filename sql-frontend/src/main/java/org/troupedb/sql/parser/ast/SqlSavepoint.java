package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SAVEPOINT name}. */
public final class SqlSavepoint extends SqlSavepointStatement {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SAVEPOINT", SqlKind.OTHER, (pos, o) -> new SqlSavepoint(pos, (SqlIdentifier) o[0]));

  public SqlSavepoint(SqlParserPos pos, SqlIdentifier name) {
    super(pos, name);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
