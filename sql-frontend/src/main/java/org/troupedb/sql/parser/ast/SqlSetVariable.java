package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SET [SESSION | LOCAL] name {TO | =} value [, ...] | DEFAULT}, and {@code SET TIME ZONE value}
 * (name {@code timezone}), {@code SET NAMES value} ({@code client_encoding}) and {@code SET SCHEMA
 * value} ({@code search_path}). Values are literals (strings, numbers, TRUE/FALSE) or identifiers
 * (e.g. {@code SET search_path TO public, "$user"}); {@code ON} is the identifier {@code on}.
 */
public final class SqlSetVariable extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("SET", SqlKind.SET_OPTION,
          (pos, o) -> new SqlSetVariable(pos, ((SqlLiteral) o[0]).getValueAs(String.class),
              (SqlNodeList) o[1], SqlPgOperator.flag(o[2])));

  private final String name;
  private final SqlNodeList values;
  private final boolean local;

  /** {@code values} is empty for {@code DEFAULT}. */
  public SqlSetVariable(SqlParserPos pos, String name, SqlNodeList values, boolean local) {
    super(pos);
    this.name = name;
    this.values = values;
    this.local = local;
  }

  /** The variable name, lower case unless quoted; dotted names keep their dots. */
  public String name() {
    return name;
  }

  /** The values (one for most variables), empty when {@link #isDefault()}. */
  public SqlNodeList values() {
    return values;
  }

  /** {@code SET ... TO DEFAULT}: reset to the default, as RESET does. */
  public boolean isDefault() {
    return values.isEmpty();
  }

  /** SET LOCAL: only until the end of the current transaction. */
  public boolean local() {
    return local;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(SqlLiteral.createCharString(name, SqlParserPos.ZERO), values,
        SqlPgOperator.literal(local));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SET");
    if (local) {
      writer.keyword("LOCAL");
    }
    writer.identifier(name, true);
    writer.keyword("TO");
    if (values.isEmpty()) {
      writer.keyword("DEFAULT");
      return;
    }
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode v : values) {
      writer.sep(",");
      v.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
