package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * An INSERT (or CockroachDB UPSERT) with PostgreSQL clauses Calcite's {@link SqlInsert} lacks:
 * {@code DEFAULT VALUES}, {@code ON CONFLICT ...} and {@code RETURNING ...}. The parser returns a
 * bare {@link SqlInsert} when none of them is present.
 *
 * <p>NB: for DEFAULT VALUES the wrapped insert's source is {@code VALUES (ROW())}, an empty row;
 * check {@link #defaultValues()} before looking at it.
 */
public final class SqlPgInsert extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("PG INSERT", SqlKind.OTHER,
          (pos, o) -> new SqlPgInsert(pos, (SqlInsert) o[0], (SqlOnConflict) o[1],
              (SqlNodeList) o[2], SqlPgOperator.flag(o[3]), SqlPgOperator.flag(o[4])));

  private final SqlInsert insert;
  private final SqlOnConflict onConflict;
  private final SqlNodeList returning;
  private final boolean upsert;
  private final boolean defaultValues;

  public SqlPgInsert(SqlParserPos pos, SqlInsert insert, SqlOnConflict onConflict,
      SqlNodeList returning, boolean upsert, boolean defaultValues) {
    super(pos);
    this.insert = insert;
    this.onConflict = onConflict;
    this.returning = returning;
    this.upsert = upsert;
    this.defaultValues = defaultValues;
  }

  /** The plain insert: target table, column list, source query. */
  public SqlInsert insert() {
    return insert;
  }

  /** The ON CONFLICT clause, or null. */
  public SqlOnConflict onConflict() {
    return onConflict;
  }

  /** The RETURNING items ({@code *} is a star identifier; aliases are AS calls), or null. */
  public SqlNodeList returning() {
    return returning;
  }

  /** UPSERT INTO (CockroachDB): insert, or overwrite the row with the same primary key. */
  public boolean upsert() {
    return upsert;
  }

  /** INSERT ... DEFAULT VALUES. */
  public boolean defaultValues() {
    return defaultValues;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(insert, onConflict, returning, SqlPgOperator.literal(upsert),
        SqlPgOperator.literal(defaultValues));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (defaultValues) {
      writer.keyword(upsert ? "UPSERT INTO" : "INSERT INTO");
      insert.getTargetTable().unparse(writer, 0, 0);
      writer.keyword("DEFAULT VALUES");
    } else {
      insert.unparse(writer, 0, 0);
    }
    if (onConflict != null) {
      onConflict.unparse(writer, 0, 0);
    }
    SqlReturningList.unparse(writer, returning);
  }
}
