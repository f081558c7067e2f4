package org.troupedb.sql;

/** A PostgreSQL interval value: months, days and microseconds kept apart, as PostgreSQL does. */
public record Interval(int months, int days, long micros) {
  /** IntervalStyle postgres ({@code 1 year 2 mons 3 days 04:05:06.5}), which interval input reads back. */
  @Override
  public String toString() {
    return org.troupedb.sql.internal.types.PgIntervalText.format(this);
  }
}
