package org.troupedb.sql.parser.ast;

/** A transaction isolation level as written in SQL; TroupeDB runs every level as SERIALIZABLE. */
public enum IsolationLevel {
  SERIALIZABLE("SERIALIZABLE"),
  REPEATABLE_READ("REPEATABLE READ"),
  READ_COMMITTED("READ COMMITTED"),
  READ_UNCOMMITTED("READ UNCOMMITTED");

  private final String sql;

  IsolationLevel(String sql) {
    this.sql = sql;
  }

  /** The SQL spelling, e.g. {@code REPEATABLE READ}. */
  public String sql() {
    return sql;
  }
}
