package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
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
 * {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING method] (col [ASC|DESC], ...)}.
 * A descending column is a {@code DESC(col)} call in {@link #columns()}, as in ORDER BY.
 */
public final class SqlCreateIndex extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE INDEX", SqlKind.CREATE_INDEX,
          (pos, o) -> new SqlCreateIndex(pos, (SqlIdentifier) o[0], (SqlIdentifier) o[1],
              (SqlNodeList) o[2], SqlPgOperator.flag(o[3]), SqlPgOperator.flag(o[4]),
              o[5] == null ? null : ((SqlLiteral) o[5]).getValueAs(String.class)));

  private final SqlIdentifier name;
  private final SqlIdentifier table;
  private final SqlNodeList columns;
  private final boolean unique;
  private final boolean ifNotExists;
  private final String using;

  public SqlCreateIndex(SqlParserPos pos, SqlIdentifier name, SqlIdentifier table,
      SqlNodeList columns, boolean unique, boolean ifNotExists, String using) {
    super(pos);
    this.name = name;
    this.table = table;
    this.columns = columns;
    this.unique = unique;
    this.ifNotExists = ifNotExists;
    this.using = using;
  }

  /** The index name, or null when not given (the engine picks one, as PostgreSQL does). */
  public SqlIdentifier name() {
    return name;
  }

  public SqlIdentifier table() {
    return table;
  }

  /** The key columns: {@link SqlIdentifier}, or a {@code DESC} call around one. */
  public SqlNodeList columns() {
    return columns;
  }

  /** The key column names, in order. */
  public List<String> columnNames() {
    List<String> out = new ArrayList<>();
    for (SqlNode c : columns) {
      SqlNode id = c.getKind() == SqlKind.DESCENDING ? ((SqlBasicCall) c).operand(0) : c;
      out.add(((SqlIdentifier) id).getSimple());
    }
    return out;
  }

  /** Per key column, whether it is DESC. */
  public List<Boolean> descending() {
    List<Boolean> out = new ArrayList<>();
    for (SqlNode c : columns) {
      out.add(c.getKind() == SqlKind.DESCENDING);
    }
    return out;
  }

  public boolean unique() {
    return unique;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** The access method of USING (lower case, e.g. {@code btree}), or null. */
  public String using() {
    return using;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, table, columns, SqlPgOperator.literal(unique),
        SqlPgOperator.literal(ifNotExists),
        using == null ? null : SqlLiteral.createCharString(using, SqlParserPos.ZERO));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (unique) {
      writer.keyword("UNIQUE");
    }
    writer.keyword("INDEX");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    if (name != null) {
      name.unparse(writer, 0, 0);
    }
    writer.keyword("ON");
    table.unparse(writer, 0, 0);
    if (using != null) {
      writer.keyword("USING");
      writer.identifier(using, false);
    }
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode c : columns) {
      writer.sep(",");
      c.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
