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

/**
 * {@code [CONSTRAINT name] CHECK (expr)}, written on a column or as a table element. {@link
 * #exprText()} locates the expression in the statement text (the catalog keeps it as written).
 */
public final class SqlCheckConstraint extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CHECK", SqlKind.CHECK,
          (pos, o) -> new SqlCheckConstraint(pos, (SqlIdentifier) o[0], o[1], null));

  private final SqlIdentifier name;
  private final SqlNode expr;
  private final SqlParserPos exprText;

  /** {@code exprText}: first to last token of the expression inside the parentheses (null: unknown). */
  public SqlCheckConstraint(SqlParserPos pos, SqlIdentifier name, SqlNode expr, SqlParserPos exprText) {
    super(pos);
    this.name = name;
    this.expr = expr;
    this.exprText = exprText;
  }

  /** The constraint name, or null. */
  public SqlIdentifier name() {
    return name;
  }

  public SqlNode expr() {
    return expr;
  }

  /** Where the expression is written, or null for a node built by hand. */
  public SqlParserPos exprText() {
    return exprText;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, expr);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (name != null) {
      writer.keyword("CONSTRAINT");
      name.unparse(writer, 0, 0);
    }
    writer.keyword("CHECK");
    SqlWriter.Frame frame = writer.startList("(", ")");
    expr.unparse(writer, 0, 0);
    writer.endList(frame);
  }
}
