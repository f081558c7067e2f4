package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A statement that carries transaction modes — {@code ISOLATION LEVEL level} and {@code READ ONLY
 * | READ WRITE}, space-separated as PostgreSQL allows — after its leading {@link #keywords()}.
 */
public abstract class SqlTransactionModes extends SqlCall {
  private final IsolationLevel isolationLevel;
  private final Boolean readOnly;

  protected SqlTransactionModes(SqlParserPos pos, IsolationLevel isolationLevel, Boolean readOnly) {
    super(pos);
    this.isolationLevel = isolationLevel;
    this.readOnly = readOnly;
  }

  /** The isolation level operand {@code o[0]} as built by {@link #getOperandList()}, or null. */
  static IsolationLevel isolationLevel(SqlNode[] o) {
    return o[0] == null ? null : ((SqlLiteral) o[0]).getValueAs(IsolationLevel.class);
  }

  /** The read-only operand {@code o[1]} as built by {@link #getOperandList()}, or null. */
  static Boolean readOnly(SqlNode[] o) {
    return o[1] == null ? null : SqlPgOperator.flag(o[1]);
  }

  /** The requested isolation level, or null. */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /** TRUE for READ ONLY, FALSE for READ WRITE, null when not given. */
  public Boolean readOnly() {
    return readOnly;
  }

  /** The modes' operands followed by one more flag operand ({@code o[2]}) of the subclass. */
  protected List<SqlNode> operandsAnd(boolean flag) {
    List<SqlNode> operands = new ArrayList<>(getModeOperands());
    operands.add(SqlPgOperator.literal(flag));
    return operands;
  }

  /** The statement's leading keywords when unparsed. */
  protected abstract String keywords();

  private List<SqlNode> getModeOperands() {
    return Arrays.asList(
        isolationLevel == null ? null : SqlLiteral.createSymbol(isolationLevel, SqlParserPos.ZERO),
        readOnly == null ? null : SqlPgOperator.literal(readOnly));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(keywords());
    if (isolationLevel != null) {
      writer.keyword("ISOLATION LEVEL");
      writer.keyword(isolationLevel.sql());
    }
    if (readOnly != null) {
      writer.keyword(readOnly ? "READ ONLY" : "READ WRITE");
    }
  }
}
