package org.troupedb.sql.parser.ast;

/** The row lock a {@code SELECT ... FOR ...} takes. */
public enum LockStrength {
  UPDATE("FOR UPDATE"),
  NO_KEY_UPDATE("FOR NO KEY UPDATE"),
  SHARE("FOR SHARE"),
  KEY_SHARE("FOR KEY SHARE");

  private final String sql;

  LockStrength(String sql) {
    this.sql = sql;
  }

  /** The SQL spelling, e.g. {@code FOR NO KEY UPDATE}. */
  public String sql() {
    return sql;
  }
}
