package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP ROLE | USER [IF EXISTS] name [, ...]}. */
public final class SqlDropRole extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP ROLE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlDropRole(pos, (SqlNodeList) o[0], SqlPgOperator.flag(o[1])));

  private final SqlNodeList roles;
  private final boolean ifExists;

  public SqlDropRole(SqlParserPos pos, SqlNodeList roles, boolean ifExists) {
    super(pos);
    this.roles = roles;
    this.ifExists = ifExists;
  }

  /** The role names, in order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (SqlNode n : roles) {
      SqlIdentifier id = (SqlIdentifier) n;
      out.add(id.names.get(id.names.size() - 1));
    }
    return out;
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
    return Arrays.asList(roles, SqlPgOperator.literal(ifExists));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP ROLE");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    roles.unparse(writer, 0, 0);
  }
}
