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

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (column_def | table_constraint, ...) [WITH (option = value,
 * ...)]}; the storage options (e.g. pgbench's {@code fillfactor}) are kept but mean nothing to
 * TroupeDB.
 */
public final class SqlCreateTable extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE TABLE", SqlKind.CREATE_TABLE,
          (pos, o) -> new SqlCreateTable(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
              (SqlNodeList) o[2], (SqlNodeList) o[3]));

  private final SqlIdentifier name;
  private final boolean ifNotExists;
  private final SqlNodeList elements;
  private final SqlNodeList withOptions;

  /** {@code elements} holds {@link SqlColumnDef}s and {@link SqlTableConstraint}s in written order. */
  public SqlCreateTable(SqlParserPos pos, SqlIdentifier name, boolean ifNotExists,
      SqlNodeList elements, SqlNodeList withOptions) {
    super(pos);
    this.name = name;
    this.ifNotExists = ifNotExists;
    this.elements = elements;
    this.withOptions = withOptions;
  }

  /** The WITH (...) storage options as {@code name = value} calls (kind EQUALS), or null. */
  public SqlNodeList withOptions() {
    return withOptions;
  }

  /** The table name (possibly qualified: {@code db.table} or {@code schema.table}). */
  public SqlIdentifier name() {
    return name;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** Column definitions and table constraints in written order. */
  public SqlNodeList elements() {
    return elements;
  }

  /** The column definitions, in order. */
  public List<SqlColumnDef> columns() {
    List<SqlColumnDef> out = new ArrayList<>();
    for (SqlNode e : elements) {
      if (e instanceof SqlColumnDef) {
        out.add((SqlColumnDef) e);
      }
    }
    return out;
  }

  /** The table constraints (not the column-level PRIMARY KEY / UNIQUE), in order. */
  public List<SqlTableConstraint> constraints() {
    List<SqlTableConstraint> out = new ArrayList<>();
    for (SqlNode e : elements) {
      if (e instanceof SqlTableConstraint) {
        out.add((SqlTableConstraint) e);
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
    return Arrays.asList(name, SqlPgOperator.literal(ifNotExists), elements, withOptions);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode e : elements) {
      writer.sep(",");
      e.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    if (withOptions != null) {
      writer.keyword("WITH");
      SqlWriter.Frame options = writer.startList("(", ")");
      for (SqlNode o : withOptions) {
        writer.sep(",");
        o.unparse(writer, 0, 0);
      }
      writer.endList(options);
    }
  }
}
