package org.troupedb.sql;

/**
 * An error to report to the client as ErrorResponse: a PostgreSQL SQLSTATE (see {@link SqlState}),
 * a message, and optionally a detail and a hint. No stack trace ever reaches a client.
 */
public class SqlException extends Exception {
  private final String sqlState;
  private final String detail;
  private final String hint;

  public SqlException(String sqlState, String message) {
    this(sqlState, message, null, null, null);
  }

  public SqlException(String sqlState, String message, Throwable cause) {
    this(sqlState, message, null, null, cause);
  }

  public SqlException(String sqlState, String message, String detail, String hint, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  public String sqlState() {
    return sqlState;
  }

  public String detail() {
    return detail;
  }

  public String hint() {
    return hint;
  }

  /** ERROR, or FATAL for errors that end the session. */
  public String severity() {
    return "ERROR";
  }

  /** 0A000 naming the unsupported feature. */
  public static SqlException unsupported(String feature) {
    return new SqlException(SqlState.FEATURE_NOT_SUPPORTED, feature + " is not supported");
  }
}
