package org.troupedb.sql.internal.plan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the phases of one planning (config, validate, sql2rel, optimize, codegen) and logs them
 * in one DEBUG line of {@code org.troupedb.sql.internal.plan.QueryPlanner}, so where a slow first call
 * spends its time can be read off a node's log.
 */
final class PlanTimer {
  private static final Logger LOG = LoggerFactory.getLogger(QueryPlanner.class);

  private final StringBuilder laps = new StringBuilder();
  private final long start = System.nanoTime();
  private long last = start;

  /** Ends the phase {@code name}. */
  void lap(String name) {
    long now = System.nanoTime();
    laps.append(' ').append(name).append('=').append((now - last) / 1_000_000).append("ms");
    last = now;
  }

  /** Logs the phases of planning {@code query} (its first 80 characters, on one line). */
  void log(Object query) {
    if (LOG.isDebugEnabled()) {
      String sql = String.valueOf(query).replaceAll("\\s+", " ");
      LOG.debug("planned in {} ms:{} | {}", (last - start) / 1_000_000, laps,
          sql.length() > 80 ? sql.substring(0, 80) : sql);
    }
  }
}
