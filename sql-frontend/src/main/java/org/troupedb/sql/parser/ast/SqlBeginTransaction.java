package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code BEGIN [TRANSACTION | WORK] [AS OF SYSTEM TIME expr] [modes]} or {@code START TRANSACTION
 * [modes]}.
 */
public final class SqlBeginTransaction extends SqlTransactionModes {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("BEGIN", SqlKind.OTHER,
          (pos, o) -> new SqlBeginTransaction(pos, isolationLevel(o), readOnly(o),
              SqlPgOperator.flag(o[2]), o.length > 3 ? o[3] : null));

  private final boolean start;
  private final SqlNode asOf;

  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    this(pos, isolationLevel, readOnly, false);
  }

  /** {@code start}: spelled START TRANSACTION (PostgreSQL's command tag says so). */
  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly,
      boolean start) {
    this(pos, isolationLevel, readOnly, start, null);
  }

  /** {@code asOf}: the AS OF SYSTEM TIME expression, or null. */
  public SqlBeginTransaction(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly,
      boolean start, SqlNode asOf) {
    super(pos, isolationLevel, readOnly);
    this.start = start;
    this.asOf = asOf;
  }

  /** The AS OF SYSTEM TIME expression, or null for a transaction at the current time. */
  public SqlNode asOf() {
    return asOf;
  }

  /** Spelled START TRANSACTION rather than BEGIN. */
  public boolean start() {
    return start;
  }

  @Override
  public List<SqlNode> getOperandList() {
    List<SqlNode> operands = new java.util.ArrayList<>(operandsAnd(start));
    operands.add(asOf);
    return operands;
  }

  @Override
  public void unparse(org.apache.calcite.sql.SqlWriter writer, int leftPrec, int rightPrec) {
    super.unparse(writer, leftPrec, rightPrec);
    if (asOf != null) {
      writer.keyword("AS OF SYSTEM TIME");
      asOf.unparse(writer, 0, 0);
    }
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
