package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SET TRANSACTION modes} (also {@code SET SESSION CHARACTERISTICS AS TRANSACTION modes}).
 */
public final class SqlSetTransaction extends SqlTransactionModes {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SET TRANSACTION", SqlKind.OTHER,
          (pos, o) -> new SqlSetTransaction(pos, isolationLevel(o), readOnly(o),
              SqlPgOperator.flag(o[2])));

  private final boolean session;

  public SqlSetTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    this(pos, isolationLevel, readOnly, false);
  }

  /** {@code session}: SET SESSION CHARACTERISTICS AS TRANSACTION (the session's defaults). */
  public SqlSetTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly,
      boolean session) {
    super(pos, isolationLevel, readOnly);
    this.session = session;
  }

  /** SET SESSION CHARACTERISTICS AS TRANSACTION: sets the defaults of later transactions. */
  public boolean session() {
    return session;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return operandsAnd(session);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  protected String keywords() {
    return session ? "SET SESSION CHARACTERISTICS AS TRANSACTION" : "SET TRANSACTION";
  }
}
