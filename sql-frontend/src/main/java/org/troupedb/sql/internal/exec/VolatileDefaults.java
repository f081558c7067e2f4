package org.troupedb.sql.internal.exec;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.DmlTrees;

/**
 * Which column DEFAULTs PostgreSQL evaluates once per row rather than once per statement: those
 * that call a volatile function ({@code gen_random_uuid()}, {@code random()}, {@code
 * clock_timestamp()}, {@code nextval}). Decided on the parsed expression, never on its text, and remembered per
 * DEFAULT text (a catalog's defaults are few and never change in place). Thread-safe.
 */
final class VolatileDefaults {
  private static final Set<String> VOLATILE = Set.of("gen_random_uuid", "random", "clock_timestamp", "nextval");
  private static final Map<String, Boolean> BY_TEXT = new ConcurrentHashMap<>();

  private VolatileDefaults() {}

  /** True if a column not in {@code targeted} has a DEFAULT that calls a volatile function. */
  static boolean any(TableDesc t, boolean[] targeted) throws SqlException {
    for (int i = 0; i < targeted.length; i++) {
      String d = t.columns().get(i).sequence() == null ? t.columns().get(i).defaultSql() : null; // SERIAL: per row already
      if (!targeted[i] && d != null && isVolatile(d)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if a DEFAULT must be evaluated per row, also when ALTER TABLE ADD COLUMN fills existing
   * rows: it calls a volatile function or {@code nextval} ({@code now()} is stable, evaluated once).
   */
  static boolean isVolatileOrSequence(String defaultSql) throws SqlException {
    return isVolatile(defaultSql);
  }

  private static boolean isVolatile(String defaultSql) throws SqlException {
    Boolean known = BY_TEXT.get(defaultSql);
    if (known == null) {
      known = Boolean.TRUE.equals(DmlTrees.parseExpression(defaultSql).accept(new CallsVolatile(VOLATILE)));
      BY_TEXT.put(defaultSql, known);
    }
    return known;
  }

  /** Visits an expression; answers TRUE as soon as it finds a call of a volatile function. */
  private static final class CallsVolatile extends SqlBasicVisitor<Boolean> {
    private final Set<String> names;

    CallsVolatile(Set<String> names) {
      this.names = names;
    }

    @Override
    public Boolean visit(SqlCall call) {
      if (names.contains(call.getOperator().getName().toLowerCase(Locale.ROOT))) {
        return true;
      }
      for (var operand : call.getOperandList()) {
        if (operand != null && Boolean.TRUE.equals(operand.accept(this))) {
          return true;
        }
      }
      return false;
    }
  }
}
