package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DECLARE name [BINARY] [[NO] SCROLL] CURSOR [WITH HOLD | WITHOUT HOLD] FOR query};
 * {@code body} carries the query ({@link SqlPrepare#carried}).
 */
public final class SqlDeclareCursor extends SqlCall {
  /** The scroll option: none given (PostgreSQL then decides by the plan), SCROLL or NO SCROLL. */
  public enum Scroll { DEFAULT, SCROLL, NO_SCROLL }

  public static final SqlOperator OPERATOR = new SqlPgOperator("DECLARE CURSOR", SqlKind.OTHER,
      (pos, o) -> new SqlDeclareCursor(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
          ((SqlLiteral) o[2]).getValueAs(Scroll.class), SqlPgOperator.flag(o[3]), (SqlNodeList) o[4]));

  private final SqlIdentifier name;
  private final boolean binary;
  private final Scroll scroll;
  private final boolean hold;
  private final SqlNodeList body;

  public SqlDeclareCursor(SqlParserPos pos, SqlIdentifier name, boolean binary, Scroll scroll, boolean hold,
      SqlNodeList body) {
    super(pos);
    this.name = name;
    this.binary = binary;
    this.scroll = scroll;
    this.hold = hold;
    this.body = body;
  }

  public String name() {
    return name.getSimple();
  }

  public boolean binary() {
    return binary;
  }

  public Scroll scroll() {
    return scroll;
  }

  /** WITH HOLD: the cursor outlives the transaction that commits it. */
  public boolean hold() {
    return hold;
  }

  /** The carried query: its only element, positioned over its text. */
  public SqlNodeList body() {
    return body;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(binary), SqlLiteral.createSymbol(scroll, SqlParserPos.ZERO),
        SqlPgOperator.literal(hold), body);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DECLARE");
    name.unparse(writer, 0, 0);
    if (binary) {
      writer.keyword("BINARY");
    }
    if (scroll != Scroll.DEFAULT) {
      writer.keyword(scroll == Scroll.SCROLL ? "SCROLL" : "NO SCROLL");
    }
    writer.keyword("CURSOR");
    if (hold) {
      writer.keyword("WITH HOLD");
    }
    writer.keyword("FOR");
    body.get(0).unparse(writer, 0, 0);
  }
}
