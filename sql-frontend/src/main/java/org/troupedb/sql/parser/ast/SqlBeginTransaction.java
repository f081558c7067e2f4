package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code BEGIN [TRANSACTION | WORK] [modes]} or {@code START TRANSACTION [modes]}.
 */
public final class SqlBeginTransaction extends SqlTransactionModes {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("BEGIN", SqlKind.OTHER,
          (pos, o) -> new SqlBeginTransaction(pos, isolationLevel(o), readOnly(o),
              SqlPgOperator.flag(o[2])));

  private final boolean start;

  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    this(pos, isolationLevel, readOnly, false);
  }

  /** {@code start}: spelled START TRANSACTION (PostgreSQL's command tag says so). */
  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly,
      boolean start) {
    super(pos, isolationLevel, readOnly);
    this.start = start;
  }

  /** Spelled START TRANSACTION rather than BEGIN. */
  public boolean start() {
    return start;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return operandsAnd(start);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  protected String keywords() {
    return start ? "START TRANSACTION" : "BEGIN TRANSACTION";
  }
}
