package org.troupedb.sql.internal.plan;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.internal.functions.PgArithmetic;
import org.troupedb.sql.internal.functions.PgDatetimeArithmetic;
import org.troupedb.sql.internal.functions.PgScalarFunctions;

/**
 * Rewrites PostgreSQL spellings Calcite lacks into forms it validates: pg_catalog calls, literal
 * casts it would fold wrongly, EXTRACT and {@code substring(… FROM pattern)}, datetime arithmetic,
 * {@code now()}, {@code version()}, {@code current_database()}, {@code length}, {@code date_trunc}.
 */
final class PgSpellings {
  private PgSpellings() {}

  /** Rewrites PostgreSQL spellings Calcite lacks ({@code now()}) into their standard forms. */
  static SqlNode normalize(SqlNode node, String database) {
    return node.accept(new org.apache.calcite.sql.util.SqlShuttle() {
      /** {@code SELECT current_schema} (Flyway): the parser leaves the niladic function a name. */
      @Override
      public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
        if (id.isSimple() && !id.isComponentQuoted(0) && id.getSimple().equalsIgnoreCase("current_schema")) {
          return org.apache.calcite.sql.SqlLiteral.createCharString("public", id.getParserPosition());
        }
        return id;
      }

      @Override
      public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
        call = org.troupedb.sql.internal.pgcatalog.PgCatalogRewrites.unqualify(call);
        SqlNode catalogCall = org.troupedb.sql.internal.pgcatalog.PgCatalogRewrites.rewrite(call, this);
        if (catalogCall != null) {
          return catalogCall;
        }
        if (call.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
          // inside out, so that a folded inner cast is a literal for the outer one
          // (1.5::numeric::integer is 2, as numeric to integer rounds)
          SqlNode inner = super.visit(call);
          SqlNode folded = inner instanceof SqlCall c ? PgArithmetic.foldLiteralCast(c) : null;
          return folded != null ? folded : inner;
        }
        SqlCall extract = PgScalarFunctions.extractCall(call);
        if (extract != null) {
          return super.visit(extract);
        }
        SqlCall regexSubstring = PgScalarFunctions.regexSubstringCall(call);
        if (regexSubstring != null) {
          return super.visit(regexSubstring);
        }
        SqlCall interval = org.troupedb.sql.internal.functions.IntervalFunctions.rewriteCall(call);
        if (interval != null) {
          return super.visit(interval);
        }
        SqlCall datetime = PgDatetimeArithmetic.wrap(call);
        if (datetime != null) {
          return super.visit(datetime);
        }
        if (call.getOperator() instanceof org.apache.calcite.sql.SqlFunction f) {
          String n = f.getName().toLowerCase();
          var pos = call.getParserPosition();
          // NB: statement_timestamp and clock_timestamp are the transaction's time too (PostgreSQL:
          // the statement's start, the current time)
          if (java.util.Set.of("now", "transaction_timestamp", "statement_timestamp", "clock_timestamp").contains(n)
              && call.operandCount() == 0) {
            return org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(pos);
          }
          if (call.operandCount() == 0 && f instanceof org.apache.calcite.sql.SqlUnresolvedFunction) {
            switch (n) {
              case "version" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString(
                    "PostgreSQL 16.0 (TroupeDB 0.1.0)", pos);
              }
              case "current_database" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString(database, pos);
              }
              case "current_schema" -> {
                return org.apache.calcite.sql.SqlLiteral.createCharString("public", pos);
              }
              default -> { }
            }
          }
          if (n.equals("length") && call.operandCount() == 1) {
            return org.apache.calcite.sql.fun.SqlStdOperatorTable.CHAR_LENGTH.createCall(pos,
                call.operand(0).accept(this));
          }
          if (n.equals("date_trunc") && call.operandCount() == 2
              && call.operand(0) instanceof org.apache.calcite.sql.SqlLiteral lit) {
            String unit = lit.getValueAs(String.class).toUpperCase();
            try {
              var tu = org.apache.calcite.avatica.util.TimeUnit.valueOf(unit);
              return org.apache.calcite.sql.fun.SqlStdOperatorTable.FLOOR.createCall(pos,
                  call.operand(1).accept(this), new org.apache.calcite.sql.SqlIntervalQualifier(tu, null, pos));
            } catch (IllegalArgumentException e) {
              return super.visit(call);
            }
          }
        }
        return super.visit(call);
      }
    });
  }
}
