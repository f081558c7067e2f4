package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A PostgreSQL positional parameter {@code $n} (n ≥ 1). Its Calcite dynamic-parameter index is
 * {@code n - 1}, so every occurrence of {@code $n} in a statement shares one index and is one
 * parameter: bind value i (0-based, in Bind-message order) to {@code getIndex() == i}.
 * NB: do not mix {@code ?} and {@code $n} in one statement; {@code ?} numbers by occurrence.
 */
public final class SqlPgParam extends SqlDynamicParam {
  private final int number;

  public SqlPgParam(int number, SqlParserPos pos) {
    super(number - 1, pos);
    this.number = number;
  }

  /** The n of {@code $n}, 1-based. */
  public int number() {
    return number;
  }

  @Override
  public SqlNode clone(SqlParserPos pos) {
    return new SqlPgParam(number, pos);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print("$" + number);
    writer.setNeedWhitespace(true);
  }
}
