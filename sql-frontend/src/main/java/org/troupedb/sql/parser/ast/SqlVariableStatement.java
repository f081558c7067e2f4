package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code <keyword> name} or {@code <keyword> ALL} ({@link #name()} null): the shape SHOW and RESET
 * share; the keyword is the operator's name.
 */
public abstract class SqlVariableStatement extends SqlCall {
  private final String name;

  protected SqlVariableStatement(SqlParserPos pos, String name) {
    super(pos);
    this.name = name;
  }

  /** The name operand {@code o[0]} as built by {@link #getOperandList()}, or null for ALL. */
  static String name(SqlNode[] o) {
    return o[0] == null ? null : ((SqlLiteral) o[0]).getValueAs(String.class);
  }

  /** The variable name (lower case unless quoted), or null for ALL. */
  public String name() {
    return name;
  }

  public boolean all() {
    return name == null;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name == null ? null : SqlLiteral.createCharString(name, SqlParserPos.ZERO));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (name == null) {
      writer.keyword("ALL");
    } else {
      writer.identifier(name, true);
    }
  }
}
