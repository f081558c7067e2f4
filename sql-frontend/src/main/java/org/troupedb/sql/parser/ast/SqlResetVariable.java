package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code RESET name} or {@code RESET ALL} ({@link #name()} null). */
public final class SqlResetVariable extends SqlVariableStatement {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("RESET", SqlKind.OTHER, (pos, o) -> new SqlResetVariable(pos, name(o)));

  public SqlResetVariable(SqlParserPos pos, String name) {
    super(pos, name);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
