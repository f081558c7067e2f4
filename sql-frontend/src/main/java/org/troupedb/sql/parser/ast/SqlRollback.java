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
 * {@code ROLLBACK [WORK | TRANSACTION]} or {@code ABORT} (whole transaction, {@link #savepoint()}
 * null), or {@code ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name}.
 */
public final class SqlRollback extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("ROLLBACK", SqlKind.ROLLBACK,
          (pos, o) -> new SqlRollback(pos, (SqlIdentifier) o[0]));

  private final SqlIdentifier savepoint;

  public SqlRollback(SqlParserPos pos, SqlIdentifier savepoint) {
    super(pos);
    this.savepoint = savepoint;
  }

  /** The savepoint of ROLLBACK TO SAVEPOINT, or null for a rollback of the whole transaction. */
  public SqlIdentifier savepoint() {
    return savepoint;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(savepoint);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ROLLBACK");
    if (savepoint != null) {
      writer.keyword("TO SAVEPOINT");
      savepoint.unparse(writer, 0, 0);
    }
  }
}
