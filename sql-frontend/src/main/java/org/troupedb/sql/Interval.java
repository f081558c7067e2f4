package org.troupedb.sql;

/** A PostgreSQL interval value: months, days and microseconds kept apart, as PostgreSQL does. */
public record Interval(int months, int days, long micros) {}
