package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code RELEASE [SAVEPOINT] name}. */
public final class SqlReleaseSavepoint extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("RELEASE SAVEPOINT", SqlKind.OTHER,
          (pos, o) -> new SqlReleaseSavepoint(pos, (SqlIdentifier) o[0]));

  private final SqlIdentifier name;

  public SqlReleaseSavepoint(SqlParserPos pos, SqlIdentifier name) {
    super(pos);
    this.name = name;
  }

  public SqlIdentifier name() {
    return name;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("RELEASE SAVEPOINT");
    name.unparse(writer, 0, 0);
  }
}
