package org.troupedb.sql.parser.ast;

import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A PostgreSQL json operator as the grammar reads it ({@code ->}, {@code ->>}, {@code #>},
 * {@code #>>}, {@code @>}, {@code <@}, {@code ?}, {@code ?|}, {@code ?&}): a binary operator only
 * while the parser builds the expression tree (its precedence is PostgreSQL's "any other
 * operator": below {@code + -}, above comparisons, left-associative), it makes a call of the
 * function of the same name, which the validator finds in the operator table
 * ({@code JsonFunctions}) and which prints itself back as the operator.
 */
public final class SqlPgJsonOperator extends SqlBinaryOperator {
  public SqlPgJsonOperator(String name) {
    super(name, SqlKind.OTHER, 36, true, null, null, null); // NB: Calcite asserts an even precedence
  }

  @Override
  public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos, SqlNode... operands) {
    return new SqlUnresolvedFunction(new SqlIdentifier(getName(), pos), null, null, null, null,
        SqlFunctionCategory.USER_DEFINED_FUNCTION).createCall(functionQualifier, pos, operands);
  }
}
