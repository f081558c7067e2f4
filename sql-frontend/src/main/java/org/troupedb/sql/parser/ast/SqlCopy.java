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
 * {@code COPY table [(cols)] FROM STDIN | TO STDOUT [[WITH] (option [value], ...)]}, also with the
 * old option spelling ({@code WITH CSV HEADER DELIMITER ','}), or {@code COPY (query) TO STDOUT
 * …}: then {@link #table()} is null and {@link #query()} carries the query ({@link
 * SqlPrepare#carried}). The data itself travels in the wire protocol's COPY messages.
 */
public final class SqlCopy extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("COPY", SqlKind.OTHER,
          (pos, o) -> new SqlCopy(pos, (SqlIdentifier) o[0], (SqlNodeList) o[1],
              SqlPgOperator.flag(o[2]), (SqlNodeList) o[3], (SqlNodeList) o[4]));

  private final SqlIdentifier table;
  private final SqlNodeList columns;
  private final boolean from;
  private final SqlNodeList options;
  private final SqlNodeList query;

  public SqlCopy(SqlParserPos pos, SqlIdentifier table, SqlNodeList columns, boolean from,
      SqlNodeList options) {
    this(pos, table, columns, from, options, null);
  }

  public SqlCopy(SqlParserPos pos, SqlIdentifier table, SqlNodeList columns, boolean from,
      SqlNodeList options, SqlNodeList query) {
    super(pos);
    this.query = query;
    this.table = table;
    this.columns = columns;
    this.from = from;
    this.options = options;
  }

  /** The table, or null for {@code COPY (query)}. */
  public SqlIdentifier table() {
    return table;
  }

  /** The query of {@code COPY (query) TO STDOUT}, carried as its only element; null for a table. */
  public SqlNodeList query() {
    return query;
  }

  /** The column list, or null for all columns. */
  public SqlNodeList columns() {
    return columns;
  }

  /** True for COPY ... FROM STDIN (load), false for COPY ... TO STDOUT (dump). */
  public boolean from() {
    return from;
  }

  /**
   * The options as {@code name = value} calls (kind EQUALS) with lower-case names ({@code format},
   * {@code delimiter}, {@code null}, {@code header}, {@code freeze}, ...); an option given without
   * a value has the value TRUE. Never null.
   */
  public SqlNodeList options() {
    return options;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(table, columns, SqlPgOperator.literal(from), options, query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COPY");
    if (query != null) {
      SqlWriter.Frame q = writer.startList("(", ")");
      query.get(0).unparse(writer, 0, 0);
      writer.endList(q);
    } else {
      table.unparse(writer, 0, 0);
    }
    if (columns != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode c : columns) {
        writer.sep(",");
        c.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword(from ? "FROM STDIN" : "TO STDOUT");
    if (!options.isEmpty()) {
      writer.keyword("WITH");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode o : options) {
        writer.sep(",");
        SqlCall option = (SqlCall) o;
        option.operand(0).unparse(writer, 0, 0);
        option.operand(1).unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
  }
}
