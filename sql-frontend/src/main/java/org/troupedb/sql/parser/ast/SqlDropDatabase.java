package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP DATABASE [IF EXISTS] name}. */
public final class SqlDropDatabase extends SqlDropNamed {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP DATABASE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlDropDatabase(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1])));

  public SqlDropDatabase(SqlParserPos pos, SqlIdentifier name, boolean ifExists) {
    super(pos, name, ifExists);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
