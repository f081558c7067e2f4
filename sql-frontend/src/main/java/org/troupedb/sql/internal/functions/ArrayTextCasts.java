package org.troupedb.sql.internal.functions;

import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.internal.types.PgArrayText;

/**
 * An array's text form as PostgreSQL's I/O conversion gives it ({@code 1 2} for an int2vector,
 * {@code {1,2}} for an array): the function {@link #ARRAY_OUT} that the catalog rewrites put in
 * place of a cast of pg_index's and pg_constraint's vector columns to text ({@code
 * ix.indkey::varchar} in SQLAlchemy's index reflection). NB: Calcite's validator refuses a cast of
 * an array to a character type outright under the lenient coercion TroupeDB's conformance uses,
 * hence the function rather than the cast.
 */
public final class ArrayTextCasts {
  private ArrayTextCasts() {}

  /** Formats an array value as PostgreSQL's text form. NB: public for generated code. */
  public static String format(List<?> array) {
    return PgArrayText.format(array);
  }

  /** {@code array_out(array)}: text. */
  public static final SqlUserDefinedFunction ARRAY_OUT = new SqlUserDefinedFunction(
      new SqlIdentifier("array_out", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE), null, null,
      (CodeFunction) () -> RexImpTable.createImplementor((translator, call, operands) ->
          Expressions.call(ArrayTextCasts.class, "format", EnumUtils.convert(operands.get(0), List.class)),
          NullPolicy.STRICT, false)) {
    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(1);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      boolean ok = binding.getOperandType(0).getSqlTypeName() == SqlTypeName.ARRAY;
      if (!ok && throwOnFailure) {
        throw binding.newValidationSignatureError();
      }
      return ok;
    }

    @Override
    public SqlFunctionCategory getFunctionType() {
      return SqlFunctionCategory.SYSTEM;
    }
  };

  /** {@link #ARRAY_OUT} as an operator table. */
  public static final org.apache.calcite.sql.SqlOperatorTable TABLE =
      org.apache.calcite.sql.util.SqlOperatorTables.of(ARRAY_OUT);

  /** {@code array_out(value)}. */
  public static SqlNode call(SqlNode value) {
    return ARRAY_OUT.createCall(SqlParserPos.ZERO, value);
  }
}
