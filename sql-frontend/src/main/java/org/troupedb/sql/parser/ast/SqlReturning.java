package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * An UPDATE or DELETE ({@link org.apache.calcite.sql.SqlUpdate} / {@link
 * org.apache.calcite.sql.SqlDelete}) followed by {@code RETURNING * | expr [[AS] alias], ...}.
 * Without RETURNING the parser returns the bare Calcite node.
 */
public final class SqlReturning extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("RETURNING", SqlKind.OTHER,
          (pos, o) -> new SqlReturning(pos, (SqlCall) o[0], (SqlNodeList) o[1]));

  private final SqlCall dml;
  private final SqlNodeList returning;

  public SqlReturning(SqlParserPos pos, SqlCall dml, SqlNodeList returning) {
    super(pos);
    this.dml = dml;
    this.returning = returning;
  }

  /** The UPDATE or DELETE. */
  public SqlCall dml() {
    return dml;
  }

  /** The RETURNING items ({@code *} is a star identifier; aliases are AS calls). */
  public SqlNodeList returning() {
    return returning;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(dml, returning);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    dml.unparse(writer, 0, 0);
    SqlReturningList.unparse(writer, returning);
  }
}
