package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE SEQUENCE [IF NOT EXISTS] name [AS type] [INCREMENT [BY] n] [MINVALUE n | NO MINVALUE]
 * [MAXVALUE n | NO MAXVALUE] [START [WITH] n] [CACHE n] [[NO] CYCLE]}. Options not given are null
 * (the engine applies PostgreSQL's defaults).
 */
public final class SqlCreateSequence extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("CREATE SEQUENCE", SqlKind.CREATE_SEQUENCE,
          (pos, o) -> new SqlCreateSequence(pos, (SqlIdentifier) o[0], SqlPgOperator.flag(o[1]),
              (SqlDataTypeSpec) o[2], num(o[3]), num(o[4]), num(o[5]), num(o[6]), num(o[7]),
              SqlPgOperator.flag(o[8])));

  private final SqlIdentifier name;
  private final boolean ifNotExists;
  private final SqlDataTypeSpec dataType;
  private final Long increment;
  private final Long minValue;
  private final Long maxValue;
  private final Long start;
  private final Long cache;
  private final boolean cycle;

  public SqlCreateSequence(SqlParserPos pos, SqlIdentifier name, boolean ifNotExists,
      SqlDataTypeSpec dataType, Long increment, Long minValue, Long maxValue, Long start,
      Long cache, boolean cycle) {
    super(pos);
    this.name = name;
    this.ifNotExists = ifNotExists;
    this.dataType = dataType;
    this.increment = increment;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.start = start;
    this.cache = cache;
    this.cycle = cycle;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** AS type (a {@link SqlPgTypeNameSpec} inside), or null. */
  public SqlDataTypeSpec dataType() {
    return dataType;
  }

  /** INCREMENT BY, or null. */
  public Long increment() {
    return increment;
  }

  /** MINVALUE, or null (also for NO MINVALUE). */
  public Long minValue() {
    return minValue;
  }

  /** MAXVALUE, or null (also for NO MAXVALUE). */
  public Long maxValue() {
    return maxValue;
  }

  /** START WITH, or null. */
  public Long start() {
    return start;
  }

  /** CACHE, or null. */
  public Long cache() {
    return cache;
  }

  public boolean cycle() {
    return cycle;
  }

  private static Long num(SqlNode n) {
    return n == null ? null : ((SqlLiteral) n).longValue(true);
  }

  private static SqlNode lit(Long v) {
    return v == null ? null
        : SqlLiteral.createExactNumeric(Long.toString(v), SqlParserPos.ZERO);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, SqlPgOperator.literal(ifNotExists), dataType, lit(increment),
        lit(minValue), lit(maxValue), lit(start), lit(cache), SqlPgOperator.literal(cycle));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE SEQUENCE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (dataType != null) {
      writer.keyword("AS");
      dataType.unparse(writer, 0, 0);
    }
    option(writer, "INCREMENT BY", increment);
    option(writer, "MINVALUE", minValue);
    option(writer, "MAXVALUE", maxValue);
    option(writer, "START WITH", start);
    option(writer, "CACHE", cache);
    if (cycle) {
      writer.keyword("CYCLE");
    }
  }

  private static void option(SqlWriter writer, String keyword, Long value) {
    if (value != null) {
      writer.keyword(keyword);
      writer.print(Long.toString(value));
      writer.print(" ");
    }
  }
}
