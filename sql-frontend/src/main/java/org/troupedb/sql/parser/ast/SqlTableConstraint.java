package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
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

/** A table constraint of {@code CREATE TABLE}: {@code [CONSTRAINT name] PRIMARY KEY (cols) | UNIQUE (cols)}. */
public final class SqlTableConstraint extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CONSTRAINT", SqlKind.OTHER,
          (pos, o) -> new SqlTableConstraint(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
              (SqlNodeList) o[2]));

  private final SqlIdentifier name;
  private final boolean primaryKey;
  private final SqlNodeList columns;

  public SqlTableConstraint(SqlParserPos pos, SqlIdentifier name, boolean primaryKey,
      SqlNodeList columns) {
    super(pos);
    this.name = name;
    this.primaryKey = primaryKey;
    this.columns = columns;
  }

  /** The constraint name, or null. */
  public SqlIdentifier name() {
    return name;
  }

  /** True for PRIMARY KEY, false for UNIQUE. */
  public boolean primaryKey() {
    return primaryKey;
  }

  /** The key columns, as {@link SqlIdentifier}s, in order. */
  public SqlNodeList columns() {
    return columns;
  }

  /** The key column names, in order. */
  public List<String> columnNames() {
    List<String> names = new ArrayList<>();
    for (SqlNode c : columns) {
      names.add(((SqlIdentifier) c).getSimple());
    }
    return names;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(primaryKey), columns);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (name != null) {
      writer.keyword("CONSTRAINT");
      name.unparse(writer, 0, 0);
    }
    writer.keyword(primaryKey ? "PRIMARY KEY" : "UNIQUE");
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode c : columns) {
      writer.sep(",");
      c.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
