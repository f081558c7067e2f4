package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW name} or {@code SHOW ALL} ({@link #name()} null); {@code SHOW TRANSACTION ISOLATION LEVEL} is {@code transaction_isolation}, {@code SHOW TIME ZONE} is {@code timezone}. */
public final class SqlShowVariable extends SqlVariableStatement {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SHOW", SqlKind.OTHER, (pos, o) -> new SqlShowVariable(pos, name(o)));

  public SqlShowVariable(SqlParserPos pos, String name) {
    super(pos, name);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
