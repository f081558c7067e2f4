package org.troupedb.sql.internal.plan;

import java.util.Properties;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The validator's conformance: the parser's {@link SqlConformanceEnum#BABEL} except that GROUP BY
 * is strict, as in PostgreSQL: a column that is neither grouped nor aggregated is an error
 * (42803), not an arbitrary value of its group (BABEL's MySQL-style non-strict GROUP BY answered
 * {@code SELECT a, b FROM t GROUP BY a} with any b, and failed with a NullPointerException inside
 * Calcite on a CASE or COALESCE over a grouped column; issue 14). PostgreSQL's one relaxation, a
 * table's columns usable when its primary key is grouped, is {@link PrimaryKeyGrouping}.
 */
public final class PgConformance extends SqlDelegatingConformance {
  public static final SqlConformance INSTANCE = new PgConformance();

  private PgConformance() {
    super(SqlConformanceEnum.BABEL);
  }

  @Override
  public boolean isNonStrictGroupBy() {
    return false;
  }

  /**
   * The connection configuration a planner's context carries so that its validator uses {@link
   * PgConformance}. NB: Calcite's PlannerImpl keeps this object only when both case sensitivity
   * and conformance are set in it; otherwise it copies it into a plain one, losing the override.
   */
  public static CalciteConnectionConfigImpl connectionConfig() {
    Properties p = new Properties();
    p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    p.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.BABEL.name());
    return new CalciteConnectionConfigImpl(p) {
      @Override
      public SqlConformance conformance() {
        return INSTANCE;
      }
    };
  }
}
