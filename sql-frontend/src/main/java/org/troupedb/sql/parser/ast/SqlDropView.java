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

/** {@code DROP VIEW [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}. */
public final class SqlDropView extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("DROP VIEW", SqlKind.DROP_VIEW,
          (pos, o) -> new SqlDropView(pos, (SqlNodeList) o[0], SqlPgOperator.flag(o[1]),
              SqlPgOperator.flag(o[2])));

  private final SqlNodeList views;
  private final boolean ifExists;
  private final boolean cascade;

  public SqlDropView(SqlParserPos pos, SqlNodeList views, boolean ifExists, boolean cascade) {
    super(pos);
    this.views = views;
    this.ifExists = ifExists;
    this.cascade = cascade;
  }

  /** The views to drop, in order. */
  public List<SqlIdentifier> names() {
    List<SqlIdentifier> out = new ArrayList<>();
    for (SqlNode n : views) {
      out.add((SqlIdentifier) n);
    }
    return out;
  }

  public boolean ifExists() {
    return ifExists;
  }

  /** CASCADE was given (RESTRICT, the default, is false). */
  public boolean cascade() {
    return cascade;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(views, SqlPgOperator.literal(ifExists), SqlPgOperator.literal(cascade));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP VIEW");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode n : views) {
      writer.sep(",");
      n.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
