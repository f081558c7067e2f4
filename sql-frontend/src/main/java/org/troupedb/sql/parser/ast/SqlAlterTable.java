package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code ALTER TABLE [IF EXISTS] name action} with one action: ADD [COLUMN] [IF NOT EXISTS]
 * column_def, DROP [COLUMN] [IF EXISTS] column [CASCADE | RESTRICT], ADD table_constraint, RENAME
 * TO new_name, RENAME [COLUMN] column TO new_name, DROP CONSTRAINT [IF EXISTS] name [CASCADE |
 * RESTRICT], ALTER [COLUMN] column SET DEFAULT expr | DROP DEFAULT | SET NOT NULL | DROP NOT NULL |
 * [SET DATA] TYPE type [USING expr]. Which fields are set depends on {@link #action()}.
 */
public final class SqlAlterTable extends SqlCall {
  /** What the statement changes. */
  public enum Action {
    ADD_COLUMN, DROP_COLUMN, ADD_CONSTRAINT, RENAME_TABLE, RENAME_COLUMN, DROP_CONSTRAINT,
    SET_DEFAULT, DROP_DEFAULT, SET_NOT_NULL, DROP_NOT_NULL, ALTER_TYPE
  }

  public static final SqlOperator OPERATOR =
      new SqlPgOperator("ALTER TABLE", SqlKind.ALTER_TABLE,
          (pos, o) -> new SqlAlterTable(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
              ((SqlLiteral) o[2]).getValueAs(Action.class), o[3], (SqlIdentifier) o[4],
              SqlPgOperator.flag(o[5])).withDetail(o[6], null, o[7], SqlPgOperator.flag(o[8])));

  private final SqlIdentifier name;
  private final boolean ifExists;
  private final Action action;
  private final SqlNode element;
  private final SqlIdentifier newName;
  private final boolean elementIfExists;
  private SqlNode value;
  private SqlParserPos valueText;
  private SqlNode using;
  private boolean cascade;

  /**
   * {@code element} is the SqlColumnDef (ADD_COLUMN), SqlTableConstraint, SqlCheckConstraint or
   * SqlForeignKey (ADD_CONSTRAINT), column SqlIdentifier (DROP_COLUMN, RENAME_COLUMN), constraint
   * name (DROP_CONSTRAINT), null for RENAME_TABLE; {@code elementIfExists} is the IF [NOT] EXISTS
   * of ADD/DROP COLUMN and DROP CONSTRAINT.
   */
  public SqlAlterTable(SqlParserPos pos, SqlIdentifier name, boolean ifExists, Action action,
      SqlNode element, SqlIdentifier newName, boolean elementIfExists) {
    super(pos);
    this.name = name;
    this.ifExists = ifExists;
    this.action = action;
    this.element = element;
    this.newName = newName;
    this.elementIfExists = elementIfExists;
  }

  /**
   * This statement with the detail of an ALTER COLUMN or DROP COLUMN action: {@code value} is the
   * SET DEFAULT expression (written at {@code valueText}, first token to last) or the TYPE's
   * SqlDataTypeSpec, {@code using} the USING expression, {@code cascade} DROP COLUMN's CASCADE.
   * Called once, by the parser, before the node is shared.
   */
  public SqlAlterTable withDetail(SqlNode value, SqlParserPos valueText, SqlNode using, boolean cascade) {
    this.value = value;
    this.valueText = valueText;
    this.using = using;
    this.cascade = cascade;
    return this;
  }

  /** SET DEFAULT's expression or ALTER TYPE's type spec, else null. */
  public SqlNode value() {
    return value;
  }

  /** Where SET DEFAULT's expression is written (null if unknown). */
  public SqlParserPos valueText() {
    return valueText;
  }

  /** ALTER TYPE's USING expression, else null. */
  public SqlNode using() {
    return using;
  }

  /** DROP COLUMN … CASCADE. */
  public boolean cascade() {
    return cascade;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** ALTER TABLE IF EXISTS. */
  public boolean ifExists() {
    return ifExists;
  }

  public Action action() {
    return action;
  }

  /** The new column of ADD_COLUMN, else null. */
  public SqlColumnDef column() {
    return action == Action.ADD_COLUMN ? (SqlColumnDef) element : null;
  }

  /**
   * The constraint of ADD_CONSTRAINT ({@link SqlTableConstraint}, {@link SqlCheckConstraint} or
   * {@link SqlForeignKey}), the constraint name of DROP_CONSTRAINT, else null.
   */
  public SqlNode constraint() {
    return action == Action.ADD_CONSTRAINT || action == Action.DROP_CONSTRAINT ? element : null;
  }

  /** The column of DROP_COLUMN, RENAME_COLUMN and the ALTER COLUMN actions, else null. */
  public SqlIdentifier columnName() {
    return action == Action.ADD_COLUMN || action == Action.ADD_CONSTRAINT || action == Action.DROP_CONSTRAINT
        || action == Action.RENAME_TABLE ? null : (SqlIdentifier) element;
  }

  /** The new name of RENAME_TABLE and RENAME_COLUMN, else null. */
  public SqlIdentifier newName() {
    return newName;
  }

  /** IF NOT EXISTS of ADD COLUMN, IF EXISTS of DROP COLUMN. */
  public boolean columnIfExists() {
    return elementIfExists;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifExists),
        SqlLiteral.createSymbol(action, SqlParserPos.ZERO), element, newName,
        SqlPgOperator.literal(elementIfExists), value, using, SqlPgOperator.literal(cascade));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
    switch (action) {
      case ADD_COLUMN:
        writer.keyword("ADD COLUMN");
        if (elementIfExists) {
          writer.keyword("IF NOT EXISTS");
        }
        element.unparse(writer, 0, 0);
        break;
      case DROP_COLUMN:
        writer.keyword("DROP COLUMN");
        if (elementIfExists) {
          writer.keyword("IF EXISTS");
        }
        element.unparse(writer, 0, 0);
        if (cascade) {
          writer.keyword("CASCADE");
        }
        break;
      case ADD_CONSTRAINT:
        writer.keyword("ADD");
        element.unparse(writer, 0, 0);
        break;
      case DROP_CONSTRAINT:
        writer.keyword("DROP CONSTRAINT");
        if (elementIfExists) {
          writer.keyword("IF EXISTS");
        }
        element.unparse(writer, 0, 0);
        break;
      case RENAME_TABLE:
        writer.keyword("RENAME TO");
        newName.unparse(writer, 0, 0);
        break;
      case RENAME_COLUMN:
        writer.keyword("RENAME COLUMN");
        element.unparse(writer, 0, 0);
        writer.keyword("TO");
        newName.unparse(writer, 0, 0);
        break;
      default:
        writer.keyword("ALTER COLUMN");
        element.unparse(writer, 0, 0);
        writer.keyword(action.name().replace('_', ' ').replace("ALTER TYPE", "TYPE"));
        if (value != null) {
          value.unparse(writer, 0, 0);
        }
        if (using != null) {
          writer.keyword("USING");
          using.unparse(writer, 0, 0);
        }
    }
  }
}
