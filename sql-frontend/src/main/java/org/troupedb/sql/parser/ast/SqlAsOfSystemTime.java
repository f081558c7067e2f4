package org.troupedb.sql.parser.ast;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A query read at a past time, CockroachDB's {@code SELECT ... FROM ... AS OF SYSTEM TIME expr
 * [WHERE ...] ...}: the whole query reads at that timestamp. The clause may also end the query
 * (after WHERE, ORDER BY and LIMIT, before FOR UPDATE). NB: only a top-level SELECT takes it,
 * not a subquery or a UNION branch.
 */
public final class SqlAsOfSystemTime extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("AS OF SYSTEM TIME", SqlKind.OTHER,
          (pos, o) -> new SqlAsOfSystemTime(pos, o[0], o[1]));

  private final SqlNode query;
  private final SqlNode timestamp;

  public SqlAsOfSystemTime(SqlParserPos pos, SqlNode query, SqlNode timestamp) {
    super(pos);
    this.query = query;
    this.timestamp = timestamp;
  }

  public SqlNode query() {
    return query;
  }

  /** The time expression: a string literal ({@code '-10s'}, a timestamp) or any expression. */
  public SqlNode timestamp() {
    return timestamp;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(query, timestamp);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    writer.keyword("AS OF SYSTEM TIME");
    timestamp.unparse(writer, 0, 0);
  }
}
