package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code BEGIN [TRANSACTION | WORK] [modes]} or {@code START TRANSACTION [modes]}.
 */
public final class SqlBeginTransaction extends SqlTransactionModes {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("BEGIN", SqlKind.OTHER,
          (pos, o) -> new SqlBeginTransaction(pos, isolationLevel(o), readOnly(o)));

  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    super(pos, isolationLevel, readOnly);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  protected String keywords() {
    return "BEGIN TRANSACTION";
  }
}
