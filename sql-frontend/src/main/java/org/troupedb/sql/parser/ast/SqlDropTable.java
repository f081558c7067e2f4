package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}. */
public final class SqlDropTable extends SqlDropRelations {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP TABLE", SqlKind.DROP_TABLE,
          (pos, o) -> new SqlDropTable(pos, (SqlNodeList) o[0], SqlPgOperator.flag(o[1]),
              SqlPgOperator.flag(o[2])));

  public SqlDropTable(SqlParserPos pos, SqlNodeList names, boolean ifExists, boolean cascade) {
    super(pos, names, ifExists, cascade);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
