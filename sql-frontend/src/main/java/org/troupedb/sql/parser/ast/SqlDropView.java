package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP VIEW [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}. */
public final class SqlDropView extends SqlDropRelations {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP VIEW", SqlKind.DROP_VIEW,
          (pos, o) -> new SqlDropView(pos, (SqlNodeList) o[0], SqlPgOperator.flag(o[1]),
              SqlPgOperator.flag(o[2])));

  public SqlDropView(SqlParserPos pos, SqlNodeList names, boolean ifExists, boolean cascade) {
    super(pos, names, ifExists, cascade);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }
}
