package org.troupedb.sql.parser.ast;

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

/**
 * {@code CREATE ROLE | USER name [WITH] option…} and {@code ALTER ROLE | USER name [WITH]
 * option…}. Each option is an EQUALS call of its lower-case name and a value: a character
 * literal (PASSWORD 'x'), a NULL literal (PASSWORD NULL) or TRUE (LOGIN, NOSUPERUSER, …).
 */
public final class SqlCreateRole extends SqlCall {
  public static final SqlOperator CREATE =
      new SqlPgOperator("CREATE ROLE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlCreateRole(pos, (SqlIdentifier) o[0], false, SqlPgOperator.flag(o[1]), (SqlNodeList) o[2]));
  public static final SqlOperator ALTER =
      new SqlPgOperator("ALTER ROLE", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlCreateRole(pos, (SqlIdentifier) o[0], true, SqlPgOperator.flag(o[1]), (SqlNodeList) o[2]));

  private final SqlIdentifier name;
  private final boolean alter;
  private final boolean user;
  private final SqlNodeList options;

  /** {@code user}: written CREATE USER, whose roles can log in by default. */
  public SqlCreateRole(SqlParserPos pos, SqlIdentifier name, boolean alter, boolean user, SqlNodeList options) {
    super(pos);
    this.name = name;
    this.alter = alter;
    this.user = user;
    this.options = options;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean alter() {
    return alter;
  }

  public boolean user() {
    return user;
  }

  public SqlNodeList options() {
    return options;
  }

  @Override
  public SqlOperator getOperator() {
    return alter ? ALTER : CREATE;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(user), options);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(alter ? "ALTER" : "CREATE");
    writer.keyword(user ? "USER" : "ROLE");
    name.unparse(writer, 0, 0);
  }
}
