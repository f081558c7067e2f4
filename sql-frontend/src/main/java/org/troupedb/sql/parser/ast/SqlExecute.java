package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code EXECUTE name [(expression, ...)]}: runs a statement {@link SqlPrepare} prepared. */
public final class SqlExecute extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlPgOperator("EXECUTE", SqlKind.OTHER,
      (pos, o) -> new SqlExecute(pos, (SqlIdentifier) o[0], (SqlNodeList) o[1]));

  private final SqlIdentifier name;
  private final SqlNodeList args;

  public SqlExecute(SqlParserPos pos, SqlIdentifier name, SqlNodeList args) {
    super(pos);
    this.name = name;
    this.args = args;
  }

  public String name() {
    return name.getSimple();
  }

  /** The argument expressions, one per parameter; empty without parentheses. */
  public SqlNodeList args() {
    return args;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, args);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXECUTE");
    name.unparse(writer, 0, 0);
    if (!args.isEmpty()) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode a : args) {
        writer.sep(",");
        a.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
  }
}
