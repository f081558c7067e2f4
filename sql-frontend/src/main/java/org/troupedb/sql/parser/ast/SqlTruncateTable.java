package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code TRUNCATE [TABLE] name [, ...]}. */
public final class SqlTruncateTable extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("TRUNCATE TABLE", SqlKind.TRUNCATE_TABLE,
          (pos, o) -> new SqlTruncateTable(pos, (SqlNodeList) o[0]));

  private final SqlNodeList tables;

  public SqlTruncateTable(SqlParserPos pos, SqlNodeList tables) {
    super(pos);
    this.tables = tables;
  }

  /** The tables to empty, in order. */
  public List<SqlIdentifier> names() {
    List<SqlIdentifier> out = new ArrayList<>();
    for (SqlNode n : tables) {
      out.add((SqlIdentifier) n);
    }
    return out;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(tables);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("TRUNCATE TABLE");
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode n : tables) {
      writer.sep(",");
      n.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
