package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP SEQUENCE [IF EXISTS] name}. */
public final class SqlDropSequence extends SqlDropNamed {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP SEQUENCE", SqlKind.DROP_SEQUENCE,
          (pos, o) -> new SqlDropSequence(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1])));

  public SqlDropSequence(SqlParserPos pos, SqlIdentifier name, boolean ifExists) {
    super(pos, name, ifExists);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
