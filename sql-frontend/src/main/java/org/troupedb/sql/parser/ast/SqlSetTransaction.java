package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SET TRANSACTION modes} (also {@code SET SESSION CHARACTERISTICS AS TRANSACTION modes}).
 */
public final class SqlSetTransaction extends SqlTransactionModes {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SET TRANSACTION", SqlKind.OTHER,
          (pos, o) -> new SqlSetTransaction(pos, isolationLevel(o), readOnly(o)));

  public SqlSetTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    super(pos, isolationLevel, readOnly);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  protected String keywords() {
    return "SET TRANSACTION";
  }
}
