package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP DATABASE [IF EXISTS] name}. */
public final class SqlDropDatabase extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP DATABASE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlDropDatabase(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1])));

  private final SqlIdentifier name;
  private final boolean ifExists;

  public SqlDropDatabase(SqlParserPos pos, SqlIdentifier name, boolean ifExists) {
    super(pos);
    this.name = name;
    this.ifExists = ifExists;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean ifExists() {
    return ifExists;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifExists));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP DATABASE");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
  }
}
