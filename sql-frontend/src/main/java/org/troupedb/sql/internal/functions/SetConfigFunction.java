package org.troupedb.sql.internal.functions;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
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
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * {@code set_config(name, value, is_local)}: sets a session parameter as SET [LOCAL] does and
 * returns the value now in force (Flyway sets search_path with it). Generated code calls
 * {@link #setConfig} with the execution's {@link DataContext}, whose {@link #SESSION_CONFIG}
 * entry is the session's {@link SessionConfig}. Never folded while planning.
 */
public final class SetConfigFunction {
  /** The {@link DataContext} name under which an execution finds its session's parameters. */
  public static final String SESSION_CONFIG = "troupe.sessionConfig";

  /** A session's parameters, as set_config changes them. */
  public interface SessionConfig {
    /** SET [LOCAL] name = value; the value now in force. */
    String setConfig(String name, String value, boolean local) throws SqlException;
  }

  private SetConfigFunction() {}

  /** NB: public for generated code. */
  public static String setConfig(DataContext root, String name, String value, Boolean local) {
    if (!(root.get(SESSION_CONFIG) instanceof SessionConfig c)) {
      throw new SqlRuntimeException(SqlException.unsupported("set_config outside a session"));
    }
    try {
      return c.setConfig(name, value, Boolean.TRUE.equals(local));
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  private static final SqlOperandTypeInference TYPES = (binding, returnType, operandTypes) -> {
    for (int i = 0; i < operandTypes.length; i++) {
      operandTypes[i] = binding.getTypeFactory().createTypeWithNullability(binding.getTypeFactory()
          .createSqlType(i == 2 ? SqlTypeName.BOOLEAN : SqlTypeName.VARCHAR), true);
    }
  };

  private static final SqlUserDefinedFunction SET_CONFIG = new SqlUserDefinedFunction(
      new SqlIdentifier("set_config", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE), null, null,
      (CodeFunction) () -> RexImpTable.createImplementor((translator, call, operands) -> Expressions.call(
          SetConfigFunction.class, "setConfig", translator.getRoot(),
          EnumUtils.convert(operands.get(0), String.class), EnumUtils.convert(operands.get(1), String.class),
          EnumUtils.convert(operands.get(2), Boolean.class)), NullPolicy.NONE, false)) {
    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(3);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      boolean ok = SqlTypeFamily.CHARACTER.contains(binding.getOperandType(0))
          && SqlTypeFamily.CHARACTER.contains(binding.getOperandType(1))
          && SqlTypeFamily.BOOLEAN.contains(binding.getOperandType(2));
      if (!ok && throwOnFailure) {
        throw binding.newValidationSignatureError();
      }
      return ok;
    }

    @Override
    public SqlOperandTypeInference getOperandTypeInference() {
      return TYPES;
    }

    @Override
    public SqlFunctionCategory getFunctionType() {
      return SqlFunctionCategory.SYSTEM;
    }

    @Override
    public boolean isDeterministic() {
      return false;
    }
  };

  /** The function as an operator table. */
  public static final SqlOperatorTable TABLE = SqlOperatorTables.of(SET_CONFIG);

  /** For javadoc tools: the names this class registers. */
  static List<String> names() {
    return List.of(SET_CONFIG.getName());
  }
}
