package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A column of {@code CREATE TABLE}: {@code name type [NOT NULL] [DEFAULT expr] [PRIMARY KEY] [UNIQUE]
 * [CHECK (expr)] [REFERENCES …]}; the CHECK and REFERENCES constraints are in {@link #constraints()}
 * ({@link SqlCheckConstraint}, {@link SqlForeignKey} on this column).
 */
public final class SqlColumnDef extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("COLUMN", SqlKind.COLUMN_DECL,
          (pos, o) -> new SqlColumnDef(pos, (SqlIdentifier) o[0], (SqlDataTypeSpec) o[1],
              SqlPgOperator.flag(o[2]), o[3], SqlPgOperator.flag(o[4]), SqlPgOperator.flag(o[5]), null,
              (org.apache.calcite.sql.SqlNodeList) o[6]));

  private final SqlIdentifier name;
  private final SqlDataTypeSpec type;
  private final boolean notNull;
  private final SqlNode defaultValue;
  private final boolean primaryKey;
  private final boolean unique;

  private final SqlParserPos defaultText;
  private final org.apache.calcite.sql.SqlNodeList constraints;

  public SqlColumnDef(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type, boolean notNull,
      SqlNode defaultValue, boolean primaryKey, boolean unique) {
    this(pos, name, type, notNull, defaultValue, primaryKey, unique, null);
  }

  /**
   * {@code defaultText}: where the DEFAULT expression is written, first token to last (null:
   * unknown, e.g. for a node built by hand).
   */
  public SqlColumnDef(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type, boolean notNull,
      SqlNode defaultValue, boolean primaryKey, boolean unique, SqlParserPos defaultText) {
    this(pos, name, type, notNull, defaultValue, primaryKey, unique, defaultText,
        org.apache.calcite.sql.SqlNodeList.EMPTY);
  }

  /** {@code constraints}: the column's CHECK and REFERENCES constraints, in written order. */
  public SqlColumnDef(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type, boolean notNull,
      SqlNode defaultValue, boolean primaryKey, boolean unique, SqlParserPos defaultText,
      org.apache.calcite.sql.SqlNodeList constraints) {
    super(pos);
    this.constraints = constraints == null ? org.apache.calcite.sql.SqlNodeList.EMPTY : constraints;
    this.defaultText = defaultText;
    this.name = name;
    this.type = type;
    this.notNull = notNull;
    this.defaultValue = defaultValue;
    this.primaryKey = primaryKey;
    this.unique = unique;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The declared type; its type name spec is a {@link SqlPgTypeNameSpec} (see {@link #pgType()}). */
  public SqlDataTypeSpec type() {
    return type;
  }

  /** The PostgreSQL type name, precision, scale and serial flag. */
  public SqlPgTypeNameSpec pgType() {
    return (SqlPgTypeNameSpec) type.getTypeNameSpec();
  }

  /** NOT NULL was declared (PRIMARY KEY implies it too, but this flag is only the declaration). */
  public boolean notNull() {
    return notNull;
  }

  /** The DEFAULT expression, or null. */
  public SqlNode defaultValue() {
    return defaultValue;
  }

  /**
   * Where the DEFAULT expression is written in the parsed text, from its first token to its last
   * (parentheses included, which {@link #defaultValue()}'s own position may leave out), or null.
   */
  public SqlParserPos defaultText() {
    return defaultText;
  }

  public boolean primaryKey() {
    return primaryKey;
  }

  public boolean unique() {
    return unique;
  }

  /** The column's CHECK ({@link SqlCheckConstraint}) and REFERENCES ({@link SqlForeignKey}) constraints. */
  public org.apache.calcite.sql.SqlNodeList constraints() {
    return constraints;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, type, SqlPgOperator.literal(notNull), defaultValue,
        SqlPgOperator.literal(primaryKey), SqlPgOperator.literal(unique), constraints);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    type.unparse(writer, 0, 0);
    if (notNull) {
      writer.keyword("NOT NULL");
    }
    if (defaultValue != null) {
      writer.keyword("DEFAULT");
      defaultValue.unparse(writer, 0, 0);
    }
    if (primaryKey) {
      writer.keyword("PRIMARY KEY");
    }
    if (unique) {
      writer.keyword("UNIQUE");
    }
    for (SqlNode c : constraints) {
      c.unparse(writer, 0, 0);
    }
  }
}
