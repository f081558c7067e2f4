package org.troupedb.sql.internal.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlExecute;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * The values of {@code EXECUTE name (arg, …)}'s arguments, checked against the prepared
 * statement's parameter types as PostgreSQL checks them: the count (42601), a quoted literal read
 * by the type's input function (22P02 at the literal), a number or boolean only where PostgreSQL
 * has an assignment cast (42804 otherwise). Arguments are constants: literals, signed numbers,
 * NULL, TRUE/FALSE, and casts of these; any other expression is 0A000.
 */
final class ExecuteArguments {
  private ExecuteArguments() {}

  /** The values for {@code x}'s parameters; {@code sql}: the EXECUTE's text (for error positions). */
  static List<Object> values(SqlExecute x, List<PgType> types, String sql) throws SqlException {
    if (x.args().size() != types.size()) {
      throw new SqlException(SqlState.SYNTAX_ERROR,
          "wrong number of parameters for prepared statement \"" + x.name() + "\"",
          "Expected " + types.size() + " parameters but got " + x.args().size() + ".", null, null);
    }
    List<Object> out = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      out.add(value(x.args().get(i), types.get(i), i + 1, sql));
    }
    return out;
  }

  private static Object value(SqlNode arg, PgType type, int n, String sql) throws SqlException {
    SqlNode e = arg;
    if (e instanceof SqlCall c && c.getKind() == SqlKind.CAST && c.operand(1) instanceof SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg && pg.pgType() == type) {
      e = c.operand(0); // a cast to the parameter's own type: the value as the parameter reads it
    }
    boolean negative = false;
    if (e instanceof SqlBasicCall c && c.getKind() == SqlKind.MINUS_PREFIX && c.operand(0) instanceof SqlNumericLiteral) {
      negative = true;
      e = c.operand(0);
    }
    ColumnType target = ColumnType.of(type);
    if (e instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.NULL) {
      return null;
    }
    if (e instanceof SqlCharStringLiteral s) {
      String text = s.getValueAs(NlsString.class).getValue();
      try {
        target.coerce(text);
      } catch (SqlException ex) {
        throw ex.withPosition(Errors.position(sql, s.getParserPosition().getLineNum(),
            s.getParserPosition().getColumnNum()));
      }
      return text;
    }
    if (e instanceof SqlNumericLiteral num) {
      BigDecimal v = num.getValueAs(BigDecimal.class);
      v = negative ? v.negate() : v;
      int bits = v.toBigInteger().bitLength();
      String from = num.isExact() && v.scale() <= 0 ? (bits < 32 ? "integer" : bits < 64 ? "bigint"
          : "numeric") : "numeric";
      if (!numeric(type) && !text(type)) {
        throw mismatch(n, from, target, arg, sql);
      }
      return text(type) ? v.toPlainString() : v;
    }
    if (e instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.BOOLEAN) {
      if (type != PgType.BOOL && !text(type)) {
        throw mismatch(n, "boolean", target, arg, sql);
      }
      Boolean b = lit.getValueAs(Boolean.class);
      return text(type) ? b.toString() : b;
    }
    throw SqlException.unsupported("EXECUTE arguments other than constants");
  }

  private static boolean numeric(PgType t) {
    return t == PgType.INT2 || t == PgType.INT4 || t == PgType.INT8 || t == PgType.FLOAT4 || t == PgType.FLOAT8
        || t == PgType.NUMERIC;
  }

  private static boolean text(PgType t) {
    return t == PgType.TEXT || t == PgType.VARCHAR || t == PgType.BPCHAR || t == PgType.NAME;
  }

  private static SqlException mismatch(int n, String from, ColumnType to, SqlNode arg, String sql) {
    int at = Errors.position(sql, arg.getParserPosition().getLineNum(), arg.getParserPosition().getColumnNum());
    return new SqlException(SqlState.DATATYPE_MISMATCH,
        "parameter $" + n + " of type " + from + " cannot be coerced to the expected type " + to.sqlName(), null,
        "You will need to rewrite or cast the expression.", at, null);
  }
}
