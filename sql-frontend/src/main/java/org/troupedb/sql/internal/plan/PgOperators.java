package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.troupedb.sql.internal.functions.PgScalarFunctions;

/**
 * The operators a statement may call: standard SQL, Calcite's PostgreSQL library, PostgreSQL
 * functions Calcite files in other libraries, and TroupeDB's own function tables, looked up
 * ignoring case with TroupeDB's functions first.
 */
final class PgOperators {
  private PgOperators() {}

  /** Standard SQL, Calcite's PostgreSQL library, and PostgreSQL functions Calcite files elsewhere. */
  static final org.apache.calcite.sql.SqlOperatorTable TABLE = operators();

  private static org.apache.calcite.sql.SqlOperatorTable operators() {
    org.apache.calcite.sql.SqlOperatorTable pg = SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
        SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL);
    List<org.apache.calcite.sql.SqlOperator> extra = new ArrayList<>();
    for (org.apache.calcite.sql.SqlOperator op : List.of(SqlLibraryOperators.LENGTH, SqlLibraryOperators.LPAD,
        SqlLibraryOperators.RPAD, SqlLibraryOperators.LTRIM, SqlLibraryOperators.RTRIM,
        SqlLibraryOperators.SPLIT_PART, SqlLibraryOperators.STRPOS, SqlLibraryOperators.LEFT,
        SqlLibraryOperators.RIGHT, SqlLibraryOperators.REPEAT, SqlLibraryOperators.REVERSE,
        SqlLibraryOperators.CONCAT_FUNCTION, SqlLibraryOperators.CONCAT_WS, SqlLibraryOperators.GREATEST,
        SqlLibraryOperators.LEAST, SqlLibraryOperators.DATE_TRUNC, SqlLibraryOperators.DATE_PART,
        SqlLibraryOperators.MD5, SqlLibraryOperators.CHR, SqlLibraryOperators.RANDOM,
        SqlLibraryOperators.ILIKE, SqlLibraryOperators.INFIX_CAST)) {
      if (!pg.getOperatorList().contains(op)) {
        extra.add(op);
      }
    }
    org.apache.calcite.sql.SqlOperatorTable more = new org.apache.calcite.sql.SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(org.apache.calcite.sql.SqlIdentifier name,
          org.apache.calcite.sql.SqlFunctionCategory category, org.apache.calcite.sql.SqlSyntax syntax,
          List<org.apache.calcite.sql.SqlOperator> result,
          org.apache.calcite.sql.validate.SqlNameMatcher matcher) {
        if (!name.isSimple()) {
          return;
        }
        for (org.apache.calcite.sql.SqlOperator op : extra) {
          if (op.getName().equalsIgnoreCase(name.getSimple())
              && (op instanceof org.apache.calcite.sql.SqlFunction) == (syntax == org.apache.calcite.sql.SqlSyntax.FUNCTION)) {
            result.add(op);
          }
        }
      }

      @Override
      public List<org.apache.calcite.sql.SqlOperator> getOperatorList() {
        return extra;
      }
    };
    return caseInsensitive(org.apache.calcite.sql.util.SqlOperatorTables.chain(PlainCoalesce.TABLE, PgScalarFunctions.TABLE,
        org.troupedb.sql.internal.functions.AdvisoryLockFunctions.TABLE,
        org.troupedb.sql.internal.functions.IntervalFunctions.TABLE,
        org.troupedb.sql.internal.functions.JsonBuildFunctions.TABLE,
        org.troupedb.sql.internal.functions.JsonFunctions.TABLE,
        org.troupedb.sql.internal.functions.ArrayTextCasts.TABLE,
        org.troupedb.sql.internal.functions.ArrayFunctions.TABLE,
        org.troupedb.sql.internal.functions.SetConfigFunction.TABLE),
        org.apache.calcite.sql.util.SqlOperatorTables.chain(pg, more));
  }

  /**
   * Looks operators up ignoring case. NB: the parser folds unquoted names to lower case and
   * matches identifiers case-sensitively, as PostgreSQL does, but Calcite's library tables file
   * their functions under upper-case names ({@code LPAD}); a case-sensitive lookup of
   * {@code lpad} found nothing ("No match found for function signature lpad(…)"). A name
   * {@code preferred} has hides the others' operators of that name (PostgreSQL's {@code to_char}
   * replaces Calcite's).
   */
  private static org.apache.calcite.sql.SqlOperatorTable caseInsensitive(org.apache.calcite.sql.SqlOperatorTable preferred,
      org.apache.calcite.sql.SqlOperatorTable t) {
    org.apache.calcite.sql.validate.SqlNameMatcher anyCase =
        org.apache.calcite.sql.validate.SqlNameMatchers.withCaseSensitive(false);
    return new org.apache.calcite.sql.SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(org.apache.calcite.sql.SqlIdentifier name,
          org.apache.calcite.sql.SqlFunctionCategory category, org.apache.calcite.sql.SqlSyntax syntax,
          List<org.apache.calcite.sql.SqlOperator> result, org.apache.calcite.sql.validate.SqlNameMatcher matcher) {
        int before = result.size();
        preferred.lookupOperatorOverloads(name, category, syntax, result, anyCase);
        if (result.size() == before) {
          t.lookupOperatorOverloads(name, category, syntax, result, anyCase);
        }
      }

      @Override
      public List<org.apache.calcite.sql.SqlOperator> getOperatorList() {
        List<org.apache.calcite.sql.SqlOperator> all = new ArrayList<>(preferred.getOperatorList());
        all.addAll(t.getOperatorList());
        return all;
      }
    };
  }
}
