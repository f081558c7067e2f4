package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code COMMENT ON TABLE | VIEW | COLUMN | … name IS 'text' | NULL}. */
public final class SqlComment extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("COMMENT", SqlKind.OTHER_DDL,
          (pos, o) -> new SqlComment(pos, ((SqlLiteral) o[0]).getValueAs(String.class), (SqlIdentifier) o[1], o[2]));

  private final String objectKind;
  private final SqlIdentifier name;
  private final SqlNode text;

  /** {@code objectKind} is the object's keyword in upper case (TABLE, VIEW, COLUMN, INDEX, …). */
  public SqlComment(SqlParserPos pos, String objectKind, SqlIdentifier name, SqlNode text) {
    super(pos);
    this.objectKind = objectKind;
    this.name = name;
    this.text = text;
  }

  public String objectKind() {
    return objectKind;
  }

  /** The object's name; for a column, the relation's name followed by the column's. */
  public SqlIdentifier name() {
    return name;
  }

  /** The comment, or null for IS NULL (which removes it, as does an empty string). */
  public String text() {
    return text instanceof SqlLiteral lit && lit.getValue() != null ? lit.getValueAs(String.class) : null;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(SqlLiteral.createCharString(objectKind, SqlParserPos.ZERO), name, text);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COMMENT ON " + objectKind);
    name.unparse(writer, 0, 0);
    writer.keyword("IS");
    text.unparse(writer, 0, 0);
  }
}
