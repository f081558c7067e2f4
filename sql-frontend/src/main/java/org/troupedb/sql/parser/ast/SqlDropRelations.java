package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DROP <kind> [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}, the form DROP TABLE and DROP
 * VIEW share; the operator's name is the statement's keywords.
 */
public abstract class SqlDropRelations extends SqlCall {
  private final SqlNodeList relations;
  private final boolean ifExists;
  private final boolean cascade;

  SqlDropRelations(SqlParserPos pos, SqlNodeList relations, boolean ifExists, boolean cascade) {
    super(pos);
    this.relations = relations;
    this.ifExists = ifExists;
    this.cascade = cascade;
  }

  /** The relations to drop, in order. */
  public List<SqlIdentifier> names() {
    List<SqlIdentifier> out = new ArrayList<>();
    for (SqlNode n : relations) {
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
  public List<SqlNode> getOperandList() {
    return Arrays.asList(relations, SqlPgOperator.literal(ifExists), SqlPgOperator.literal(cascade));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode n : relations) {
      writer.sep(",");
      n.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
