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
 * {@code CREATE TABLE [IF NOT EXISTS] name [(column, ...)] AS query [WITH [NO] DATA]}: a table
 * with the query's columns, filled with its rows unless {@code WITH NO DATA}.
 */
public final class SqlCreateTableAs extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE TABLE AS", SqlKind.CREATE_TABLE,
          (pos, o) -> new SqlCreateTableAs(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
              (SqlNodeList) o[2], o[3], SqlPgOperator.flag(o[4])));

  private final SqlIdentifier name;
  private final boolean ifNotExists;
  private final SqlNodeList columns;
  private final SqlNode query;
  private final boolean withData;

  public SqlCreateTableAs(SqlParserPos pos, SqlIdentifier name, boolean ifNotExists, SqlNodeList columns,
      SqlNode query, boolean withData) {
    super(pos);
    this.name = name;
    this.ifNotExists = ifNotExists;
    this.columns = columns;
    this.query = query;
    this.withData = withData;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** The column names given after the table's name (empty when none were). */
  public List<String> columnNames() {
    return SqlPgOperator.simpleNames(columns);
  }

  public SqlNode query() {
    return query;
  }

  /** False for {@code WITH NO DATA}: the table is created empty. */
  public boolean withData() {
    return withData;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifNotExists), columns, query, SqlPgOperator.literal(withData));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (columns != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode n : columns) {
        writer.sep(",");
        n.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    query.unparse(writer, 0, 0);
    if (!withData) {
      writer.keyword("WITH NO DATA");
    }
  }
}
