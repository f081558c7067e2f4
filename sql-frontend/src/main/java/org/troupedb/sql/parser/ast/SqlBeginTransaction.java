package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code BEGIN [TRANSACTION | WORK] [modes]} or {@code START TRANSACTION [modes]}, where modes are
 * {@code ISOLATION LEVEL level} and {@code READ ONLY | READ WRITE}.
 */
public final class SqlBeginTransaction extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("BEGIN", SqlKind.OTHER,
          (pos, o) -> new SqlBeginTransaction(pos,
              o[0] == null ? null : ((SqlLiteral) o[0]).getValueAs(IsolationLevel.class),
              o[1] == null ? null : SqlPgOperator.flag(o[1])));

  private final IsolationLevel isolationLevel;
  private final Boolean readOnly;

  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    super(pos);
    this.isolationLevel = isolationLevel;
    this.readOnly = readOnly;
  }

  /** The requested isolation level, or null. */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /** TRUE for READ ONLY, FALSE for READ WRITE, null when not given. */
  public Boolean readOnly() {
    return readOnly;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(
        isolationLevel == null ? null : SqlLiteral.createSymbol(isolationLevel, SqlParserPos.ZERO),
        readOnly == null ? null : SqlPgOperator.literal(readOnly));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("BEGIN TRANSACTION");
    SqlTransactionModes.unparse(writer, isolationLevel, readOnly);
  }
}
