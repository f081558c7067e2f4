package org.troupedb.sql.parser.ast;

import java.math.BigDecimal;
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
 * {@code FETCH | MOVE [direction] [FROM | IN] cursor}, reduced to one of four motions as
 * PostgreSQL's grammar reduces it: FORWARD/BACKWARD {@code count} rows ({@link #ALL} for ALL),
 * ABSOLUTE or RELATIVE {@code count}. NEXT is FORWARD 1, PRIOR BACKWARD 1, FIRST ABSOLUTE 1,
 * LAST ABSOLUTE -1, a negative count the other direction.
 */
public final class SqlFetch extends SqlCall {
  /** The motion. */
  public enum Direction { FORWARD, BACKWARD, ABSOLUTE, RELATIVE }

  /** The count of FETCH ALL (PostgreSQL's FETCH_ALL). */
  public static final long ALL = Long.MAX_VALUE;

  public static final SqlOperator OPERATOR = new SqlPgOperator("FETCH", SqlKind.OTHER,
      (pos, o) -> new SqlFetch(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
          ((SqlLiteral) o[2]).getValueAs(Direction.class), ((SqlLiteral) o[3]).longValue(true)));

  private final SqlIdentifier cursor;
  private final boolean move;
  private final Direction direction;
  private final long count;

  public SqlFetch(SqlParserPos pos, SqlIdentifier cursor, boolean move, Direction direction, long count) {
    super(pos);
    this.cursor = cursor;
    this.move = move;
    this.direction = direction;
    this.count = count;
  }

  public String cursor() {
    return cursor.getSimple();
  }

  /** MOVE: positions the cursor without returning rows. */
  public boolean move() {
    return move;
  }

  public Direction direction() {
    return direction;
  }

  public long count() {
    return count;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(cursor, SqlPgOperator.literal(move), SqlLiteral.createSymbol(direction, SqlParserPos.ZERO),
        SqlLiteral.createExactNumeric(BigDecimal.valueOf(count).toPlainString(), SqlParserPos.ZERO));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(move ? "MOVE" : "FETCH");
    writer.keyword(direction.name());
    writer.print(count == ALL ? "ALL" : Long.toString(count));
    writer.keyword("FROM");
    cursor.unparse(writer, 0, 0);
  }
}
