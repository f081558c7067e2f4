package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
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
 * {@code [CONSTRAINT name] FOREIGN KEY (cols) REFERENCES table [(cols)] [MATCH FULL | SIMPLE]
 * [ON DELETE action] [ON UPDATE action] [[NOT] DEFERRABLE] [INITIALLY IMMEDIATE | DEFERRED]}, or
 * the column form {@code REFERENCES table [(col)] …} ({@link #columns()} null: the column it is
 * written on).
 */
public final class SqlForeignKey extends SqlCall {
  /** A referential action. */
  public enum Action { NO_ACTION, RESTRICT, CASCADE, SET_NULL, SET_DEFAULT }

  public static final SqlOperator OPERATOR =
      new SqlPgOperator("FOREIGN KEY", SqlKind.FOREIGN_KEY,
          (pos, o) -> new SqlForeignKey(pos, (SqlIdentifier) o[0], (SqlNodeList) o[1], (SqlIdentifier) o[2],
              (SqlNodeList) o[3], ((SqlLiteral) o[4]).getValueAs(Action.class),
              ((SqlLiteral) o[5]).getValueAs(Action.class), SqlPgOperator.flag(o[6]), SqlPgOperator.flag(o[7])));

  private final SqlIdentifier name;
  private final SqlNodeList columns;
  private final SqlIdentifier refTable;
  private final SqlNodeList refColumns;
  private final Action onDelete;
  private final Action onUpdate;
  private final boolean matchFull;
  private final boolean deferrable;

  /** {@code deferrable}: DEFERRABLE or INITIALLY DEFERRED was written. */
  public SqlForeignKey(SqlParserPos pos, SqlIdentifier name, SqlNodeList columns, SqlIdentifier refTable,
      SqlNodeList refColumns, Action onDelete, Action onUpdate, boolean matchFull, boolean deferrable) {
    super(pos);
    this.name = name;
    this.columns = columns;
    this.refTable = refTable;
    this.refColumns = refColumns;
    this.onDelete = onDelete;
    this.onUpdate = onUpdate;
    this.matchFull = matchFull;
    this.deferrable = deferrable;
  }

  /** The same constraint written on column {@code column}. */
  public SqlForeignKey onColumn(SqlIdentifier column) {
    return new SqlForeignKey(getParserPosition(), name, new SqlNodeList(List.of(column), column.getParserPosition()),
        refTable, refColumns, onDelete, onUpdate, matchFull, deferrable);
  }

  /** The constraint name, or null. */
  public SqlIdentifier name() {
    return name;
  }

  /** The referencing columns, or null in the column form before {@link #onColumn}. */
  public SqlNodeList columns() {
    return columns;
  }

  public SqlIdentifier refTable() {
    return refTable;
  }

  /** The referenced columns, or null: the referenced table's primary key. */
  public SqlNodeList refColumns() {
    return refColumns;
  }

  public Action onDelete() {
    return onDelete;
  }

  public Action onUpdate() {
    return onUpdate;
  }

  public boolean matchFull() {
    return matchFull;
  }

  public boolean deferrable() {
    return deferrable;
  }

  /** The simple names of {@code list}'s identifiers (empty for null). */
  public static List<String> names(SqlNodeList list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (SqlNode n : list) {
        out.add(((SqlIdentifier) n).getSimple());
      }
    }
    return out;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, columns, refTable, refColumns, SqlLiteral.createSymbol(onDelete, SqlParserPos.ZERO),
        SqlLiteral.createSymbol(onUpdate, SqlParserPos.ZERO), SqlPgOperator.literal(matchFull),
        SqlPgOperator.literal(deferrable));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (name != null) {
      writer.keyword("CONSTRAINT");
      name.unparse(writer, 0, 0);
    }
    if (columns != null) {
      writer.keyword("FOREIGN KEY");
      list(writer, columns);
    }
    writer.keyword("REFERENCES");
    refTable.unparse(writer, 0, 0);
    if (refColumns != null) {
      list(writer, refColumns);
    }
    if (matchFull) {
      writer.keyword("MATCH FULL");
    }
    writer.keyword("ON DELETE " + onDelete.name().replace('_', ' '));
    writer.keyword("ON UPDATE " + onUpdate.name().replace('_', ' '));
    if (deferrable) {
      writer.keyword("DEFERRABLE");
    }
  }

  private static void list(SqlWriter writer, SqlNodeList l) {
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode c : l) {
      writer.sep(",");
      c.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
