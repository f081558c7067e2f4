package org.troupedb.sql.internal.plan;

import static org.troupedb.sql.internal.plan.DmlTrees.castIfNeeded;
import static org.troupedb.sql.internal.plan.DmlTrees.parseExpression;
import static org.troupedb.sql.internal.plan.DmlTrees.typeSpec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * The source of an INSERT as it is planned: each VALUES row completed with the targeted columns'
 * defaults for DEFAULT, and each item typed against its target column as PostgreSQL assigns it
 * ({@link #insertSource}). A query source is planned as written.
 */
public final class InsertValues {
  private InsertValues() {}

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /**
   * Types an INSERT … VALUES item against its target column as PostgreSQL does, so that the rows
   * of a multi-row VALUES need no common type: a string literal (of unknown type in PostgreSQL) is
   * read as the column type's input, a numeric literal is range-checked and cast to the column's
   * numeric type, parameters and NULLs are cast; other expressions are left as they are.
   */
  private static SqlNode assignLiteral(SqlNode v, ColumnType ct) throws SqlException {
    SqlNode lit = v;
    boolean negate = false;
    if (v.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) v).operand(0) instanceof SqlNumericLiteral) {
      lit = ((SqlCall) v).operand(0);
      negate = true;
    }
    boolean numericTarget = switch (ct.pg()) {
      case INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC -> true;
      default -> false;
    };
    if (lit instanceof SqlNumericLiteral num && numericTarget) {
      java.math.BigDecimal d = num.getValueAs(java.math.BigDecimal.class);
      ct.coerce(negate ? d.negate() : d); // PostgreSQL's range and precision errors, at plan time
      return SqlStdOperatorTable.CAST.createCall(POS, v, typeSpec(ct));
    }
    if (v instanceof SqlCharStringLiteral str) {
      String text = str.getValueAs(String.class);
      switch (ct.pg()) {
        case BYTEA -> {
          return SqlLiteral.createBinaryString(ColumnType.parseBytea(text), POS);
        }
        case BOOL -> {
          return SqlLiteral.createBoolean((Boolean) ct.coerce(text), POS);
        }
        case INT2, INT4, INT8, NUMERIC -> {
          Object o = ct.coerce(text);
          return SqlStdOperatorTable.CAST.createCall(POS,
              SqlLiteral.createExactNumeric(new java.math.BigDecimal(o.toString()).toPlainString(), POS), typeSpec(ct));
        }
        case FLOAT4, FLOAT8 -> {
          double x = ((Number) ct.coerce(text)).doubleValue();
          if (Double.isFinite(x)) {
            return SqlStdOperatorTable.CAST.createCall(POS,
                SqlLiteral.createApproxNumeric(Double.toString(x), POS), typeSpec(ct));
          }
          return v;
        }
        case DATE -> {
          int day = (Integer) ct.coerce(text);
          return SqlLiteral.createDate(org.apache.calcite.util.DateString.fromDaysSinceEpoch(day), POS);
        }
        case TIMESTAMP -> {
          java.time.LocalDateTime t = (java.time.LocalDateTime) ct.toExternal(ct.coerce(text));
          return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, new org.apache.calcite.util.TimestampString(
              t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())
              .withNanos(t.getNano()), 6, POS);
        }
        case JSON, JSONB -> {
          try { // checked here so that an error points at the literal, with json_in's DETAIL and CONTEXT
            ct.coerce(text);
          } catch (SqlException e) {
            throw Errors.at(e, str.getParserPosition());
          }
          return v;
        }
        case UUID -> {
          return new org.apache.calcite.sql.SqlUuidLiteral((java.util.UUID) atLiteral(ct, text, str), POS);
        }
        case INTERVAL -> {
          return SqlLiteral.createCharString((String) atLiteral(ct, text, str), POS); // internal text (PgIntervalText)
        }
        case TIME -> {
          return SqlLiteral.createTime(org.apache.calcite.util.TimeString.fromMillisOfDay(
              (Integer) atLiteral(ct, text, str)), 3, POS);
        }
        case TIMESTAMPTZ -> {
          try {
            return org.troupedb.sql.parser.PgTimestamps.toTimestampTz(text, POS);
          } catch (IllegalArgumentException e) {
            throw new SqlException(SqlState.INVALID_DATETIME_FORMAT, e.getMessage());
          }
        }
        default -> {
          return v;
        }
      }
    }
    return castIfNeeded(v, ct);
  }

  /** {@code text} read as {@code ct}'s input; an error points at the literal, as PostgreSQL's does. */
  private static Object atLiteral(ColumnType ct, String text, SqlNode literal) throws SqlException {
    try {
      return ct.coerce(text);
    } catch (SqlException e) {
      throw Errors.at(e.sqlState(), e.getMessage(), literal.getParserPosition());
    }
  }

  private static boolean literalsOnly(List<SqlNode> rows, int i) {
    for (SqlNode r : rows) {
      SqlNode v = ((SqlCall) r).operand(i);
      if (v.getKind() == SqlKind.MINUS_PREFIX) {
        v = ((SqlCall) v).operand(0);
      }
      if (!(v instanceof SqlNumericLiteral || v instanceof SqlCharStringLiteral
          || (v instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A literal for an unconstrained NUMERIC column in a multi-row VALUES, as its text: each row keeps
   * its own scale as in PostgreSQL (1, 2.5, -3) instead of the rows' common DECIMAL scale; the row
   * writer reads the text as numeric.
   */
  private static SqlNode numericAsText(SqlNode v, ColumnType ct) throws SqlException {
    if (v instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL) {
      return SqlStdOperatorTable.CAST.createCall(POS, v,
          new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, -1, -1, null, POS), POS));
    }
    java.math.BigDecimal d;
    if (v instanceof SqlCharStringLiteral str) {
      d = (java.math.BigDecimal) ct.coerce(str.getValueAs(String.class));
    } else if (v.getKind() == SqlKind.MINUS_PREFIX) {
      d = ((SqlNumericLiteral) ((SqlCall) v).operand(0)).getValueAs(java.math.BigDecimal.class).negate();
    } else {
      d = ((SqlNumericLiteral) v).getValueAs(java.math.BigDecimal.class);
    }
    return SqlLiteral.createCharString(d.toPlainString(), POS);
  }

  /** {@code source} with DEFAULT replaced and its VALUES items typed for the columns {@code targets}. */
  public static SqlNode insertSource(TableDesc t, int[] targets, SqlNode source) throws SqlException {
    if (source.getKind() != SqlKind.VALUES) {
      return source;
    }
    SqlCall values = (SqlCall) source;
    List<SqlNode> rows = new ArrayList<>();
    for (SqlNode r : values.getOperandList()) {
      SqlCall row = (SqlCall) r;
      if (row.operandCount() == 0) { // DEFAULT VALUES
        List<SqlNode> defaults = new ArrayList<>();
        for (int target : targets) {
          defaults.add(SqlStdOperatorTable.DEFAULT.createCall(POS));
        }
        row = SqlStdOperatorTable.ROW.createCall(POS, defaults);
      }
      if (row.operandCount() != targets.length) {
        throw new SqlException(SqlState.SYNTAX_ERROR, row.operandCount() > targets.length
            ? "INSERT has more expressions than target columns"
            : "INSERT has more target columns than expressions");
      }
      List<SqlNode> vals = new ArrayList<>();
      for (int i = 0; i < targets.length; i++) {
        TableDesc.Column c = t.columns().get(targets[i]);
        SqlNode v = row.operand(i);
        if (v.getKind() == SqlKind.DEFAULT) {
          v = c.defaultSql() != null && c.sequence() == null
              ? parseExpression(c.defaultSql()) : SqlLiteral.createNull(POS);
        }
        vals.add(v);
      }
      rows.add(SqlStdOperatorTable.ROW.createCall(POS, vals));
    }
    List<SqlNode> typed = new ArrayList<>();
    for (SqlNode r : rows) {
      SqlCall row = (SqlCall) r;
      List<SqlNode> vals = new ArrayList<>();
      for (int i = 0; i < targets.length; i++) {
        ColumnType ct = t.columns().get(targets[i]).type();
        SqlNode v = row.operand(i);
        if (rows.size() > 1 && ct.pg() == org.troupedb.sql.PgType.NUMERIC && ct.precision() < 0
            && literalsOnly(rows, i)) {
          vals.add(numericAsText(v, ct));
        } else {
          vals.add(assignLiteral(v, ct));
        }
      }
      typed.add(SqlStdOperatorTable.ROW.createCall(POS, vals));
    }
    return SqlStdOperatorTable.VALUES.createCall(POS, typed);
  }
}
