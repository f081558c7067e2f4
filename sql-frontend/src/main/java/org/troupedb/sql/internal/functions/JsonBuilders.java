package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgJson;
import org.troupedb.sql.parser.ast.PgJsonType;

/**
 * {@code jsonb_build_object}, {@code jsonb_build_array} and {@code to_jsonb}: SQL values to jsonb
 * as PostgreSQL converts them (numbers and booleans as JSON literals, json and jsonb arguments as
 * the values they hold, dates and timestamps in ISO 8601 with a {@code T}, anything else as its
 * text). Each argument's kind is fixed while planning (its type) and passed to the call.
 */
public final class JsonBuilders {
  private JsonBuilders() {}

  /** Argument kinds: a value by its Java class, json text, date (days), timestamp (ms), timestamptz (ms, UTC). */
  static final char PLAIN = 'o';
  static final char JSON_TEXT = 'j';
  static final char DATE = 'd';
  static final char TIMESTAMP = 't';
  static final char TIMESTAMPTZ = 'z';

  static char kind(RelDataType t) {
    if (PgJsonType.pgType(t) != null) {
      return JSON_TEXT;
    }
    return switch (t.getSqlTypeName()) {
      case DATE -> DATE;
      case TIMESTAMP -> TIMESTAMP;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TIMESTAMPTZ;
      default -> PLAIN;
    };
  }

  /** The jsonb value of one SQL value. */
  static Object value(Object v, char kind) {
    if (v == null) {
      return PgJson.NULL;
    }
    switch (kind) {
      case JSON_TEXT -> {
        try {
          return PgJson.parse(v.toString());
        } catch (SqlException e) {
          throw new SqlRuntimeException(e);
        }
      }
      case DATE -> {
        return LocalDate.ofEpochDay(((Number) v).longValue()).toString();
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        long us = ((Number) v).longValue() * 1000L; // NB: generated code carries Calcite's milliseconds
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
            (int) Math.floorMod(us, 1_000_000L) * 1000, ZoneOffset.UTC);
        String s = String.format("%sT%02d:%02d:%02d", t.toLocalDate(), t.getHour(), t.getMinute(), t.getSecond());
        if (t.getNano() != 0) {
          s += ("." + String.format("%06d", t.getNano() / 1000)).replaceAll("0+$", "");
        }
        return kind == TIMESTAMPTZ ? s + "+00:00" : s;
      }
      default -> {
        if (v instanceof Boolean) {
          return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
          return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigDecimal d) {
          return d;
        }
        if (v instanceof Double || v instanceof Float) {
          double d = ((Number) v).doubleValue();
          return Double.isFinite(d) ? PgJson.number(Double.toString(d)) : (Object) v.toString();
        }
        return v.toString();
      }
    }
  }

  /** {@code to_jsonb(v)}. NB: public for generated code. */
  public static String toJsonb(Object v, String kinds) {
    return v == null ? null : PgJson.print(value(v, kinds.charAt(0)));
  }

  /** {@code jsonb_build_array(...)}. */
  public static String buildArray(Object[] args, String kinds) {
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      l.add(value(args[i], kinds.charAt(i)));
    }
    return PgJson.print(l);
  }

  /** {@code jsonb_build_object(k1, v1, ...)}: keys as text, a later duplicate key wins. */
  public static String buildObject(Object[] args, String kinds) {
    if (args.length % 2 != 0) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "argument list must have even number of elements", null,
          "The arguments of jsonb_build_object() must consist of alternating keys and values.", null));
    }
    Map<String, Object> m = new TreeMap<>(PgJson.KEY_ORDER);
    for (int i = 0; i < args.length; i += 2) {
      if (args[i] == null) {
        throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
            "argument " + (i + 1) + ": key must not be null"));
      }
      Object key = value(args[i], kinds.charAt(i));
      m.put(key instanceof String s ? s : PgJson.print(key), value(args[i + 1], kinds.charAt(i + 1)));
    }
    return PgJson.print(m);
  }

  private static SqlOperator builder(String name, String method, SqlReturnTypeInference ret, int min, int max,
      boolean variadic) {
    CodeFunction impl = () -> RexImpTable.createImplementor((translator, call, operands) -> {
      StringBuilder kinds = new StringBuilder();
      for (RexNode o : call.getOperands()) {
        kinds.append(kind(o.getType()));
      }
      List<Expression> boxed = new ArrayList<>();
      for (Expression e : operands) {
        boxed.add(JsonFunctions.boxed(e));
      }
      Expression first = variadic ? Expressions.newArrayInit(Object.class, boxed) : boxed.get(0);
      return Expressions.call(JsonBuilders.class, method, first, Expressions.constant(kinds.toString()));
    }, NullPolicy.NONE, false);
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ret, null, null, impl) {
      @Override
      public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.between(min, max);
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
  }

  static final List<SqlOperator> ALL = List.of(
      builder("to_jsonb", "toJsonb", JsonFunctions.JSONB, 1, 1, false),
      builder("jsonb_build_array", "buildArray", JsonFunctions.JSONB, 0, Integer.MAX_VALUE, true),
      builder("jsonb_build_object", "buildObject", JsonFunctions.JSONB, 0, Integer.MAX_VALUE, true),
      refused("jsonb_object_keys", "set-returning function jsonb_object_keys"));

  /** A function that is known but not supported: 0A000 naming {@code feature} when a call is validated. */
  private static SqlOperator refused(String name, String feature) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        JsonFunctions.TEXT, null, null, () -> null) {
      @Override
      public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.any();
      }

      @Override
      public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        throw new SqlRuntimeException(SqlException.unsupported(feature));
      }

      @Override
      public SqlFunctionCategory getFunctionType() {
        return SqlFunctionCategory.SYSTEM;
      }
    };
  }
}
