package org.troupedb.sql.internal.functions;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The function behind a {@link org.apache.calcite.sql.validate.SqlUserDefinedFunction} whose
 * operator infers its own types: only {@link #getImplementor()} (the generated code of a call) is
 * its own; the declared return type and parameters are placeholders Calcite never consults.
 */
interface CodeFunction extends ScalarFunction, ImplementableFunction {
  @Override
  default RelDataType getReturnType(RelDataTypeFactory f) {
    return f.createSqlType(SqlTypeName.ANY);
  }

  @Override
  default List<FunctionParameter> getParameters() {
    return List.of();
  }
}
