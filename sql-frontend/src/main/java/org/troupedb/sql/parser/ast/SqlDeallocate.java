package org.troupedb.sql.parser.ast;

import java.util.Collections;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DEALLOCATE [PREPARE] name | ALL}; {@link #name()} is null for ALL. */
public final class SqlDeallocate extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DEALLOCATE", SqlKind.OTHER, (pos, o) -> new SqlDeallocate(pos, (SqlIdentifier) o[0]));

  private final SqlIdentifier name;

  public SqlDeallocate(SqlParserPos pos, SqlIdentifier name) {
    super(pos);
    this.name = name;
  }

  /** The statement's name, or null for ALL. */
  public String name() {
    return name == null ? null : name.getSimple();
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Collections.singletonList(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DEALLOCATE");
    if (name == null) {
      writer.keyword("ALL");
    } else {
      name.unparse(writer, 0, 0);
    }
  }
}
