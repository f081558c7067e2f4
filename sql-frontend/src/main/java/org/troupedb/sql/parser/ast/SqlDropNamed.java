package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DROP <kind> [IF EXISTS] name}: the shape shared by the single-name DROP statements; a
 * subclass names the kind through its operator (whose name is the statement's keywords).
 */
public abstract class SqlDropNamed extends SqlCall {
  private final SqlIdentifier name;
  private final boolean ifExists;

  protected SqlDropNamed(SqlParserPos pos, SqlIdentifier name, boolean ifExists) {
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
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifExists));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
  }
}
