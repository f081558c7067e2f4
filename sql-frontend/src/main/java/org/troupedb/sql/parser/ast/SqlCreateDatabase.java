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

/** {@code CREATE DATABASE [IF NOT EXISTS] name}. */
public final class SqlCreateDatabase extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE DATABASE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlCreateDatabase(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1])));

  private final SqlIdentifier name;
  private final boolean ifNotExists;

  public SqlCreateDatabase(SqlParserPos pos, SqlIdentifier name, boolean ifNotExists) {
    super(pos);
    this.name = name;
    this.ifNotExists = ifNotExists;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifNotExists));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE DATABASE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
  }
}
