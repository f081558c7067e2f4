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
 * {@code CREATE [OR REPLACE] VIEW name [(column, ...)] AS query}. {@link #queryPos()} spans the
 * query as written (the view stores its text).
 */
public final class SqlCreateView extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE VIEW", SqlKind.CREATE_VIEW,
          (pos, o) -> new SqlCreateView(pos, (SqlIdentifier) o[0], (SqlNodeList) o[1], o[2],
              SqlPgOperator.flag(o[3]), null, null));

  private final SqlIdentifier name;
  private final SqlNodeList columns;
  private final SqlNode query;
  private final boolean orReplace;
  private final SqlParserPos queryPos;
  private final String unsupported;

  /** {@code unsupported} names a form TroupeDB parses but lacks (CREATE MATERIALIZED VIEW, …), or is null. */
  public SqlCreateView(SqlParserPos pos, SqlIdentifier name, SqlNodeList columns, SqlNode query,
      boolean orReplace, SqlParserPos queryPos, String unsupported) {
    super(pos);
    this.name = name;
    this.columns = columns;
    this.query = query;
    this.orReplace = orReplace;
    this.queryPos = queryPos;
    this.unsupported = unsupported;
  }

  /** The unsupported form this statement uses (0A000 when run), or null. */
  public String unsupported() {
    return unsupported;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The column names given after the view's name, in order (empty when none were). */
  public List<String> columnNames() {
    return SqlPgOperator.simpleNames(columns);
  }

  public SqlNode query() {
    return query;
  }

  public boolean orReplace() {
    return orReplace;
  }

  /** Where the query's text starts and ends in the statement; null on a rebuilt node. */
  public SqlParserPos queryPos() {
    return queryPos;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, columns, query, SqlPgOperator.literal(orReplace));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(orReplace ? "CREATE OR REPLACE VIEW" : "CREATE VIEW");
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
  }
}
