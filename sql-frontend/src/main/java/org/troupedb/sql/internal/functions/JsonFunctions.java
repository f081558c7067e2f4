package org.troupedb.sql.internal.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.PgType;
import org.troupedb.sql.parser.ast.PgJsonType;

/**
 * The json/jsonb operators and functions. The grammar turns {@code a -> b} (and {@code ->>},
 * {@code #>}, {@code #>>}, {@code @>}, {@code <@}, {@code ?}, {@code ?|}, {@code ?&}) into a call
 * of the function named by the operator, which is found here and prints itself back as the
 * operator; {@link JsonBuilders} has the constructors. The work is in {@link JsonOps}.
 */
public final class JsonFunctions {
  private JsonFunctions() {}

  /** jsonb, or json when the first operand is json (the result of {@code ->} on a json value). */
  private static final SqlReturnTypeInference SAME_JSON = b -> PgJsonType.of(b.getTypeFactory(),
      PgJsonType.pgType(b.getOperandType(0)) == PgType.JSON ? PgType.JSON : PgType.JSONB, true);
  static final SqlReturnTypeInference JSONB = b -> PgJsonType.of(b.getTypeFactory(), PgType.JSONB, true);
  static final SqlReturnTypeInference JSON = b -> PgJsonType.of(b.getTypeFactory(), PgType.JSON, true);
  static final SqlReturnTypeInference TEXT = b -> b.getTypeFactory().createTypeWithNullability(
      b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true);
  private static final SqlReturnTypeInference BOOL = b -> b.getTypeFactory().createTypeWithNullability(
      b.getTypeFactory().createSqlType(SqlTypeName.BOOLEAN), true);
  private static final SqlReturnTypeInference INT = b -> b.getTypeFactory().createTypeWithNullability(
      b.getTypeFactory().createSqlType(SqlTypeName.INTEGER), true);

  /** Is {@code t} a type a json operand may have: json, jsonb, or text (an unknown literal)? */
  static boolean jsonLike(RelDataType t) {
    return PgJsonType.pgType(t) != null || t.getSqlTypeName() == SqlTypeName.CHAR
        || t.getSqlTypeName() == SqlTypeName.VARCHAR || t.getSqlTypeName() == SqlTypeName.NULL;
  }

  /**
   * {@code e} as an Object argument. NB: a primitive is boxed with {@code valueOf}; Janino reads
   * the cast {@code (Object) -1} as a subtraction.
   */
  static Expression boxed(Expression e) {
    return e.getType() instanceof Class<?> c && c.isPrimitive() ? Expressions.box(e) : EnumUtils.convert(e, Object.class);
  }

  private static final java.util.Set<String> RAW_ON_JSON = java.util.Set.of("get", "getText", "path", "pathText");

  /** A function or operator over json whose call is {@code JsonOps.method(args)} (or with an Object[] when variadic). */
  static SqlUserDefinedFunction function(String name, SqlReturnTypeInference ret, int min, int max,
      String method, boolean variadic, boolean infix) {
    CodeFunction impl = () -> RexImpTable.createImplementor((translator, call, operands) -> {
      List<Expression> boxed = new ArrayList<>();
      for (Expression e : operands) {
        boxed.add(JsonFunctions.boxed(e));
      }
      // on a json value, the extraction operators answer with the part as written (JsonRaw)
      Class<?> on = RAW_ON_JSON.contains(method)
          && PgJsonType.pgType(call.getOperands().get(0).getType()) == PgType.JSON ? JsonRaw.class : JsonOps.class;
      return variadic ? Expressions.call(on, method, Expressions.newArrayInit(Object.class, boxed))
          : Expressions.call(on, method, boxed);
    }, variadic ? NullPolicy.NONE : NullPolicy.STRICT, false);
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ret, null, null, impl) {
      @Override
      public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.between(min, max);
      }

      @Override
      public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        if (binding.getOperandCount() > 0 && !jsonLike(binding.getOperandType(0))) {
          if (throwOnFailure) {
            List<String> types = new ArrayList<>();
            for (int i = 0; i < binding.getOperandCount(); i++) {
              types.add(PgScalarFunctions.pgTypeName(binding.getOperandType(i),
                  binding.operand(i) instanceof org.apache.calcite.sql.SqlLiteral));
            }
            String what = infix && types.size() == 2 ? "operator does not exist: " + types.get(0) + " " + name + " " + types.get(1)
                : "function " + name + "(" + String.join(", ", types) + ") does not exist";
            throw new org.troupedb.sql.internal.errors.SqlRuntimeException(new org.troupedb.sql.SqlException(
                "42883", what, null, "No " + (infix ? "operator" : "function") + " matches the given name and argument "
                + "types. You might need to add explicit type casts.", null));
          }
          return false;
        }
        return true;
      }

      @Override
      public SqlFunctionCategory getFunctionType() {
        return SqlFunctionCategory.SYSTEM;
      }

      @Override
      public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
        if (!infix) {
          super.unparse(writer, call, leftPrec, rightPrec);
          return;
        }
        SqlWriter.Frame frame = writer.startList("(", ")");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(" " + name + " ");
        call.operand(1).unparse(writer, 0, 0);
        writer.endList(frame);
      }
    };
  }

  private static SqlUserDefinedFunction operator(String name, SqlReturnTypeInference ret, String method) {
    return function(name, ret, 2, 2, method, false, true);
  }

  /** {@code jsonb || jsonb} (put in place of Calcite's string concatenation by {@code JsonRex}). */
  public static final SqlOperator CONCAT = function("jsonb_concat", JSONB, 2, 2, "concat", false, false);

  /** A cast to jsonb of a value of another type: jsonb_in on its text (put in place by {@code JsonRex}). */
  public static final SqlOperator JSONB_IN = function("jsonb_in", JSONB, 1, 1, "castJsonb", false, false);
  /** A cast to json: json_in's check of the text. */
  public static final SqlOperator JSON_IN = function("json_in", JSON, 1, 1, "castJson", false, false);

  private static final List<SqlOperator> ALL = List.of(
      operator("->", SAME_JSON, "get"),
      operator("->>", TEXT, "getText"),
      operator("#>", SAME_JSON, "path"),
      operator("#>>", TEXT, "pathText"),
      operator("@>", BOOL, "contains"),
      operator("<@", BOOL, "containedIn"),
      operator("?", BOOL, "exists"),
      operator("?|", BOOL, "existsAny"),
      operator("?&", BOOL, "existsAll"),
      CONCAT,
      function("jsonb_typeof", TEXT, 1, 1, "typeOf", false, false),
      function("jsonb_array_length", INT, 1, 1, "arrayLength", false, false),
      function("jsonb_pretty", TEXT, 1, 1, "pretty", false, false),
      function("jsonb_extract_path_text", TEXT, 1, Integer.MAX_VALUE, "extractPathText", true, false));

  /** The operators and functions, and the constructors of {@link JsonBuilders}, by name in any case. */
  public static final SqlOperatorTable TABLE = AnyCaseFunctionTable.of(concat(ALL, JsonBuilders.ALL));

  private static List<SqlOperator> concat(List<SqlOperator> a, List<SqlOperator> b) {
    List<SqlOperator> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
