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
 * {@code ON CONFLICT [(cols) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET col = expr, ...
 * [WHERE cond]}. In the
 * DO UPDATE expressions {@code EXCLUDED.col} is an ordinary compound identifier naming the row
 * proposed for insertion.
 */
public final class SqlOnConflict extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("ON CONFLICT", SqlKind.OTHER,
          (pos, o) -> new SqlOnConflict(pos, (SqlNodeList) o[0], (SqlIdentifier) o[4],
              (SqlNodeList) o[1], (SqlNodeList) o[2], o[3]));

  private final SqlNodeList conflictColumns;
  private final SqlIdentifier constraintName;
  private final SqlNodeList updateColumns;
  private final SqlNodeList updateValues;
  private final SqlNode where;

  /** {@code updateColumns} null means DO NOTHING. */
  public SqlOnConflict(SqlParserPos pos, SqlNodeList conflictColumns, SqlIdentifier constraintName,
      SqlNodeList updateColumns, SqlNodeList updateValues, SqlNode where) {
    super(pos);
    this.conflictColumns = conflictColumns;
    this.constraintName = constraintName;
    this.updateColumns = updateColumns;
    this.updateValues = updateValues;
    this.where = where;
  }

  /** The conflict target columns, or null when not given. */
  public SqlNodeList conflictColumns() {
    return conflictColumns;
  }

  /** The constraint of {@code ON CONSTRAINT name}, or null. */
  public SqlIdentifier constraintName() {
    return constraintName;
  }

  public boolean doNothing() {
    return updateColumns == null;
  }

  /** DO UPDATE SET target columns ({@link org.apache.calcite.sql.SqlIdentifier}s), or null for DO NOTHING. */
  public SqlNodeList updateColumns() {
    return updateColumns;
  }

  /** DO UPDATE SET source expressions, parallel to {@link #updateColumns()}; null for DO NOTHING. */
  public SqlNodeList updateValues() {
    return updateValues;
  }

  /** The DO UPDATE ... WHERE condition, or null. */
  public SqlNode where() {
    return where;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(conflictColumns, updateColumns, updateValues, where, constraintName);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ON CONFLICT");
    if (conflictColumns != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode c : conflictColumns) {
        writer.sep(",");
        c.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    if (constraintName != null) {
      writer.keyword("ON CONSTRAINT");
      constraintName.unparse(writer, 0, 0);
    }
    if (updateColumns == null) {
      writer.keyword("DO NOTHING");
      return;
    }
    writer.keyword("DO UPDATE SET");
    SqlWriter.Frame frame = writer.startList("", "");
    for (int i = 0; i < updateColumns.size(); i++) {
      writer.sep(",");
      updateColumns.get(i).unparse(writer, 0, 0);
      writer.keyword("=");
      updateValues.get(i).unparse(writer, 0, 0);
    }
    writer.endList(frame);
    if (where != null) {
      writer.keyword("WHERE");
      where.unparse(writer, 0, 0);
    }
  }
}
