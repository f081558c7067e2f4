package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW name} or {@code SHOW ALL} ({@link #name()} null); {@code SHOW TRANSACTION ISOLATION LEVEL} is {@code transaction_isolation}, {@code SHOW TIME ZONE} is {@code timezone}. */
public final class SqlShowVariable extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SHOW", SqlKind.OTHER,
          (pos, o) -> new SqlShowVariable(pos,
              o[0] == null ? null : ((SqlLiteral) o[0]).getValueAs(String.class)));

  private final String name;

  public SqlShowVariable(SqlParserPos pos, String name) {
    super(pos);
    this.name = name;
  }

  /** The variable name (lower case unless quoted), or null for SHOW ALL. */
  public String name() {
    return name;
  }

  public boolean all() {
    return name == null;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name == null ? null : SqlLiteral.createCharString(name, SqlParserPos.ZERO));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    if (name == null) {
      writer.keyword("ALL");
    } else {
      writer.identifier(name, true);
    }
  }
}
