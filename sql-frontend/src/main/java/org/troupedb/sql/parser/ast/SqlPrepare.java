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
 * {@code PREPARE name [(type, ...)] AS statement}: a prepared statement of the SQL level, which
 * {@code EXECUTE} runs and {@code DEALLOCATE} drops. {@code types} are {@code SqlDataTypeSpec}s
 * (possibly fewer than the statement's parameters); {@code body} carries the statement (see
 * {@link #carried}).
 */
public final class SqlPrepare extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlPgOperator("PREPARE", SqlKind.OTHER,
      (pos, o) -> new SqlPrepare(pos, (SqlIdentifier) o[0], (SqlNodeList) o[1], (SqlNodeList) o[2]));

  private final SqlIdentifier name;
  private final SqlNodeList types;
  private final SqlNodeList body;

  public SqlPrepare(SqlParserPos pos, SqlIdentifier name, SqlNodeList types, SqlNodeList body) {
    super(pos);
    this.name = name;
    this.types = types;
    this.body = body;
  }

  /**
   * A statement carried by another ({@code PREPARE … AS}, {@code DECLARE … FOR}, {@code COPY
   * (…)}): a one-element list whose position spans the statement's text, from {@code start} to
   * the end of {@code last} (the statement's last token).
   */
  public static SqlNodeList carried(SqlNode statement, SqlParserPos start, SqlParserPos last) {
    SqlParserPos span = new SqlParserPos(start.getLineNum(), start.getColumnNum(), last.getEndLineNum(),
        last.getEndColumnNum());
    return new SqlNodeList(List.of(statement), span);
  }

  public String name() {
    return name.getSimple();
  }

  public SqlNodeList types() {
    return types;
  }

  /** The carried statement: its only element, positioned over its text. */
  public SqlNodeList body() {
    return body;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, types, body);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("PREPARE");
    name.unparse(writer, 0, 0);
    if (!types.isEmpty()) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode t : types) {
        writer.sep(",");
        t.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    body.get(0).unparse(writer, 0, 0);
  }
}
