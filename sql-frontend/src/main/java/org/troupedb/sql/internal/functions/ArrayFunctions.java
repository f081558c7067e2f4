package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.types.PgUuid;

/**
 * Functions of one-dimensional arrays that Calcite lacks or does differently from PostgreSQL:
 * casts to an array type ({@code '{1,2}'::int[]}, {@code a::bigint[]}), {@code x op ANY/ALL(array)}
 * with PostgreSQL's three-valued answer, {@code array_length} and {@code array_position}. The
 * syntax reaches them through {@code PgArraySyntax}, which rewrites the casts and quantified
 * comparisons before validation. Values are Calcite's internal ones: a {@link List} of elements.
 */
public final class ArrayFunctions {
  private ArrayFunctions() {}

  /** A cast to the array type {@code pgType} (a {@link PgType} name) with its element's typmod. */
  public static Object cast(Object v, String pgType, int precision, int scale) {
    try {
      return new ColumnType(PgType.valueOf(pgType), precision, scale).coerce(v);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /**
   * {@code x op ANY(array)} or {@code x op ALL(array)}: {@code op} one of {@code = <> < <= > >=}
   * and the quantifier, e.g. {@code "<>ALL"}. NULL when no element decides and some comparison
   * was with a NULL; an empty array is false for ANY and true for ALL.
   */
  public static Boolean quantify(String op, Object x, List<?> array) {
    if (array == null) {
      return null;
    }
    boolean any = op.endsWith("ANY");
    String cmp = op.substring(0, op.length() - 3);
    boolean sawNull = false;
    for (Object e : array) {
      if (x == null || e == null) {
        sawNull = true;
        continue;
      }
      int c = compare(x, e);
      boolean r = switch (cmp) {
        case "=" -> c == 0;
        case "<>" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        default -> c >= 0;
      };
      if (r == any) {
        return any;
      }
    }
    return sawNull ? null : !any;
  }

  /** {@code array_length(a, dim)}: the length of dimension 1; NULL for another or an empty array. */
  public static Integer length(List<?> array, Integer dim) {
    return array == null || dim == null || dim != 1 || array.isEmpty() ? null : array.size();
  }

  /** {@code array_position(a, x)}: the first 1-based subscript whose element is not distinct from x. */
  public static Integer position(List<?> array, Object x) {
    if (array == null) {
      return null;
    }
    for (int i = 0; i < array.size(); i++) {
      Object e = array.get(i);
      if (e == null ? x == null : x != null && compare(e, x) == 0) {
        return i + 1;
      }
    }
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y));
    }
    if (a instanceof java.util.UUID x && b instanceof java.util.UUID y) {
      return PgUuid.compare(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        Object p = x.get(i);
        Object q = y.get(i);
        int c = p == null ? (q == null ? 0 : 1) : q == null ? -1 : compare(p, q);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    if (a.getClass() != b.getClass()) {
      return a.toString().compareTo(b.toString());
    }
    return ((Comparable) a).compareTo(b);
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : n instanceof Double || n instanceof Float
        ? BigDecimal.valueOf(n.doubleValue()) : BigDecimal.valueOf(n.longValue());
  }

  /** {@code pg_array_cast(value, CAST(NULL AS t[]))}: value cast to the second operand's array type. */
  public static final SqlUserDefinedFunction ARRAY_CAST = function("pg_array_cast", 2, ReturnTypes.ARG1_NULLABLE,
      (binding, returnType, types) -> {
        types[0] = binding.getOperandType(1);
        types[1] = binding.getOperandType(1);
      },
      (call, ops) -> {
        ColumnType t = ColumnType.fromRelType(call.getType());
        return Expressions.call(ArrayFunctions.class, "cast", EnumUtils.convert(ops.get(0), Object.class),
            Expressions.constant(t.pg().name()), Expressions.constant(t.precision()), Expressions.constant(t.scale()));
      });

  /** {@code pg_array_quantify(x, array, '=ANY')}. */
  public static final SqlUserDefinedFunction QUANTIFY = function("pg_array_quantify", 3,
      ReturnTypes.explicit(SqlTypeName.BOOLEAN).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE),
      (binding, returnType, types) -> {
        RelDataType x = binding.getOperandType(0);
        RelDataType a = binding.getOperandType(1);
        var f = binding.getTypeFactory();
        types[0] = x.getSqlTypeName() == SqlTypeName.UNKNOWN && a.getComponentType() != null ? a.getComponentType() : x;
        types[1] = a.getSqlTypeName() == SqlTypeName.UNKNOWN
            ? f.createArrayType(f.createTypeWithNullability(x, true), -1) : a;
        types[2] = binding.getOperandType(2);
      },
      (call, ops) -> Expressions.call(ArrayFunctions.class, "quantify", EnumUtils.convert(ops.get(2), String.class),
          EnumUtils.convert(ops.get(0), Object.class), EnumUtils.convert(ops.get(1), List.class)));

  /** {@code array_length(array, dimension)}. */
  public static final SqlUserDefinedFunction ARRAY_LENGTH = function("array_length", 2,
      ReturnTypes.explicit(SqlTypeName.INTEGER).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE),
      null, (call, ops) -> Expressions.call(ArrayFunctions.class, "length", EnumUtils.convert(ops.get(0), List.class),
          EnumUtils.convert(ops.get(1), Integer.class)));

  /** {@code array_position(array, value)}. */
  public static final SqlUserDefinedFunction ARRAY_POSITION = function("array_position", 2,
      ReturnTypes.explicit(SqlTypeName.INTEGER).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE),
      null, (call, ops) -> Expressions.call(ArrayFunctions.class, "position", EnumUtils.convert(ops.get(0), List.class),
          EnumUtils.convert(ops.get(1), Object.class)));

  /**
   * {@code pg_array_unrow(array_agg(ROW(x, true)))}: the array of the rows' first fields.
   * Calcite's array_agg skips NULL arguments (also with RESPECT NULLS, and a one-field row of a
   * NULL counts as NULL); a row with a non-null field is never NULL, so PostgreSQL's NULL elements
   * survive the aggregate this way.
   */
  public static final SqlUserDefinedFunction UNROW = function("pg_array_unrow", 1, binding -> {
    var f = binding.getTypeFactory();
    RelDataType row = binding.getOperandType(0).getComponentType();
    RelDataType e = row != null && row.isStruct() ? row.getFieldList().get(0).getType() : row;
    return f.createTypeWithNullability(f.createArrayType(f.createTypeWithNullability(e, true), -1), true);
  }, null, (call, ops) -> Expressions.call(ArrayFunctions.class, "unrow", EnumUtils.convert(ops.get(0), List.class)));

  /** The first field of each row of {@code rows} (a row is an Object[] or a List). */
  public static List<Object> unrow(List<?> rows) {
    if (rows == null) {
      return null;
    }
    List<Object> out = new java.util.ArrayList<>(rows.size());
    for (Object r : rows) {
      out.add(r instanceof Object[] a ? a[0] : r instanceof List<?> l ? l.get(0) : r);
    }
    return out;
  }

  /** The array functions as an operator table. */
  public static final SqlOperatorTable TABLE = SqlOperatorTables.of(ARRAY_CAST, QUANTIFY, ARRAY_LENGTH, ARRAY_POSITION,
      UNROW);

  /** Generated code of a call, from the call and its translated operands. */
  private interface Code {
    Expression of(org.apache.calcite.rex.RexCall call, List<Expression> operands);
  }

  private static SqlUserDefinedFunction function(String name, int arity, SqlReturnTypeInference returns,
      SqlOperandTypeInference infer, Code code) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, returns,
        infer, null, (CodeFunction) () -> RexImpTable.createImplementor(
            (translator, call, operands) -> code.of(call, operands), NullPolicy.NONE, false)) {
      @Override
      public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.of(arity);
      }

      @Override
      public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        int arrayOperand = name.equals("pg_array_quantify") ? 1
            : name.startsWith("array_") || name.equals("pg_array_unrow") ? 0 : -1;
        if (arrayOperand >= 0 && binding.getOperandType(arrayOperand).getSqlTypeName() != SqlTypeName.ARRAY) {
          if (name.equals("pg_array_quantify")) {
            throw new SqlRuntimeException(org.troupedb.sql.internal.errors.Errors.at(
                org.troupedb.sql.SqlState.WRONG_OBJECT_TYPE, "op ANY/ALL (array) requires array on right side",
                binding.getCall().getParserPosition()));
          }
          if (throwOnFailure) {
            throw binding.newValidationSignatureError();
          }
          return false;
        }
        return true;
      }

      @Override
      public SqlFunctionCategory getFunctionType() {
        return SqlFunctionCategory.SYSTEM;
      }
    };
  }
}
