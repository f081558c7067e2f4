package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** PostgreSQL {@code EXPLAIN [ANALYZE] [VERBOSE] statement} (Calcite's own EXPLAIN PLAN FOR still parses). */
public final class SqlPgExplain extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("EXPLAIN", SqlKind.OTHER,
          (pos, o) -> new SqlPgExplain(pos, o[0], SqlPgOperator.flag(o[1]),
              SqlPgOperator.flag(o[2])));

  private final SqlNode statement;
  private final boolean analyze;
  private final boolean verbose;

  public SqlPgExplain(SqlParserPos pos, SqlNode statement, boolean analyze, boolean verbose) {
    super(pos);
    this.statement = statement;
    this.analyze = analyze;
    this.verbose = verbose;
  }

  /** The explained statement. */
  public SqlNode statement() {
    return statement;
  }

  /** ANALYZE: run the statement and report actual rows and times. */
  public boolean analyze() {
    return analyze;
  }

  public boolean verbose() {
    return verbose;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(statement, SqlPgOperator.literal(analyze), SqlPgOperator.literal(verbose));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPLAIN");
    if (analyze) {
      writer.keyword("ANALYZE");
    }
    if (verbose) {
      writer.keyword("VERBOSE");
    }
    statement.unparse(writer, 0, 0);
  }
}
