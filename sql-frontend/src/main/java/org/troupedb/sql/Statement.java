package org.troupedb.sql;

/**
 * One parsed statement, opaque to the caller. {@code sql} is its text; {@code parameterCount} is
 * the highest {@code $n} it uses.
 */
public interface Statement {
  String sql();

  int parameterCount();

  /** The command tag verb as PostgreSQL would report it (SELECT, INSERT, BEGIN, CREATE TABLE, …). */
  String commandTag();
}
