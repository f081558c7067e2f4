package org.troupedb.sql.internal.functions;

import java.util.List;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;

/**
 * An operator table of functions found by their name in any case, as PostgreSQL folds unquoted
 * function names ({@code GEN_RANDOM_UUID()}, {@code Pg_Advisory_Lock(1)}).
 */
final class AnyCaseFunctionTable implements SqlOperatorTable {
  private final List<SqlOperator> functions;

  private AnyCaseFunctionTable(List<? extends SqlOperator> functions) {
    this.functions = List.copyOf(functions);
  }

  static SqlOperatorTable of(List<? extends SqlOperator> functions) {
    return new AnyCaseFunctionTable(functions);
  }

  @Override
  public void lookupOperatorOverloads(SqlIdentifier name, SqlFunctionCategory category, SqlSyntax syntax,
      List<SqlOperator> result, SqlNameMatcher matcher) {
    if (name.isSimple() && syntax == SqlSyntax.FUNCTION) {
      for (SqlOperator f : functions) {
        if (f.getName().equalsIgnoreCase(name.getSimple())) {
          result.add(f);
        }
      }
    }
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return functions;
  }
}
