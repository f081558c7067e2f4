package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgJson;

/**
 * {@code json_build_object(k1, v1, ...)} as SQLAlchemy's column reflection calls it (over
 * pg_sequence's numbers and booleans): the object's text in PostgreSQL's spelling ({@code {"a" :
 * 1, "b" : true}}); text values are JSON strings, numbers and booleans JSON literals, NULL is
 * {@code null}, json and jsonb values as their text. The result is {@code json}; other value
 * types are written as JSON strings of their internal text.
 */
public final class JsonBuildFunctions {
  private JsonBuildFunctions() {}

  /** Builds the object. NB: public for generated code. */
  public static String buildObject(Object[] args, String kinds) {
    if (args.length % 2 != 0) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "argument list must have even number of elements", null,
          "The arguments of json_build_object() must consist of alternating keys and values.", null));
    }
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < args.length; i += 2) {
      if (args[i] == null) {
        throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
            "null value not allowed for object key"));
      }
      b.append(i == 0 ? "" : ", ");
      PgJson.quote(b, String.valueOf(args[i]));
      b.append(" : ");
      Object v = args[i + 1];
      if (v == null) {
        b.append("null");
      } else if (kinds.charAt(i + 1) == JsonBuilders.JSON_TEXT) {
        b.append(v);
      } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
          || v instanceof Byte || v instanceof BigDecimal) {
        b.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
      } else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (Double.isFinite(d)) {
          b.append(v);
        } else {
          PgJson.quote(b, v.toString());
        }
      } else {
        PgJson.quote(b, v.toString());
      }
    }
    return b.append('}').toString();
  }

  private static final SqlUserDefinedFunction JSON_BUILD_OBJECT = new SqlUserDefinedFunction(
      new SqlIdentifier("json_build_object", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      JsonFunctions.JSON, null, null, new Impl()) {
    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.from(0);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return true;
    }

    @Override
    public SqlFunctionCategory getFunctionType() {
      return SqlFunctionCategory.SYSTEM;
    }
  };

  private record Impl() implements CodeFunction {
    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> {
        List<Expression> boxed = new ArrayList<>();
        for (Expression e : operands) {
          boxed.add(EnumUtils.convert(e, Object.class));
        }
        StringBuilder kinds = new StringBuilder();
        for (org.apache.calcite.rex.RexNode o : call.getOperands()) {
          kinds.append(JsonBuilders.kind(o.getType()));
        }
        return Expressions.call(JsonBuildFunctions.class, "buildObject",
            Expressions.newArrayInit(Object.class, boxed), Expressions.constant(kinds.toString()));
      }, NullPolicy.NONE, false);
    }
  }

  /** The function as an operator table (names in any case). */
  public static final SqlOperatorTable TABLE = AnyCaseFunctionTable.of(List.of(JSON_BUILD_OBJECT));
}
